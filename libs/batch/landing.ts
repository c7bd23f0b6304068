/**
 * land-topics' logic: an MSK batch → raw files in the Confluent S3 sink layout (see libs/lake/layout.ts),
 * one file per run of consecutive offsets of a topic-partition, idempotent under redelivery.
 */
import { createHash } from 'node:crypto';
import type { MSKEvent } from 'aws-lambda';
import { maybeFail } from '../chaos';
import { type RawIndex, rawDataKey, rawIndexKey, writeQuarantine } from '../lake';
import type { ObjectStore } from '../storage';
import { BatchPathError } from './errors';
import { type MskBatchRecord, type MskPartitionBatch, readMskEvent, splitIntoRuns } from './msk-batch';
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
  /** Records quarantined because their envelope could not be placed in the landing. */
  readonly quarantined: number;
}

const NEWLINE = Buffer.from('\n');

/**
 * Lands every record of an MSK event. For each topic-partition, each run of consecutive offsets
 * becomes `raw/topics/<topic>/partition=<p>/<topic>+<p>+<start>.json` (values, one per line, bytes
 * as produced), created after its index object (the timestamps, value lengths and the file's SHA-256),
 * so a reader that sees a data file always finds its index. Both are created only if absent, never
 * overwritten: when the file at a run's start already holds the run (or more, from an earlier larger
 * batch) nothing is written; when it holds the first records of the run, the rest is landed as the
 * file starting after them; when it holds other bytes, the landing fails with a `BatchPathError`
 * naming the key (the event source retries, then gives the batch to its on-failure destination).
 * A record whose envelope cannot be placed (no offset, another topic-partition) is quarantined with
 * its reason, topic, partition and offset, and the rest is landed. Runs of one partition are written
 * in offset order and partitions side by side. Rejects with the store's `StorageError` or a
 * `BatchPathError`. Chaos step `land-topics:after-write` fails after each data file is written.
 */
export async function landMskEvent(store: ObjectStore, event: MSKEvent): Promise<LandingSummary> {
  const { batches, rejected } = readMskEvent(event);
  await writeQuarantine(store, rejected);
  const landed = await Promise.all(batches.map((batch) => landPartitionBatch(store, batch)));
  const files = landed.flat();
  return { records: files.reduce((sum, f) => sum + f.records, 0), files, quarantined: rejected.length };
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
  let previousOffset: number | undefined;
  for (const run of splitIntoRuns(batch.records)) {
    files.push(...(await landRun(store, batch.topic, batch.partition, run, previousOffset)));
    previousOffset = run[run.length - 1]!.offset;
    maybeFail('land-topics:after-write');
  }
  return files;
}

async function landRun(
  store: ObjectStore,
  topic: string,
  partition: number,
  run: readonly MskBatchRecord[],
  previousOffset?: number,
): Promise<LandedFile[]> {
  const startOffset = run[0]!.offset;
  const endOffset = run[run.length - 1]!.offset;
  const key = rawDataKey(topic, partition, startOffset);
  const file = { key, topic, partition, startOffset, endOffset, records: run.length };
  const parts: Buffer[] = [];
  for (const record of run) parts.push(record.value, NEWLINE);
  const data = Buffer.concat(parts);
  const index: RawIndex = {
    topic,
    partition,
    startOffset,
    endOffset,
    bytes: data.length,
    timestamps: run.map((r) => (Number.isFinite(r.timestamp) ? r.timestamp : null)),
    lengths: run.map((r) => r.value.length),
    sha256: createHash('sha256').update(data).digest('hex'),
    ...(previousOffset === undefined ? {} : { previousOffset }),
  };
  // Whether the file was landed before is asked with a LIST of its key, never by reading a file that
  // may be absent: S3 answers such a read with 403 to a role that may list only its prefixes, and a
  // failed GET is a paid request as well.
  const landed = (await store.list(key)).some((object) => object.key === key);
  if (!landed) {
    // The index goes first, so that no data file exists without one (a crash between the two leaves
    // an index whose file the retry creates).
    await createIndex(store, index);
    if (await store.putIfAbsent(key, data)) return [{ ...file, written: true }];
  }
  const existing = await store.get(key);
  if (existing === undefined) throw new BatchPathError(`raw file ${key} vanished while it was landed`);
  // The file is there already: it must hold these very records, all of them or the first ones.
  const held = Buffer.from(existing.buffer, existing.byteOffset, existing.byteLength);
  const common = Math.min(held.length, data.length);
  const kept = recordsIn(run, held.length);
  if (!held.subarray(0, common).equals(data.subarray(0, common)) || (held.length < data.length && kept < 0)) {
    throw new BatchPathError(
      `raw file ${key} already holds other bytes than offsets ${startOffset}..${endOffset} of this batch ` +
        `(${held.length} bytes there, ${data.length} here): raw files are never overwritten`,
    );
  }
  if (held.length === data.length) {
    await createIndex(store, index);
    return [{ ...file, written: false }];
  }
  if (held.length > data.length) return [{ ...file, written: false }];
  const head = { ...file, endOffset: startOffset + kept - 1, records: kept, written: false };
  return [head, ...(await landRun(store, topic, partition, run.slice(kept)))];
}

// How many of the run's first records make exactly `bytes` bytes (each value and its newline); -1 if none.
function recordsIn(run: readonly MskBatchRecord[], bytes: number): number {
  let total = 0;
  for (let i = 0; i < run.length; i++) {
    if (total === bytes) return i;
    if (total > bytes) return -1;
    total += run[i]!.value.length + 1;
  }
  return total === bytes ? run.length : -1;
}

// Creates the index object only if absent; one already there must say the same of the same records.
async function createIndex(store: ObjectStore, index: RawIndex): Promise<void> {
  const { topic, partition, startOffset, endOffset } = index;
  const key = rawIndexKey(topic, partition, startOffset, endOffset);
  if (await store.putIfAbsent(key, `${JSON.stringify(index)}\n`)) return;
  const there = await readRawIndex(store, { topic, partition, startOffset, endOffset });
  const same = (a: RawIndex) => JSON.stringify([a.bytes, a.timestamps, a.lengths]);
  if (same(there) !== same(index) || (there.sha256 !== undefined && there.sha256 !== index.sha256)) {
    throw new BatchPathError(
      `raw index ${key} already describes other records than offsets ${startOffset}..${endOffset} of this batch: ` +
        'raw files are never overwritten',
    );
  }
}
