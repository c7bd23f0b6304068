/**
 * Reading the raw landing back: the data files of a topic by partition, each file's records with
 * their offsets and Kafka timestamps (from its index object), or with the landing time for files
 * that have no index (written by another tool, e.g. a real Confluent S3 sink).
 */
import type { ObjectStore } from '../storage';
import { BatchPathError } from './errors';
import {
  parseRawDataKey,
  parseRawIndexKey,
  type RawIndex,
  type RawIndexName,
  rawIndexKey,
  rawIndexPrefix,
  rawTopicPrefix,
} from './raw-layout';

/** A data file found in the landing. */
export interface RawDataFile {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  /** When it was last written (ms since the epoch): the landing time of files without an index. */
  readonly lastModified: number;
}

/** One landed record: its offset, Kafka timestamp and value bytes (a view into the file). */
export interface RawRecordView {
  readonly offset: number;
  readonly timestamp: number;
  readonly bytes: Uint8Array;
}

/** A data file's content, or `pending` when it is being rewritten (no index matches what was read). */
export type RawFileRead =
  | { readonly status: 'read'; readonly records: RawRecordView[]; readonly indexed: boolean }
  | { readonly status: 'pending' };

/** The data files of every partition of a topic, each list sorted by start offset. */
export async function listRawFiles(store: ObjectStore, topic: string): Promise<Map<number, RawDataFile[]>> {
  const byPartition = new Map<number, RawDataFile[]>();
  for (const object of await store.list(rawTopicPrefix(topic))) {
    const name = parseRawDataKey(object.key);
    if (name === undefined || name.topic !== topic) continue;
    const files = byPartition.get(name.partition) ?? [];
    files.push({ key: object.key, ...name, lastModified: object.lastModified });
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

/**
 * Reads a data file and splits it into records. With index objects for its start offset, the one
 * whose byte length matches the file gives each record's length and timestamp; when none matches
 * (the file is being rewritten right now) the result is `pending`. Without any index the file is
 * split at newlines and every record gets the file's landing time. Throws a {@link BatchPathError}
 * when the file has vanished or an index object cannot be read.
 */
export async function readRawFile(
  store: ObjectStore,
  file: RawDataFile,
  indexes: readonly RawIndexName[],
): Promise<RawFileRead> {
  const data = await store.get(file.key);
  if (data === undefined) throw new BatchPathError(`raw file ${file.key} was listed but cannot be read`);
  if (indexes.length === 0) return { status: 'read', records: splitLines(data, file), indexed: false };
  const lines = countNewlines(data);
  // The index whose range matches the line count is almost always the one; the others are the fallbacks.
  const ordered = [...indexes].sort(
    (a, b) =>
      Number(b.endOffset - b.startOffset + 1 === lines) - Number(a.endOffset - a.startOffset + 1 === lines),
  );
  for (const name of ordered) {
    const index = await readRawIndex(store, name);
    if (matches(index, data.byteLength))
      return { status: 'read', records: splitByIndex(data, index), indexed: true };
  }
  return { status: 'pending' };
}

/** Reads an index object; throws a {@link BatchPathError} naming it when it is gone or not JSON. */
export async function readRawIndex(store: ObjectStore, name: RawIndexName): Promise<RawIndex> {
  const key = rawIndexKey(name.topic, name.partition, name.startOffset, name.endOffset);
  const bytes = await store.get(key);
  if (bytes === undefined) throw new BatchPathError(`raw index ${key} was listed but cannot be read`);
  try {
    return JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    ) as RawIndex;
  } catch (error) {
    throw new BatchPathError(`raw index ${key} is not JSON`, { cause: error });
  }
}

function matches(index: RawIndex, bytes: number): boolean {
  const count = index.endOffset - index.startOffset + 1;
  if (index.bytes !== bytes || index.lengths?.length !== count || index.timestamps?.length !== count)
    return false;
  let total = 0;
  for (const length of index.lengths) total += length + 1;
  return total === bytes;
}

function splitByIndex(data: Uint8Array, index: RawIndex): RawRecordView[] {
  const records: RawRecordView[] = new Array(index.lengths.length);
  let at = 0;
  for (let i = 0; i < index.lengths.length; i++) {
    const length = index.lengths[i]!;
    records[i] = {
      offset: index.startOffset + i,
      timestamp: index.timestamps[i]!,
      bytes: data.subarray(at, at + length),
    };
    at += length + 1;
  }
  return records;
}

function splitLines(data: Uint8Array, file: RawDataFile): RawRecordView[] {
  const records: RawRecordView[] = [];
  let start = 0;
  while (start < data.byteLength) {
    let end = data.indexOf(10, start);
    if (end < 0) end = data.byteLength;
    records.push({
      offset: file.startOffset + records.length,
      timestamp: file.lastModified,
      bytes: data.subarray(start, end),
    });
    start = end + 1;
  }
  return records;
}

function countNewlines(data: Uint8Array): number {
  let count = 0;
  for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, at + 1)) count++;
  return count;
}
