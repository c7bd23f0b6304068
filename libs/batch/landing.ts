/**
 * land-topics' logic: an MSK batch → raw files in the Confluent S3 sink layout (see raw-layout.ts),
 * one file per run of consecutive offsets of a topic-partition, idempotent under redelivery.
 */
import type { MSKEvent } from 'aws-lambda';
import { maybeFail } from '../chaos';
import type { ObjectStore } from '../storage';
import { type MskBatchRecord, type MskPartitionBatch, readMskEvent, splitIntoRuns } from './msk-batch';
import { parseRawIndexKey, type RawIndex, rawDataKey, rawIndexKey, rawIndexStartPrefix } from './raw-layout';
import { readRawIndex } from './raw-reader';

/** One file written by {@link landMskEvent}. */
export interface LandedFile {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  readonly endOffset: number;
  readonly records: number;
  /** False when the lake already held these records in this file (a redelivery): nothing was written. */
  readonly written: boolean;
}

/** What a landing did. */
export interface LandingSummary {
  readonly records: number;
  readonly files: LandedFile[];
}

const NEWLINE = Buffer.from('\n');

/**
 * Lands every record of an MSK event. For each topic-partition, each run of consecutive offsets
 * becomes `raw/topics/<topic>/partition=<p>/<topic>+<p>+<start>.json` (values, one per line, bytes
 * as produced), written after its index object (the timestamps and value lengths), so a reader that
 * sees a data file always finds its index. Runs of one partition are written in offset order and
 * partitions side by side. A file is never shrunk: when the data file at a run's start already holds
 * that run or more (its length matches an index ending at or after the run's end), nothing is written,
 * so a redelivered or bisected batch cannot take records out of the lake that batch-clean may not have
 * read yet. A redelivered batch starting elsewhere may overlap earlier files; batch-clean reads by offset.
 * Rejects with the store's `StorageError` (the event source retries the batch) or a `BatchPathError`
 * for a malformed event. Chaos step `land-topics:after-write` fails after each data file is written.
 */
export async function landMskEvent(store: ObjectStore, event: MSKEvent): Promise<LandingSummary> {
  const batches = readMskEvent(event);
  const landed = await Promise.all(batches.map((batch) => landPartitionBatch(store, batch)));
  const files = landed.flat();
  return { records: files.reduce((sum, f) => sum + f.records, 0), files };
}

/**
 * Lands the records of one topic-partition (offset order, each offset once, as {@link readMskEvent}
 * gives them): one file per run of consecutive offsets, written in order, each after its index.
 */
export async function landPartitionBatch(
  store: ObjectStore,
  batch: MskPartitionBatch,
): Promise<LandedFile[]> {
  const files: LandedFile[] = [];
  for (const run of splitIntoRuns(batch.records)) {
    files.push(await landRun(store, batch.topic, batch.partition, run));
    maybeFail('land-topics:after-write');
  }
  return files;
}

async function landRun(
  store: ObjectStore,
  topic: string,
  partition: number,
  run: readonly MskBatchRecord[],
): Promise<LandedFile> {
  const startOffset = run[0]!.offset;
  const endOffset = run[run.length - 1]!.offset;
  const key = rawDataKey(topic, partition, startOffset);
  const file = { key, topic, partition, startOffset, endOffset, records: run.length };
  if (await holdsRun(store, key, rawIndexStartPrefix(topic, partition, startOffset), endOffset)) {
    return { ...file, written: false };
  }
  const parts: Buffer[] = [];
  for (const record of run) parts.push(record.value, NEWLINE);
  const data = Buffer.concat(parts);
  const index: RawIndex = {
    topic,
    partition,
    startOffset,
    endOffset,
    bytes: data.length,
    timestamps: run.map((r) => r.timestamp),
    lengths: run.map((r) => r.value.length),
  };
  await store.put(rawIndexKey(topic, partition, startOffset, endOffset), `${JSON.stringify(index)}\n`);
  await store.put(key, data);
  return { ...file, written: true };
}

// True when the data file at `key` is whole and holds offsets up to `endOffset` at least.
async function holdsRun(store: ObjectStore, key: string, indexPrefix: string, endOffset: number) {
  const ranges = (await store.list(indexPrefix))
    .map((object) => parseRawIndexKey(object.key))
    .filter((name) => name !== undefined && name.endOffset >= endOffset);
  if (ranges.length === 0) return false;
  const data = (await store.list(key)).find((object) => object.key === key);
  if (data === undefined) return false;
  for (const name of ranges) {
    if ((await readRawIndex(store, name!)).bytes === data.size) return true;
  }
  return false;
}
