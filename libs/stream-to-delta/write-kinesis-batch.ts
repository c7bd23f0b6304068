/**
 * stream-to-delta's logic: one Kinesis batch (one shard of one stream) → clean rows → one Parquet file
 * → one Delta commit, exactly once (DESIGN §2.4), with the records cleaning rejects quarantined first.
 */

import { setImmediate } from 'node:timers/promises';
import type { KinesisStreamEvent } from 'aws-lambda';
import { maybeFail } from '../chaos';
import {
  type AddFile,
  appendFiles,
  CommitRetriesExhaustedError,
  ConcurrentTransactionError,
  latestSnapshot,
  type Snapshot,
  type SnapshotCache,
  stageFile,
} from '../delta';
import {
  CleanTableCommitError,
  cleanTablePath,
  ensureCleanTable,
  type QuarantineEntry,
  writeQuarantine,
} from '../lake';
import { kindOfStream, streamNames } from '../naming';
import { type EncodedTable, TableWriter } from '../parquet';
import { type Kind, TABLE_COLUMNS } from '../records';
import { type ObjectStore, StorageError } from '../storage';
import { KinesisBatchError } from './errors';
import { highWaterTag, kinesisAppId, type ShardMark } from './high-water';
import {
  compareRecordSequences,
  compareSequenceAt,
  DecodedRecords,
  type KinesisEventBatch,
  type SequenceNumber,
  scanKinesisBatch,
  sequenceNumberOf,
} from './kinesis-batch';
import { markStagedCommits, readDirectShardMark, readStagedShardMark } from './staged-mark';

/** What {@link writeKinesisBatch} needs. */
export interface StreamToDeltaDeps {
  /** The lake. */
  readonly store: ObjectStore;
  /** Names the streams (`streaming-<id>-<kind>`), so the stream says the kind. */
  readonly pipelineId: string;
  /** The container's snapshots, kept across invocations (none: the table is loaded every time). */
  readonly snapshots?: SnapshotCache;
  /**
   * `direct` (default): each batch is one commit. `staged`: each batch is staged for the table's
   * committer (commit-staged, group commits: libs/delta/staging.ts) and is durable once staged.
   */
  readonly commitMode?: StreamCommitMode;
  /**
   * A commit checkpoints the table only while it holds at most this many files and tombstones (default
   * {@link WRITER_CHECKPOINT_MAX_FILES}); bigger tables are checkpointed by maintain-tables.
   */
  readonly checkpointMaxFiles?: number;
}

/**
 * Above this many live files and tombstones a writer leaves checkpoints to maintain-tables: encoding
 * 1,000 costs ~0.15 s, once every 10 commits; 100,000 would cost ~15 s (docs/performance.md).
 */
export const WRITER_CHECKPOINT_MAX_FILES = 1000;

/** How stream-to-delta writes a batch: its own commit, or staged for the table's committer. */
export type StreamCommitMode = 'direct' | 'staged';

/** One entry of a partial batch response: the first record to deliver again. */
export interface BatchItemFailure {
  itemIdentifier: string;
}

/** What happened to a batch. */
export interface KinesisBatchOutcome {
  readonly stream: string;
  readonly shardId: string;
  readonly kind: Kind;
  /**
   * `committed`: rows written in a new table version; `staged`: rows staged for the committer (the
   * `staged` commit mode), durable and visible once it commits; `quarantined-only`: every new record was
   * quarantined, nothing to commit; `nothing-new`: every record was at or below the shard's
   * high-water mark; `retry`: a storage failure, the records from `batchItemFailures` must come again.
   */
  readonly status: 'committed' | 'staged' | 'quarantined-only' | 'nothing-new' | 'retry';
  /** Records in the event. */
  readonly received: number;
  /** Records dropped as already committed (at or below the high-water mark). */
  readonly skipped: number;
  readonly rowsWritten: number;
  readonly quarantined: number;
  /** Columns cleaning nulled although the raw record had a value, with counts. */
  readonly nulled: Record<string, number>;
  /** The table version of the commit, when there was one. */
  readonly version: number | undefined;
  /** The Lambda partial batch response's list: empty unless `status` is `retry`. */
  readonly batchItemFailures: BatchItemFailure[];
  /** The storage failure behind a `retry`. */
  readonly error?: Error;
}

const MAX_ROUNDS = 5;

