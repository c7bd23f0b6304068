/**
 * Reading a snapshot's rows: every active data file decoded with hyparquet, partition values typed by
 * the schema, values normalised (timestamps and dates as `Date`, binary as `Uint8Array`, longs as
 * numbers when they fit).
 */
import { parquetReadObjects } from 'hyparquet';
import { TIMESTAMP_PARSERS } from '../parquet/decode';
import type { ObjectStore } from '../storage/types';
import { DeltaReadError } from './errors';
import { NULL_PARTITION, tableKey } from './paths';
import type { ActiveFile, Snapshot } from './replay';
import type { DataType } from './schema';

/** One row of a table, keyed by column name, in schema order. */
export type TableRow = Record<string, unknown>;

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** Return every `long` as a bigint. By default a long is a number when it is a safe integer, else a bigint. */
  bigints?: boolean;
  /** Read only these files of the snapshot (e.g. one partition); all active files by default. */
  files?: readonly ActiveFile[];
}

/**
 * Reads all rows of the snapshot, file by file in path order. Throws a `DeltaReadError` naming the file
 * when one is missing or is not Parquet.
 */
export async function readRows(
  store: ObjectStore,
  snapshot: Snapshot,
  options: ReadRowsOptions = {},
): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for (const file of options.files ?? snapshot.files) {
    rows.push(...(await readFileRows(store, snapshot, file, options)));
  }
  return rows;
}

/** Reads the rows of one active file of the snapshot (partition columns filled in from the log). */
export async function readFileRows(
  store: ObjectStore,
  snapshot: Snapshot,
  file: ActiveFile,
  options: ReadRowsOptions = {},
): Promise<TableRow[]> {
  const key = tableKey(snapshot.tablePath, file.path);
  const bytes = await store.get(key);
  if (!bytes) throw new DeltaReadError(`data file ${key} of table version ${snapshot.version} is missing`);
  let decoded: Record<string, unknown>[];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    decoded = (await parquetReadObjects({ file: buffer, utf8: false, parsers: TIMESTAMP_PARSERS })) as Record<
      string,
      unknown
    >[];
  } catch (error) {
    throw new DeltaReadError(`cannot read data file ${key}`, { cause: error });
  }
  const bigints = options.bigints ?? false;
  const partitions = new Set(snapshot.partitionColumns);
  const fields = snapshot.schema.fields.map((f) => ({
    name: f.name,
    type: f.type,
    partition: partitions.has(f.name)
      ? parsePartitionValue(file.partitionValues[f.name] ?? null, f.type, key, bigints)
      : undefined,
  }));
  return decoded.map((raw) => {
    const row: TableRow = {};
    for (const f of fields) {
      row[f.name] = f.partition !== undefined ? f.partition : convertValue(raw[f.name], f.type, bigints);
    }
    return row;
  });
}

/** Converts a decoded Parquet value to the library's value for a Delta type. */
function convertValue(value: unknown, type: DataType, bigints: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === 'string') {
    if (type === 'long') return toLong(value, bigints);
    if (typeof value === 'bigint') return Number(value);
    if (type === 'binary' && typeof value === 'string') return new TextEncoder().encode(value);
    return value;
  }
  if (type.type === 'array') {
    return (value as unknown[]).map((v) => convertValue(v, type.elementType, bigints));
  }
  if (type.type === 'map') {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
    return Object.fromEntries(entries.map(([k, v]) => [k, convertValue(v, type.valueType, bigints)]));
  }
  const struct = value as Record<string, unknown>;
  return Object.fromEntries(type.fields.map((f) => [f.name, convertValue(struct[f.name], f.type, bigints)]));
}

function toLong(value: unknown, bigints: boolean): number | bigint {
  const big = typeof value === 'bigint' ? value : BigInt(value as number);
  if (bigints) return big;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * Types a partition value from the log (protocol §Partition Value Serialization): null, '' and the
 * Hive default partition are null; dates are `YYYY-MM-DD`; timestamps are `YYYY-MM-DD HH:MM:SS[.f]`
 * (UTC) or ISO 8601; binary is the string's UTF-8 bytes. Throws a `DeltaReadError` naming `file`.
 */
export function parsePartitionValue(
  value: string | null,
  type: DataType,
  file: string,
  bigints = false,
): unknown {
  if (value === null || value === '' || value === NULL_PARTITION) return null;
  const fail = (): never => {
    throw new DeltaReadError(`partition value "${value}" of ${file} is not a valid ${JSON.stringify(type)}`);
  };
  if (typeof type !== 'string') return fail();
  switch (type) {
    case 'string':
      return value;
    case 'binary':
      return new TextEncoder().encode(value);
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : fail();
    case 'long':
      return /^-?\d+$/.test(value) ? toLong(BigInt(value), bigints) : fail();
    case 'integer':
    case 'short':
    case 'byte':
      return /^-?\d+$/.test(value) ? Number(value) : fail();
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : fail();
    case 'timestamp':
    case 'timestamp_ntz': {
      const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)
        ? `${value.replace(' ', 'T')}Z`
        : value;
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? fail() : date;
    }
    default: {
      const n = Number(value);
      return Number.isNaN(n) ? fail() : n;
    }
  }
}
