/**
 * batch-clean's logic: the raw landing → clean rows → Parquet → `tables/batch/<kind>`, incrementally
 * and exactly once (DESIGN §2.4): each commit records, per Kafka partition, the last offset it
 * includes as the txn `kafka:<topic>:<partition>`, and every run starts after those offsets. It
 * streams: each raw file is read whole, its records are cleaned one by one straight into the chunk's
 * Parquet writer, and only the records to quarantine are kept until the commit.
 */

import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { maybeFail } from '../chaos';
import { appendFiles, ConcurrentTransactionError, type Snapshot } from '../delta';
import {
  CleanTableCommitError,
  ensureCleanTable,
  type RawIndexName,
  rawDataKey,
  rawIndexKey,
  writeQuarantine,
} from '../lake';
import { topicName } from '../naming';
import { KINDS, type Kind } from '../records';
import type { ObjectStore } from '../storage';
import { CleanChunk, kafkaAppId } from './clean-chunk';
import { BatchPathError } from './errors';
import {
  listRawFiles,
  listRawIndexes,
  type RawDataFile,
  type RawRecordsRead,
  readRawRecords,
} from './raw-reader';
import type { RawRecords } from './raw-records';

/** Settings of {@link runBatchClean}. */
export interface BatchCleanOptions {
  /**
   * Records (rows plus quarantined) per commit, about (a file is never split), to bound memory; default
   * 100,000. Rows are encoded as they are cleaned, so a chunk holds Parquet pages, never rows.
   */
  readonly chunkRecords?: number;
  /** Raw files read ahead while the current one is cleaned; default 8. */
  readonly readAhead?: number;
  /**
   * The most bytes of raw files (as listed) being read ahead at once, one file at least; default 16 MiB
   * (2 pin files, 8 geo or user ones). A file read ahead is held whole in memory until its turn.
   */
  readonly readAheadBytes?: number;
  /** The kinds to clean; default all three. */
  readonly kinds?: readonly Kind[];
}

/** What one run did for one partition. */
interface PartitionProgress {
  readonly topic: string;
  readonly partition: number;
  /** The first and last offset cleaned in this run; null when nothing was new. */
  fromOffset: number | null;
  toOffset: number | null;
  records: number;
  files: number;
  /**
   * Always false: raw files are never rewritten, so a file that disagrees with its index is an error,
   * not a file to wait for. Kept so the summary's JSON keeps its shape.
   */
  pending: boolean;
}

/** What a run did. */
export interface BatchCleanSummary {
  /** New records cleaned (rows plus quarantined). */
  recordsRead: number;
  /** Records read again but left out because an earlier commit holds them (overlapping files). */
  skipped: number;
  rowsWritten: Record<Kind, number>;
  quarantined: number;
  /** Per table, how many rows had each column nulled by cleaning. */
  nulled: Record<Kind, Record<string, number>>;
  commits: number;
  partitions: PartitionProgress[];
  durations: { totalMs: number } & Record<Kind, number>;
}

const MAX_ROUNDS = 5;
/**
 * Default of `readAheadBytes`. Reads keep up with the cleaning (see cleanFile), so every file read ahead
 * is resident: 8 pin files of ~6.5 MB ahead raised the benchmark's peak RSS by ~20 MB.
 */
const READ_AHEAD_BYTES = 16 << 20;
/** Record bytes cleaned between two turns of the event loop (see cleanFile). */
const SLICE_BYTES = 1 << 20;

/** Thrown inside a round when another writer committed offsets of the topic first: re-read and go on. */
class RestartRound extends Error {}

/**
 * Cleans what is new in the raw landing of the pipeline's three topics into `tables/batch/<kind>`
 * (created if absent). For each partition only files holding offsets after its txn are read, and
 * records at or below it are dropped, so overlapping or redelivered files add nothing. Rejected
 * records are written to `quarantine/<topic>/<day of their Kafka timestamp>/<partition>-<offset>.json`
 * before the commit that moves past them. Each chunk of about `chunkRecords` records is one Parquet
 * file and one commit. When another run commits the same partitions first, the table is re-read and
 * only what is still new is written (at most 5 rounds, then a `CleanTableCommitError`). Storage
 * errors reject; a rerun picks up where the last commit ended. Chaos steps:
 * `batch-clean:after-upload`, `batch-clean:after-commit`.
 */