/**
 * Writes one Kinesis batch into `tables/stream/<kind>` exactly once. The table is created if absent;
 * records at or below the shard's high-water mark are dropped (the batch is cleaned while the table is
 * read, and cleaned again without them when there are some); the rest are cleaned, the rejected ones
 * written to `quarantine/<stream>/<day>/<shardId>-<sequenceNumber>.json`, and the rows appended as one
 * Parquet file in one commit carrying the txn (`kinesis:<stream>:<shardId>`, commit counter + 1) and the
 * new high-water mark as a tag. When another invocation of the same shard committed first, the table is
 * re-read and only what is still new is written. In the `staged` commit mode the file is staged with a
 * manifest for the table's committer instead (txn version = the shard's counter counting staged
 * batches + 1; the mark counts staged batches too: see `readStagedShardMark`), and a manifest key
 * already taken is a lost race like a commit's. A storage failure does not throw: the outcome is
 * `retry` with the first record not durably written in `batchItemFailures`. Anything else throws
 * (a `KinesisBatchError` for an event that is not one shard of one of the pipeline's streams). Chaos
 * steps: `stream-to-delta:after-upload`, `stream-to-delta:after-commit` (direct),
 * `stream-to-delta:after-stage` (staged).
 */
export async function writeKinesisBatch(
  event: KinesisStreamEvent,
  deps: StreamToDeltaDeps,
): Promise<KinesisBatchOutcome> {
  const batch = scanKinesisBatch(event);
  const kind = kindOfStream(deps.pipelineId, batch.stream);
  if (kind === undefined) {
    throw new KinesisBatchError(
      `stream ${batch.stream} is not one of this pipeline's streams (${streamNames(deps.pipelineId).join(', ')})`,
    );
  }
  const base = { stream: batch.stream, shardId: batch.shardId, kind, received: batch.size };
  let committed: bigint | undefined;
  let read = false;
  try {
    const tablePath = cleanTablePath('stream', kind);
    // The table's log is listed while the batch is cleaned: usually every record is new, and the rare
    // batch holding committed ones is cleaned again. The S3 client signs and sends a request over a few
    // promise steps, so one turn of the event loop lets the request leave before the cleaning takes the
    // CPU (without it the LIST left only after the cleaning); later requests of the refresh (the new
    // commits, when other writers made some) wait for the cleaning.
    const staged = deps.commitMode === 'staged';
    const latest = () => latestSnapshot(deps.store, tablePath, deps.snapshots);
    const readMark = (
      table: () => Promise<Snapshot>,
    ): Promise<{ snapshot: Snapshot; mark: ShardMark; stagedAdds?: AddFile[] }> =>
      staged
        ? readStagedShardMark(deps.store, tablePath, batch.stream, batch.shardId, table)
        : table().then((snapshot) => readDirectShardMark(deps.store, snapshot, batch.stream, batch.shardId));
    const reading = readMark(() => ensureCleanTable(deps.store, 'stream', kind, deps.snapshots));
    reading.catch(() => undefined); // awaited below; a failure must not surface as unhandled meanwhile
    await setImmediate();
    let cleaned = cleanRecords(batch, kind, allOf(batch));
    let { snapshot, mark, stagedAdds } = await reading;
    for (let round = 1; ; round++) {
      committed = mark.highWater;
      read = true;
      const highWater = mark.highWater === undefined ? undefined : sequenceNumberOf(mark.highWater);
      const fresh = newRecords(batch, highWater);
      // Both are the records above a mark that only rises, so equal sizes mean equal sets.
      if (fresh.length !== cleaned.records.length) cleaned = cleanRecords(batch, kind, fresh);
      const attempt = staged
        ? await stageNewRecords(deps, batch, snapshot, mark.commits, cleaned, latest)
        : await writeNewRecords(deps, batch, snapshot, mark.commits, cleaned, stagedAdds ?? []);
      if (attempt.status !== 'duplicate') return { ...base, ...attempt, batchItemFailures: [] };
      if (round === MAX_ROUNDS) {
        throw new CleanTableCommitError(
          `batch ${batch.stream}/${batch.shardId} from ${batch.sequenceNumbers[0]}: another writer of the ` +
            `shard committed first ${MAX_ROUNDS} times in a row`,
        );
      }
      ({ snapshot, mark, stagedAdds } = await readMark(latest));
    }
  } catch (error) {
    if (!(error instanceof StorageError || error instanceof CommitRetriesExhaustedError)) throw error;
    const mark = committed === undefined ? undefined : sequenceNumberOf(committed);
    const fresh = read ? newRecords(batch, mark) : allOf(batch);
    const first = fresh.length > 0 ? batch.sequenceNumbers[fresh[0]!] : undefined;
    return {
      ...base,
      status: first ? 'retry' : 'nothing-new',
      skipped: batch.size - fresh.length,
      rowsWritten: 0,
      quarantined: 0,
      nulled: {},
      version: undefined,
      batchItemFailures: first ? [{ itemIdentifier: first }] : [],
      error,
    };
  }
}

