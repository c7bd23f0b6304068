/**
 * Record batches, magic 2 (the only format since Kafka 0.11): parsing with CRC-32C and compression
 * checks, and encoding (used by tests and tools). Layout: baseOffset int64, batchLength int32,
 * partitionLeaderEpoch int32, magic int8, crc uint32 (over attributes..end), attributes int16,
 * lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
 * producerEpoch int16, baseSequence int32, recordCount int32, then the (maybe compressed) records.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from './crc32c';
import { ErrorCode, RecordBatchError } from './errors';
import { Reader } from './reader';
import { Writer } from './writer';

/** Byte offset of the CRC field, and of the attributes field where the CRC coverage starts. */
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
/** Size of the fixed batch header before the records. */
export const BATCH_HEADER_SIZE = 61;

/** Compression codecs by their attribute bits; only `none` and `gzip` are accepted. */
const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** One record header; a null value is allowed by the format. */
interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** One record inside a batch, with its deltas resolved against the batch. */
interface BatchRecord {
  readonly offsetDelta: number;
  /** CreateTime in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/** A parsed batch: its header fields, its records and its exact bytes. */
export interface RecordBatch {
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly records: readonly BatchRecord[];
  readonly bytes: Buffer;
}

/**
 * How many bytes compressed batches may still inflate to, shared by every parse given it (e.g. all the
 * partitions of one Produce request); past it a parse stops (inflation is cut off there, never
 * finished) with a MESSAGE_TOO_LARGE {@link RecordBatchError}.
 */
export interface InflateBudget {
  left: number;
  readonly limit: number;
}

/** A fresh {@link InflateBudget} of `limit` bytes. */
export function inflateBudget(limit: number): InflateBudget {
  return { left: limit, limit };
}

function decompress(codec: number, data: Buffer, where: string, budget: InflateBudget): Buffer {
  if (codec === Compression.none) return data;
  if (codec === Compression.gzip) {
    try {
      // One byte over the budget is enough to know it is over; zlib stops there.
      const inflated = gunzipSync(data, { maxOutputLength: Math.min(budget.left + 1, 2 ** 31 - 1) });
      if (inflated.length > budget.left) throw new RangeError('over the budget');
      budget.left -= inflated.length;
      return inflated;
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new RecordBatchError(
          ErrorCode.MESSAGE_TOO_LARGE,
          `${where}: gzip data inflates past the limit of ${budget.limit} bytes per request`,
          { cause: error },
        );
      }
      throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `${where}: gzip data does not inflate`, {
        cause: error,
      });
    }
  }
  const name = CODEC_NAMES[codec] ?? `codec ${codec}`;
  throw new RecordBatchError(
    ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    `${where}: compression ${name} is not supported by the embedded broker (use none or gzip)`,
  );
}

function readRecords(data: Buffer, count: number, baseTimestamp: bigint, where: string): BatchRecord[] {
  const r = new Reader(data, where);
  const records: BatchRecord[] = [];
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    const end = r.position + length;
    r.int8();
    const timestamp = Number(baseTimestamp + r.varlong());
    const offsetDelta = r.varint();
    const keyLength = r.varint();
    const key = keyLength < 0 ? null : Buffer.from(r.bytes(keyLength));
    const valueLength = r.varint();
    const value = valueLength < 0 ? null : Buffer.from(r.bytes(valueLength));
    const headers: RecordHeader[] = [];
    const headerCount = r.varint();
    for (let h = 0; h < headerCount; h++) {
      const hk = r.bytes(r.varint()).toString('utf8');
      const hl = r.varint();
      headers.push({ key: hk, value: hl < 0 ? null : Buffer.from(r.bytes(hl)) });
    }
    if (r.position !== end)
      throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `${where}: record ${i} length mismatch`);
    records.push({ offsetDelta, timestamp, key, value, headers });
  }
  if (r.remaining !== 0)
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `${where}: bytes after the last record`);
  return records;
}

/** Parses one complete batch (its bytes from baseOffset to the end); throws {@link RecordBatchError}. */
export function parseRecordBatch(
  bytes: Buffer,
  where: string,
  budget: InflateBudget = inflateBudget(Number.POSITIVE_INFINITY),
): RecordBatch {
  if (bytes.length < BATCH_HEADER_SIZE) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `${where}: batch shorter than its header`);
  }
  const magic = bytes.readInt8(16);
  if (magic !== 2) {
    throw new RecordBatchError(
      ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
      `${where}: message format magic ${magic} is not supported (only 2)`,
    );
  }
  const expected = bytes.readUInt32BE(CRC_AT);
  const actual = crc32c(bytes.subarray(ATTRIBUTES_AT));
  if (expected !== actual) {
    throw new RecordBatchError(
      ErrorCode.CORRUPT_MESSAGE,
      `${where}: CRC-32C mismatch (batch says ${expected.toString(16)}, bytes give ${actual.toString(16)})`,
    );
  }
  const attributes = bytes.readInt16BE(21);
  if (attributes & 0x30) {
    throw new RecordBatchError(
      ErrorCode.INVALID_RECORD,
      `${where}: transactional and control batches are not supported`,
    );
  }
  const baseTimestamp = bytes.readBigInt64BE(27);
  const count = bytes.readInt32BE(57);
  const data = decompress(attributes & 0x07, bytes.subarray(BATCH_HEADER_SIZE), where, budget);
  const lastOffsetDelta = bytes.readInt32BE(23);
  const records = readRecords(data, count, baseTimestamp, where);
  if (count === 0 || records.some((rec, i) => rec.offsetDelta !== i) || lastOffsetDelta !== count - 1) {
    throw new RecordBatchError(ErrorCode.INVALID_RECORD, `${where}: offset deltas are not 0..${count - 1}`);
  }
  return {
    attributes,
    lastOffsetDelta,
    maxTimestamp: Number(bytes.readBigInt64BE(35)),
    producerId: bytes.readBigInt64BE(43),
    producerEpoch: bytes.readInt16BE(51),
    baseSequence: bytes.readInt32BE(53),
    records,
    bytes,
  };
}