export async function runBatchClean(
  store: ObjectStore,
  pipelineId: string,
  options: BatchCleanOptions = {},
): Promise<BatchCleanSummary> {
  const started = performance.now();
  const summary: BatchCleanSummary = {
    recordsRead: 0,
    skipped: 0,
    rowsWritten: { pin: 0, geo: 0, user: 0 },
    quarantined: 0,
    nulled: { pin: {}, geo: {}, user: {} },
    commits: 0,
    partitions: [],
    durations: { totalMs: 0, pin: 0, geo: 0, user: 0 },
  };
  for (const kind of options.kinds ?? KINDS) {
    const kindStarted = performance.now();
    await cleanTopic(store, kind, topicName(pipelineId, kind), summary, options);
    summary.durations[kind] = Math.round(performance.now() - kindStarted);
  }
  summary.durations.totalMs = Math.round(performance.now() - started);
  return summary;
}

async function cleanTopic(
  store: ObjectStore,
  kind: Kind,
  topic: string,
  summary: BatchCleanSummary,
  options: BatchCleanOptions,
): Promise<void> {
  for (let round = 1; ; round++) {
    const progress = new Map<number, PartitionProgress>();
    try {
      await cleanTopicRound(store, kind, topic, summary, progress, options);
      summary.partitions.push(...progress.values());
      return;
    } catch (error) {
      if (!(error instanceof RestartRound)) throw error;
      if (round === MAX_ROUNDS) {
        throw new CleanTableCommitError(
          `batch-clean of ${topic}: another run committed the same partitions first ${MAX_ROUNDS} times in a row`,
          { cause: error.cause },
        );
      }
    }
  }
}

async function cleanTopicRound(
  store: ObjectStore,
  kind: Kind,
  topic: string,
  summary: BatchCleanSummary,
  progress: Map<number, PartitionProgress>,
  options: BatchCleanOptions,
): Promise<void> {
  const chunkRecords = options.chunkRecords ?? 100_000;
  let snapshot = await ensureCleanTable(store, 'batch', kind);
  const { tablePath } = snapshot;
  let chunk = new CleanChunk(kind, topic, tablePath);
  // Not overlapped with the cleaning of the next chunk: that kept two chunks' buffers alive, +8–15 MB
  // of peak RSS for ~0.2 s of pin's wall time (docs/performance.md).
  const flush = async () => {
    snapshot = await commitChunk(store, kind, snapshot, chunk, summary);
    chunk = new CleanChunk(kind, topic, tablePath);
  };
  const plans = await planPartitions(store, topic, snapshot);
  // One read-ahead across the partitions, so the next partition's first files are read while the
  // last ones of this partition are cleaned. A partition whose landing is wrong ends the list: its
  // error is thrown when its turn comes, after the partitions before it, as before.
  const failed = plans.findIndex((plan) => plan.error !== undefined);
  const readable = failed < 0 ? plans : plans.slice(0, failed);
  const reads = readAhead(
    readable.flatMap((plan) => plan.toRead.map((file) => ({ file, plan, bytes: file.size }))),
    options.readAhead ?? 8,
    options.readAheadBytes ?? READ_AHEAD_BYTES,
    ({ file, plan }) =>
      readRawRecords(store, file, plan.indexes.get(file.startOffset) ?? [], {
        indexRequired: plan.indexes.size > 0,
      }),
  );
  let skipped = 0;
  for (const plan of plans) {
    if (plan.error) throw plan.error;
    const { partition } = plan;
    let { last } = plan;
    const entry: PartitionProgress = {
      topic,
      partition,
      fromOffset: null,
      toOffset: null,
      records: 0,
      files: 0,
      pending: false,
    };
    progress.set(partition, entry);
    let previous: string | undefined;
    for (let n = 0; n < plan.toRead.length; n++) {
      const read = (await reads.next()).value as RawRecordsRead;
      entry.files++;
      const { records } = read;
      // A file starting past the next offset leaves offsets in no file: report them, never skip them,
      // unless the landing saw Kafka skip them (its index names the offset before, at most `last`).
      const skippedByKafka = read.previousOffset !== undefined && read.previousOffset <= last;
      if (last >= 0 && records.startOffset > last + 1 && !skippedByKafka) {
        throw new BatchPathError(
          `raw landing of ${topic}-${partition} has a gap: offsets ${last + 1}..${records.startOffset - 1} are in no raw file ` +
            `(${previous ? `after ${previous}, ` : ''}before ${rawDataKey(topic, partition, records.startOffset)})`,
        );
      }
      previous = rawDataKey(topic, partition, records.startOffset);
      // Offsets grow by one along a file: the fresh records are the file's tail.
      const from = Math.min(records.count, Math.max(0, last + 1 - records.startOffset));
      skipped += from;
      if (from === records.count) continue;
      entry.fromOffset ??= records.offset(from);
      last = records.offset(records.count - 1);
      entry.toOffset = last;
      entry.records += records.count - from;
      await cleanFile(chunk, partition, records, from);
      if (chunk.records >= chunkRecords) await flush();
    }
  }
  if (chunk.records > 0) await flush();
  summary.skipped += skipped;
}