type Attempt = Omit<KinesisBatchOutcome, keyof KinesisEventBatch | 'kind' | 'received' | 'batchItemFailures'>;

// One round: the cleaned new records are quarantined and committed against `snapshot`; `duplicate`
// when another invocation of this shard committed since the snapshot was read.
async function writeNewRecords(
  { store, snapshots, checkpointMaxFiles }: StreamToDeltaDeps,
  batch: KinesisEventBatch,
  snapshot: Snapshot,
  commits: number,
  cleaned: CleanedRecords,
  stagedAdds: readonly AddFile[],
): Promise<Attempt | { status: 'duplicate' }> {
  const first = await quarantineRejected(store, batch, cleaned);
  if ('done' in first) return first.done;
  const { file, counts } = first;
  const appId = kinesisAppId(batch.stream, batch.shardId);
  const version = commits + 1;
  let result: Awaited<ReturnType<typeof appendFiles>>;
  try {
    result = await appendFiles(store, snapshot.tablePath, [file], {
      txn: { appId, version },
      // The snapshot the mark was read from: appendFiles need not read the log again, and a commit
      // that raced ahead of it is still caught (the version is taken, the winner is checked).
      snapshot,
      expectedTxns: { [appId]: snapshot.txns[appId] },
      checkpointMaxFiles: checkpointMaxFiles ?? WRITER_CHECKPOINT_MAX_FILES,
      tags: { [highWaterTag(batch.stream, batch.shardId)]: maxSequence(batch, cleaned.records) },
      stagedAdds,
      operationParameters: { outputMode: 'Append', queryId: appId, epochId: String(version) },
      beforeCommit: () => maybeFail('stream-to-delta:after-upload'),
    });
  } catch (error) {
    // Our own app id moved under us: another invocation of this shard; re-read and recompute.
    if (error instanceof ConcurrentTransactionError) return { status: 'duplicate' };
    throw error;
  }
  if (result.status === 'duplicate') return { status: 'duplicate' };
  snapshots?.remember(store, result.snapshot);
  maybeFail('stream-to-delta:after-commit');
  return { status: 'committed', ...counts, rowsWritten: file.stats.numRecords, version: result.version };
}

// One round of the staged mode: the cleaned new records are quarantined and their file staged as the
// shard's next version; `duplicate` when another invocation of this shard staged that version first.
async function stageNewRecords(
  { store, snapshots, checkpointMaxFiles }: StreamToDeltaDeps,
  batch: KinesisEventBatch,
  snapshot: Snapshot,
  counter: number,
  cleaned: CleanedRecords,
  latest: () => Promise<Snapshot>,
): Promise<Attempt | { status: 'duplicate' }> {
  const first = await quarantineRejected(store, batch, cleaned);
  if ('done' in first) return first.done;
  const { file, counts } = first;
  const appId = kinesisAppId(batch.stream, batch.shardId);
  const version = counter + 1;
  // Before the manifest: a later invocation of the shard running the direct code must look for it.
  const table = await markStagedCommits(
    store,
    snapshot,
    snapshots,
    checkpointMaxFiles ?? WRITER_CHECKPOINT_MAX_FILES,
  );
  const staged = await stageFile(store, snapshot.tablePath, file, {
    txn: { appId, version },
    tags: { [highWaterTag(batch.stream, batch.shardId)]: maxSequence(batch, cleaned.records) },
    snapshot: table,
    beforeStage: () => maybeFail('stream-to-delta:after-upload'),
  });
  if (staged === 'taken') return { status: 'duplicate' };
  maybeFail('stream-to-delta:after-stage');
  // The key was free, but it may have been used before: staged, committed and deleted by the committer
  // after this invocation read the table (another invocation of the shard). A manifest is deleted only
  // once a commit records its version, so the table read now says so, and this manifest is never
  // committed (the committer deletes it): re-read and stage again.
  if (((await latest()).txns[appId] ?? 0) >= version) return { status: 'duplicate' };
  return { status: 'staged', ...counts, rowsWritten: file.stats.numRecords, version: undefined };
}

/**
 * What a round does first in either mode: nothing to write when no record is new; else the rejected
 * records quarantined (before the commit or the stage: a crash after it must not lose them, and a
 * redelivery rewrites the same keys), and nothing more when every new record was rejected. Otherwise
 * the file to write and the counts of the outcome.
 */
