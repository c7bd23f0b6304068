/**
 * One Parquet file in memory → rows, via hyparquet: the reader used for round trips and for
 * compaction. It reads what the lake's writers and other engines write (INT64 micros, millis,
 * nanos or INT96 timestamps; 2- or 3-level lists).
 */
import { parquetReadObjects } from 'hyparquet';
import { ParquetDecodeError } from './errors';
import { dateFromMicros } from './values';

/** Options for {@link decodeTable}. */
export interface DecodeOptions {
  /** Read only these columns (all when absent). */
  readonly columns?: readonly string[];
  /** Names the file in error messages, e.g. its key in the lake. */
  readonly file?: string;
}

// Floor division, so a pre-1970 instant with a sub-unit part stays at or before itself
// (hyparquet's default divides toward zero).
const floorDiv = (value: bigint, by: bigint): bigint =>
  value >= 0n ? value / by : -((-value + by - 1n) / by);
/**
 * hyparquet parsers that keep timestamps exact: microseconds ride along on the Date (see
 * `dateFromMicros`), and pre-1970 instants round down, not toward zero.
 */
export const TIMESTAMP_PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => new Date(Number(millis)),
  timestampFromMicroseconds: (micros: bigint) => dateFromMicros(micros),
  // Delta timestamps are microseconds: nanoseconds are floored to them.
  timestampFromNanoseconds: (nanos: bigint) => dateFromMicros(floorDiv(nanos, 1000n)),
};

function toNumberWhenSafe(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (Array.isArray(value)) return value.map(toNumberWhenSafe);
  return value;
}

/**
 * Reads every row of a Parquet file as an object keyed by column name: timestamps as Dates
 * (millisecond precision, floored), longs as numbers when safe (bigint beyond 2^53), strings,
 * arrays, and null for missing values. Throws {@link ParquetDecodeError} for bytes that are not
 * Parquet or use a codec hyparquet lacks.
 */
export async function decodeTable(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Promise<Record<string, unknown>[]> {
  const buffer =
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
      ? bytes.buffer
      : bytes.slice().buffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({
      file: buffer,
      columns: options.columns ? [...options.columns] : undefined,
      parsers: TIMESTAMP_PARSERS,
    });
  } catch (error) {
    const name = options.file ?? `${bytes.byteLength} bytes`;
    throw new ParquetDecodeError(`cannot read Parquet from ${name}`, { cause: error });
  }
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (typeof value === 'bigint' || Array.isArray(value)) row[key] = toNumberWhenSafe(value);
      else if (value === undefined) row[key] = null;
    }
  }
  return rows;
}