/**
 * Splits a produce request's records blob into complete batches and parses each; compressed batches
 * inflate within `budget` (unbounded by default).
 */
export function parseRecordBatches(
  blob: Buffer,
  where: string,
  budget: InflateBudget = inflateBudget(Number.POSITIVE_INFINITY),
): RecordBatch[] {
  const batches: RecordBatch[] = [];
  let at = 0;
  while (at < blob.length) {
    if (blob.length - at < 12)
      throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `${where}: truncated batch header`);
    const end = at + 12 + blob.readInt32BE(at + 8);
    if (end > blob.length || end < at + BATCH_HEADER_SIZE) {
      throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `${where}: batch length runs past the records`);
    }
    batches.push(parseRecordBatch(blob.subarray(at, end), `${where} batch ${batches.length}`, budget));
    at = end;
  }
  return batches;
}

/** A record to encode with {@link encodeRecordBatch}. */
export interface RecordToEncode {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly timestamp?: number;
  readonly headers?: readonly RecordHeader[];
}

const toBuffer = (v: Buffer | string | null | undefined) => (v == null ? null : Buffer.from(v));

/** Encodes records as one magic-2 batch with a correct CRC-32C. */
export function encodeRecordBatch(
  records: readonly RecordToEncode[],
  options: {
    baseOffset?: bigint;
    compression?: 'none' | 'gzip';
    producerId?: bigint;
    /** Epoch of `producerId`; default 0 with a producer id, -1 without. */
    producerEpoch?: number;
    baseSequence?: number;
  } = {},
): Buffer {
  const now = Date.now();
  const stamps = records.map((r) => r.timestamp ?? now);
  const baseTimestamp = stamps.length > 0 ? Math.min(...stamps) : now;
  const body = new Writer();
  records.forEach((rec, i) => {
    const w = new Writer(64)
      .int8(0)
      .varlong(BigInt(stamps[i]! - baseTimestamp))
      .varint(i);
    for (const b of [toBuffer(rec.key), toBuffer(rec.value)]) {
      if (b === null) w.varint(-1);
      else w.varint(b.length).bytes(b);
    }
    const headers = rec.headers ?? [];
    w.varint(headers.length);
    for (const h of headers) {
      const hk = Buffer.from(h.key);
      w.varint(hk.length).bytes(hk);
      if (h.value === null) w.varint(-1);
      else w.varint(h.value.length).bytes(h.value);
    }
    body.varint(w.length).bytes(w.toBuffer());
  });
  const codec = options.compression === 'gzip' ? Compression.gzip : Compression.none;
  const payload = codec === Compression.gzip ? gzipSync(body.toBuffer()) : body.toBuffer();
  const w = new Writer(BATCH_HEADER_SIZE + payload.length)
    .int64(options.baseOffset ?? 0n)
    .int32(BATCH_HEADER_SIZE - 12 + payload.length)
    .int32(0)
    .int8(2)
    .uint32(0)
    .int16(codec)
    .int32(records.length - 1)
    .int64(BigInt(baseTimestamp))
    .int64(BigInt(stamps.length > 0 ? Math.max(...stamps) : now))
    .int64(options.producerId ?? -1n)
    .int16(options.producerEpoch ?? (options.producerId === undefined ? -1 : 0))
    .int32(options.baseSequence ?? -1)
    .int32(records.length)
    .bytes(payload);
  const out = w.toBuffer();
  out.writeUInt32BE(crc32c(out.subarray(ATTRIBUTES_AT)), CRC_AT);
  return out;
}

/** One record of a partition with its offset, as a consumer reads it. */
export interface OffsetRecord {
  readonly offset: number;
  /** CreateTime, milliseconds since the epoch. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/**
 * The records at or after `fromOffset` in fetched batches (a Fetch reply's `records`, or a log's bytes),
 * in offset order, at most `maxRecords`. A batch cut short at the end of the blob (a broker may cut the
 * last one at its byte limit) is left for the next fetch. Throws {@link RecordBatchError} on bad bytes.
 */
export function recordsFrom(
  blob: Buffer,
  fromOffset: number,
  where: string,
  maxRecords = Number.POSITIVE_INFINITY,
): OffsetRecord[] {
  const records: OffsetRecord[] = [];
  let at = 0;
  while (blob.length - at >= 12 && records.length < maxRecords) {
    const end = at + 12 + blob.readInt32BE(at + 8);
    if (end > blob.length) break;
    const bytes = blob.subarray(at, end);
    const base = Number(bytes.readBigInt64BE(0));
    for (const r of parseRecordBatch(bytes, `${where} batch at offset ${base}`).records) {
      const offset = base + r.offsetDelta;
      if (offset < fromOffset || records.length >= maxRecords) continue;
      records.push({ offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
    }
    at = end;
  }
  return records;
}