async function quarantineRejected(
  store: ObjectStore,
  batch: KinesisEventBatch,
  cleaned: CleanedRecords,
): Promise<
  { done: Attempt } | { file: EncodedTable; counts: Pick<Attempt, 'skipped' | 'quarantined' | 'nulled'> }
> {
  const skipped = batch.size - cleaned.records.length;
  if (cleaned.records.length === 0) {
    return {
      done: {
        status: 'nothing-new',
        skipped,
        rowsWritten: 0,
        quarantined: 0,
        nulled: {},
        version: undefined,
      },
    };
  }
  await writeQuarantine(store, cleaned.rejected);
  const counts = { skipped, quarantined: cleaned.rejected.length, nulled: cleaned.nulled };
  const { file } = cleaned;
  if (file === undefined) {
    return { done: { status: 'quarantined-only', ...counts, rowsWritten: 0, version: undefined } };
  }
  return { file, counts };
}

/** Records cleaned: the Parquet file of their rows (none when every one was rejected), the rejected ones. */
interface CleanedRecords {
  /** The records cleaned (their places in the batch), in event order. */
  readonly records: readonly number[];
  readonly file: EncodedTable | undefined;
  readonly rejected: QuarantineEntry[];
  readonly nulled: Record<string, number>;
}

/**
 * Decodes the records in one pass, then cleans and encodes them one by one, so the batch is never
 * held as rows: each clean row goes straight into the Parquet writer and only rejected records are
 * kept (their bytes are views of the decoded batch), for the quarantine. No row builds its `source`
 * text or its own Date: the writer is told the prefix every `source` shares (rows carry the sequence
 * number after it, written DELTA_BYTE_ARRAY), and one Date is set to each record's arrival in turn
 * (the writer encodes a row's values as it is appended).
 */
function cleanRecords(batch: KinesisEventBatch, kind: Kind, fresh: readonly number[]): CleanedRecords {
  const prefix = `kinesis:${batch.stream}:${batch.shardId}:`;
  const table = new TableWriter(TABLE_COLUMNS[kind], {
    file: `${batch.stream}/${batch.shardId}`,
    sharedPrefixes: { source: prefix },
  });
  const rejected: QuarantineEntry[] = [];
  const nulled: Record<string, number> = {};
  const decoded = new DecodedRecords(batch.data, fresh);
  // One meta object for the whole batch: cleaning copies its fields into the row and keeps nothing.
  const meta = { source: '', ingestedAt: new Date(0) };
  const { sequenceNumbers, arrivalMs } = batch;
  for (let i = 0; i < fresh.length; i++) {
    const record = fresh[i]!;
    const sequenceNumber = sequenceNumbers[record]!;
    meta.source = sequenceNumber;
    meta.ingestedAt.setTime(arrivalMs[record]!);
    const result = decoded.clean(kind, i, meta);
    if (!result.ok) {
      rejected.push({
        origin: batch.stream,
        name: `${batch.shardId}-${sequenceNumber}`,
        reason: result.reason,
        source: prefix + sequenceNumber,
        receivedAt: new Date(arrivalMs[record]!),
        bytes: Buffer.from(decoded.bytes(i)), // a copy: the decode buffer goes to the next batch
      });
      continue;
    }
    table.append(result.row);
    for (const column of result.nulled) nulled[column] = (nulled[column] ?? 0) + 1;
  }
  decoded.release();
  return { records: fresh, file: table.rowCount === 0 ? undefined : table.finish(), rejected, nulled };
}

/** Every record of the batch, by place. */
function allOf(batch: KinesisEventBatch): number[] {
  const all: number[] = [];
  for (let i = 0; i < batch.size; i++) all.push(i);
  return all;
}

/** The records above the high-water mark (all of them when there is none), by place. */
function newRecords(batch: KinesisEventBatch, highWater: SequenceNumber | undefined): number[] {
  if (highWater === undefined) return allOf(batch);
  const fresh: number[] = [];
  for (let i = 0; i < batch.size; i++) if (compareSequenceAt(batch, i, highWater) > 0) fresh.push(i);
  return fresh;
}

/** The largest sequence number of the records, as decimal text. */
function maxSequence(batch: KinesisEventBatch, records: readonly number[]): string {
  let max = records[0]!;
  for (const r of records) if (compareRecordSequences(batch, r, max) > 0) max = r;
  return (batch.oddSequences.get(max) ?? batch.sequenceNumbers[max]!).toString();
}
