/**
 * Group commits, the production code over the simulated bucket: shard writers run `writeKinesisBatch`
 * in the `staged` commit mode (each a simulated container with its own client and snapshot cache), and
 * one committer runs `commitStaged` on the table in a loop, as commit-staged does. Measures records/s
 * per table against the writers-commit-alone scheme of bench/scale.ts (contention), over the same
 * simulated bucket and latency. The protocol and its exactly-once argument: libs/delta/staging.ts,
 * docs/performance.md ("Group commits") and docs/reliability.md.
 */
import { performance } from 'node:perf_hooks';
import { SnapshotCache } from '../libs/delta/snapshot-cache';
import { commitStaged } from '../libs/delta/staging';
import { ensureCleanTable } from '../libs/lake/clean-tables';
import { cleanTablePath } from '../libs/lake/layout';
import { COMMITTER_MERGE } from '../libs/stream-to-delta/commit-staged-handler';
import { kinesisAppId } from '../libs/stream-to-delta/high-water';
import { WRITER_CHECKPOINT_MAX_FILES, writeKinesisBatch } from '../libs/stream-to-delta/write-kinesis-batch';
import { SIM_PIPELINE, SIM_STREAM, userEvent } from './scale-events';
import {
  type LatencyModel,
  priceOf,
  type RequestCounts,
  SimBucket,
  SimStore,
  seededRandom,
  total,
  zeroCounts,
} from './scale-store';
import type { Figures } from './types';

const TABLE = cleanTablePath('stream', 'user');

const appIdOf = (shard: number) => kinesisAppId(SIM_STREAM, `shardId-${String(shard).padStart(12, '0')}`);

/** A simulated stream-to-delta container of one shard, staging its batches. */
class StagingWriter {
  readonly store: SimStore;
  private readonly snapshots = new SnapshotCache();
  private next = 0;
  /** When each staged batch (by its txn version, 1, 2, …) was staged: performance.now(). */
  readonly stagedAt: number[] = [];
  maxRequests = 0;

  constructor(
    bucket: SimBucket,
    latency: LatencyModel,
    readonly shard: number,
    private readonly recordsPerBatch: number,
  ) {
    this.store = new SimStore(bucket, latency, seededRandom(5000 + shard));
  }

  async invoke(): Promise<void> {
    const before = total(this.store.counts);
    const outcome = await writeKinesisBatch(userEvent(this.shard, this.next, this.recordsPerBatch), {
      store: this.store,
      pipelineId: SIM_PIPELINE,
      snapshots: this.snapshots,
      commitMode: 'staged',
    });
    this.maxRequests = Math.max(this.maxRequests, total(this.store.counts) - before);
    if (outcome.status !== 'staged')
      throw new Error(`shard ${this.shard}: ${outcome.status} (${outcome.error})`);
    this.next += this.recordsPerBatch;
    this.stagedAt.push(performance.now());
  }
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** N staging writers back to back and one committer on one fresh table for `seconds`. */
export async function groupCommits(
  writers: number,
  seconds: number,
  latency: LatencyModel,
  recordsPerBatch: number,
): Promise<Figures> {
  const bucket = new SimBucket();
  const all = Array.from(
    { length: writers },
    (_, i) => new StagingWriter(bucket, latency, i, recordsPerBatch),
  );
  await ensureCleanTable(new SimStore(bucket, { medianMs: 0, sigma: 0 }, Math.random), 'stream', 'user');
  const committerStore = new SimStore(bucket, latency, seededRandom(77));
  const snapshots = new SnapshotCache();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let invocations = 0;
  const writing = Promise.all(
    all.map(async (writer) => {
      while (performance.now() < deadline) {
        await writer.invoke();
        invocations++;
      }
    }),
  );
  let writersDone = false;
  void writing.then(() => {
    writersDone = true;
  });
  let commits = 0;
  let records = 0;
  let largestGroup = 0;
  let files = 0;
  const visibleMs: number[] = [];
  const seen = new Map<string, number>();
  // The committer runs on until everything staged in the window is committed.
  for (;;) {
    const cycle = await commitStaged(committerStore, TABLE, {
      snapshots,
      checkpointMaxFiles: WRITER_CHECKPOINT_MAX_FILES,
      merge: COMMITTER_MERGE,
    });
    if (cycle.version !== undefined) {
      const at = performance.now();
      commits++;
      records += cycle.rows;
      largestGroup = Math.max(largestGroup, cycle.manifests);
      files += cycle.files;
      const txns = snapshots.peek(committerStore, TABLE)?.txns ?? {};
      for (const writer of all) {
        const appId = appIdOf(writer.shard);
        for (let v = (seen.get(appId) ?? 0) + 1; v <= (txns[appId] ?? 0); v++) {
          visibleMs.push(at - writer.stagedAt[v - 1]!);
        }
        seen.set(appId, txns[appId] ?? 0);
      }
    } else if (writersDone && cycle.waiting === 0) break;
    else await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const elapsed = (performance.now() - started) / 1000;
  const writerRequests = all.reduce((sum: RequestCounts, w) => {
    for (const k of Object.keys(sum) as (keyof RequestCounts)[]) sum[k] += w.store.counts[k];
    return sum;
  }, zeroCounts());
  const committerRequests = committerStore.counts;
  const batches = Math.max(1, invocations);
  return {
    writers,
    recordsPerSecond: Math.round(records / elapsed),
    commitsPerSecond: Number((commits / elapsed).toFixed(1)),
    batchesPerCommit: Number((batches / Math.max(1, commits)).toFixed(1)),
    largestGroup,
    filesPerCommit: Number((files / Math.max(1, commits)).toFixed(1)),
    visibleP50Ms: Math.round(percentile(visibleMs, 50)),
    visibleP99Ms: Math.round(percentile(visibleMs, 99)),
    writerRequestsPerBatch: Number((total(writerRequests) / batches).toFixed(1)),
    writerRequestsMax: Math.max(...all.map((w) => w.maxRequests)),
    committerRequestsPerBatch: Number((total(committerRequests) / batches).toFixed(1)),
    dollarsPerMillionRecords: Number(
      (((priceOf(writerRequests) + priceOf(committerRequests)) / Math.max(1, records)) * 1e6).toFixed(3),
    ),
    recordsCommitted: records,
    recordsStaged: batches * recordsPerBatch,
  };
}