/** What a round reads of one partition. */
interface PartitionPlan {
  readonly partition: number;
  /** The last offset the table holds (the partition's txn), -1 for none. */
  readonly last: number;
  readonly indexes: ReadonlyMap<number, readonly RawIndexName[]>;
  /** The data files holding offsets past `last`, in start-offset order. */
  readonly toRead: readonly RawDataFile[];
  /** What is wrong with the partition's landing, thrown when its turn comes. */
  readonly error?: BatchPathError;
}

// Lists every partition's data files and index objects, and checks each landing (see checkLanding).
async function planPartitions(
  store: ObjectStore,
  topic: string,
  snapshot: Snapshot,
): Promise<PartitionPlan[]> {
  const partitions = [...(await listRawFiles(store, topic))].sort(([a], [b]) => a - b);
  const indexes = await Promise.all(partitions.map(([partition]) => listRawIndexes(store, topic, partition)));
  return partitions.map(([partition, files], i) => {
    const byStart = indexes[i]!;
    const last = snapshot.txns[kafkaAppId(topic, partition)] ?? -1;
    try {
      checkLanding(topic, partition, files, byStart, last);
    } catch (error) {
      if (!(error instanceof BatchPathError)) throw error;
      return { partition, last, indexes: byStart, toRead: [], error };
    }
    const done = (file: RawDataFile) => {
      const ranges = byStart.get(file.startOffset) ?? [];
      return ranges.length > 0 && ranges.every((range) => range.endOffset <= last);
    };
    return { partition, last, indexes: byStart, toRead: files.filter((file) => !done(file)) };
  });
}

/**
 * Cleans a file's records from `from` on into the chunk, ~1 MiB of records at a time, letting the
 * event loop run in between: the reads ahead go on in steps of 512 KiB (fs.promises.readFile and
 * writeFile, S3 body streams), each step started from this thread, so a pin file cleaned in one go
 * (~6 MB, 150 ms) left them stalled and the next file was waited for.
 */
async function cleanFile(
  chunk: CleanChunk<Kind>,
  partition: number,
  records: RawRecords,
  from: number,
): Promise<void> {
  for (let start = from; start < records.count; ) {
    const end = records.endOfSlice(start, SLICE_BYTES);
    chunk.addRecords(partition, records, start, end);
    start = end;
    if (start < records.count) await setImmediate();
  }
}

