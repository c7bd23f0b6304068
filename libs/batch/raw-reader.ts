/**
 * Reading the raw landing back: the data files of a topic by partition, each file's records with
 * their offsets and Kafka timestamps (from its index object), or with the landing time for files
 * that have no index (written by another tool, e.g. a real Confluent S3 sink).
 */
import { createHash } from 'node:crypto';
import {
  parseRawDataKey,
  parseRawIndexKey,
  type RawIndex,
  type RawIndexName,
  rawIndexKey,
  rawIndexPrefix,
  rawTopicPrefix,
} from '../lake/layout';
import { MAX_RECORDS_BYTES } from '../records';
import type { ObjectStore } from '../storage';
import { BatchPathError } from './errors';
import { parseJsonBytes } from './json-bytes';
import { type RawRecords, recordsByLength, recordsByLine } from './raw-records';

/** A data file found in the landing. */
export interface RawDataFile {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  /** When it was last written (ms since the epoch): the landing time of files without an index. */
  readonly lastModified: number;
  /** Its length in bytes, as listed. */
  readonly size: number;
}

/** One landed record: its offset, Kafka timestamp and value bytes (a view into the file). */
interface RawRecordView {
  readonly offset: number;
  readonly timestamp: number;
  readonly bytes: Uint8Array;
}

/** A data file's content. */
export type RawFileRead = {
  readonly status: 'read';
  readonly records: RawRecordView[];
  readonly indexed: boolean;
};

/** The data files of every partition of a topic, each list sorted by start offset. */
export async function listRawFiles(store: ObjectStore, topic: string): Promise<Map<number, RawDataFile[]>> {
  const byPartition = new Map<number, RawDataFile[]>();
  for (const object of await store.list(rawTopicPrefix(topic))) {
    const name = parseRawDataKey(object.key);
    if (name === undefined || name.topic !== topic) continue;
    const files = byPartition.get(name.partition) ?? [];
    files.push({ key: object.key, ...name, lastModified: object.lastModified, size: object.size });
    byPartition.set(name.partition, files);
  }
  for (const files of byPartition.values()) files.sort((a, b) => a.startOffset - b.startOffset);
  return byPartition;
}

/** The index objects of a partition, grouped by start offset. */
export async function listRawIndexes(
  store: ObjectStore,
  topic: string,
  partition: number,
): Promise<Map<number, RawIndexName[]>> {
  const byStart = new Map<number, RawIndexName[]>();
  for (const object of await store.list(rawIndexPrefix(topic, partition))) {
    const name = parseRawIndexKey(object.key);
    if (name === undefined || name.topic !== topic || name.partition !== partition) continue;
    byStart.set(name.startOffset, [...(byStart.get(name.startOffset) ?? []), name]);
  }
  return byStart;
}

/** A data file's records, and whether an index object gave their lengths and timestamps. */
export type RawRecordsRead = {
  readonly status: 'read';
  readonly records: RawRecords;
  readonly indexed: boolean;
  /** From the index: the offset landed just before the file when Kafka skipped offsets between them. */
  readonly previousOffset?: number;
};

/** How {@link readRawRecords} reads a file. */
export interface RawReadOptions {
  /** Refuse a file without an index object (its partition was landed by pinlake); default false. */
  readonly indexRequired?: boolean;
}

/**
 * Reads a data file and finds its records without copying them, checked against its index: the index
 * for its start offset whose byte length matches gives each record's length and timestamp, and its
 * SHA-256 (when it has one) must match the bytes. Without any index the file is split at newlines and
 * every record gets the file's landing time (a file written by another tool, e.g. a Confluent S3 sink),
 * unless `indexRequired`. Throws a {@link BatchPathError} naming the file when it has vanished, has no
 * index although one is required, matches none of its index objects (cut short, grown or altered), is
 * over 2 GiB (`MAX_RECORDS_BYTES`), or when an index object cannot be read: corruption is reported, never
 * absorbed.
 */