/**
 * Checks a partition's landing before it is read: every index object not yet cleaned has its data file
 * (a missing file is named, not skipped), and the landing reaches the offset the table has cleaned up
 * to (offsets that went backwards, e.g. a topic recreated, are named). Throws a {@link BatchPathError}.
 */
function checkLanding(
  topic: string,
  partition: number,
  files: readonly RawDataFile[],
  indexes: ReadonlyMap<number, readonly RawIndexName[]>,
  last: number,
): void {
  const starts = new Set(files.map((f) => f.startOffset));
  let landedEnd = -1;
  for (const [start, names] of [...indexes].sort(([a], [b]) => a - b)) {
    const end = Math.max(...names.map((n) => n.endOffset));
    if (starts.has(start)) landedEnd = Math.max(landedEnd, end);
    else if (end > last) {
      throw new BatchPathError(
        `raw file ${rawDataKey(topic, partition, start)} is missing: its index ` +
          `${rawIndexKey(topic, partition, start, end)} says it holds offsets ${start}..${end}, not cleaned yet`,
      );
    }
  }
  if (indexes.size > 0 && last > landedEnd) {
    throw new BatchPathError(
      `offsets went backwards in ${topic}-${partition}: tables/batch holds offsets up to ${last}, ` +
        `but the raw landing ends at offset ${landedEnd}`,
    );
  }
}

// Quarantine, upload and commit one chunk; resolves the table's snapshot after the commit.
async function commitChunk(
  store: ObjectStore,
  kind: Kind,
  snapshot: Snapshot,
  chunk: CleanChunk<Kind>,
  summary: BatchCleanSummary,
): Promise<Snapshot> {
  const txns = chunk.txns();
  const file = chunk.finish();
  const files = file === undefined ? [] : [file];
  // Before the commit: a crash after it must not lose them, and a rerun rewrites the same keys.
  await writeQuarantine(store, chunk.quarantine);
  let result: Awaited<ReturnType<typeof appendFiles>>;
  try {
    result = await appendFiles(store, snapshot.tablePath, files, {
      snapshot,
      txns,
      expectedTxns: Object.fromEntries(txns.map((txn) => [txn.appId, snapshot.txns[txn.appId]])),
      beforeCommit: () => maybeFail('batch-clean:after-upload'),
    });
  } catch (error) {
    if (error instanceof ConcurrentTransactionError)
      throw new RestartRound('concurrent run', { cause: error });
    throw error;
  }
  if (result.status === 'duplicate')
    throw new RestartRound(`${result.appId} already at ${result.recordedVersion}`);
  maybeFail('batch-clean:after-commit');
  summary.commits++;
  summary.recordsRead += chunk.records;
  summary.rowsWritten[kind] += chunk.rowCount;
  summary.quarantined += chunk.quarantine.length;
  const nulled = summary.nulled[kind];
  for (const [column, count] of Object.entries(chunk.nulled)) nulled[column] = (nulled[column] ?? 0) + count;
  return result.snapshot;
}

// Reads items in order with up to `width` reads under way and no more than `budget` bytes of them (one
// read at least); a failed read rejects when its turn comes.
async function* readAhead<T extends { readonly bytes: number }>(
  items: readonly T[],
  width: number,
  budget: number,
  read: (item: T) => Promise<RawRecordsRead>,
): AsyncGenerator<RawRecordsRead> {
  const pending: { bytes: number; reading: Promise<RawRecordsRead> }[] = [];
  let next = 0;
  let bytes = 0;
  const fill = () => {
    while (next < items.length && pending.length < width) {
      const item = items[next]!;
      if (pending.length > 0 && bytes + item.bytes > budget) return;
      next++;
      const reading = read(item);
      reading.catch(() => {});
      pending.push({ bytes: item.bytes, reading });
      bytes += item.bytes;
    }
  };
  fill();
  while (pending.length > 0) {
    const head = pending.shift()!;
    const result = await head.reading;
    bytes -= head.bytes;
    fill();
    yield result;
  }
}