export async function readRawRecords(
  store: ObjectStore,
  file: RawDataFile,
  indexes: readonly RawIndexName[],
  options: RawReadOptions = {},
): Promise<RawRecordsRead> {
  const bytes = await store.get(file.key);
  if (bytes === undefined) throw new BatchPathError(`raw file ${file.key} was listed but cannot be read`);
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.byteLength > MAX_RECORDS_BYTES) {
    throw new BatchPathError(
      `raw file ${file.key} is ${data.byteLength} bytes: batch-clean reads files of at most ${MAX_RECORDS_BYTES}`,
    );
  }
  if (indexes.length === 0) {
    if (options.indexRequired) {
      throw new BatchPathError(
        `raw file ${file.key} has no index object under ${rawIndexPrefix(file.topic, file.partition)} ` +
          'although the rest of its partition has: its index was lost, so its records cannot be checked',
      );
    }
    return {
      status: 'read',
      records: recordsByLine(data, file.startOffset, file.lastModified),
      indexed: false,
    };
  }
  const seen: string[] = [];
  for (const name of likelyFirst(indexes, data)) {
    const index = await readRawIndex(store, name);
    const indexKey = rawIndexKey(name.topic, name.partition, name.startOffset, name.endOffset);
    seen.push(`${indexKey} says ${index.bytes} bytes`);
    if (!matches(index, data.byteLength)) continue;
    if (index.sha256 !== undefined && createHash('sha256').update(data).digest('hex') !== index.sha256) {
      throw new BatchPathError(
        `raw file ${file.key} does not match its index ${indexKey}: same length, other bytes (SHA-256 differs); the file was altered`,
      );
    }
    const records = recordsByLength(
      data,
      index.startOffset,
      index.lengths,
      index.timestamps,
      file.lastModified,
    );
    return { status: 'read', records, indexed: true, previousOffset: index.previousOffset };
  }
  throw new BatchPathError(
    `raw file ${file.key} is ${data.byteLength} bytes and matches none of its index objects ` +
      `(${seen.join('; ')}): the file was cut short, grown or altered`,
  );
}

/**
 * Reads a data file as {@link readRawRecords} does and returns one view per record (its offset,
 * timestamp and bytes); same errors.
 */
export async function readRawFile(
  store: ObjectStore,
  file: RawDataFile,
  indexes: readonly RawIndexName[],
): Promise<RawFileRead> {
  const read = await readRawRecords(store, file, indexes);
  const { records } = read;
  const views: RawRecordView[] = new Array(records.count);
  for (let i = 0; i < records.count; i++) {
    views[i] = { offset: records.offset(i), timestamp: records.timestamp(i), bytes: records.bytes(i) };
  }
  return { status: 'read', records: views, indexed: read.indexed };
}

// The index whose range matches the line count is almost always the one; the others are the fallbacks.
function likelyFirst(indexes: readonly RawIndexName[], data: Uint8Array): readonly RawIndexName[] {
  if (indexes.length === 1) return indexes;
  const lines = countNewlines(data);
  const fits = (name: RawIndexName) => Number(name.endOffset - name.startOffset + 1 === lines);
  return [...indexes].sort((a, b) => fits(b) - fits(a));
}

/** Reads an index object; throws a {@link BatchPathError} naming it when it is gone or not JSON. */
export async function readRawIndex(store: ObjectStore, name: RawIndexName): Promise<RawIndex> {
  const key = rawIndexKey(name.topic, name.partition, name.startOffset, name.endOffset);
  const bytes = await store.get(key);
  if (bytes === undefined) throw new BatchPathError(`raw index ${key} was listed but cannot be read`);
  try {
    return parseJsonBytes(bytes) as RawIndex;
  } catch (error) {
    throw new BatchPathError(`raw index ${key} is not JSON`, { cause: error });
  }
}

function matches(index: RawIndex, bytes: number): boolean {
  const count = index.endOffset - index.startOffset + 1;
  if (index.bytes !== bytes || index.lengths?.length !== count || index.timestamps?.length !== count)
    return false;
  let total = 0;
  for (const length of index.lengths) {
    if (!Number.isSafeInteger(length) || length < 0) return false;
    total += length + 1;
  }
  return total === bytes;
}

function countNewlines(data: Uint8Array): number {
  let count = 0;
  for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, at + 1)) count++;
  return count;
}
