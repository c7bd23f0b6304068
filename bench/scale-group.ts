/**
 * Group commits, simulated (not in the production path): shard writers stage their Parquet file and a
 * manifest instead of committing, and one committer per table commits every staged manifest in one
 * Delta commit (the real `commit`) carrying each shard's txn. Measures records/s per table against the
 * writers-commit-alone scheme of bench/scale.ts, over the same simulated bucket and latency.
 *
 * The protocol (docs/performance.md, "Group commits"):
 * - A writer of shard s with commit counter c (the larger of the table's txn for s and its highest
 *   staged manifest, read with one LIST of `_staging/<appId>/`) uploads its file under a new name, then
 *   creates `_staging/<appId>/<c+1>.json` (add action, txn version c+1) only if absent. A redelivery or a
 *   concurrent invocation of the same shard finds the key taken and compares high-water marks, as the
 *   commit path does with a lost race.
 * - The committer lists `_staging/`, reads the manifests above each app id's recorded txn, and commits
 *   all their adds with one txn per app id at the highest staged version (Delta's txn says "reached
 *   version v"; one txn action per app id per commit). Manifests at or below the recorded version are
 *   deleted, so a committer killed between its commit and the deletes leaves nothing to redo.
 */
import { performance } from 'node:perf_hooks';
import type { Action, AddFile } from '../libs/delta/actions';
import { commit } from '../libs/delta/commit';
import { createTable } from '../libs/delta/create-table';
import { tableKey } from '../libs/delta/paths';
import { SnapshotCache } from '../libs/delta/snapshot-cache';
import { newDataFileName } from '../libs/delta/write';
import { cleanTablePath } from '../libs/lake/layout';
import { encodeTable } from '../libs/parquet/encode';
import { TABLE_COLUMNS, type UserRow } from '../libs/records/tables';
import { kinesisAppId } from '../libs/stream-to-delta/high-water';
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
const STAGING = '_staging/';
const STREAM = 'streaming-sim-user';

interface Manifest {
  readonly add: AddFile;
  readonly txn: { appId: string; version: number };
  readonly stagedAt: number;
  readonly records: number;
}

const shardIdOf = (shard: number) => `shardId-${String(shard).padStart(12, '0')}`;
const appIdOf = (shard: number) => kinesisAppId(STREAM, shardIdOf(shard));
const stagedKey = (appId: string, version: number) =>
  tableKey(TABLE, `${STAGING}${appId}/${String(version).padStart(20, '0')}.json`);

function rowsOf(shard: number, first: number, count: number): UserRow[] {
  return Array.from({ length: count }, (_, i) => ({
    ind: shard * 1e7 + first + i,
    user_name: `Ada N${first + i}`,
    age: 30,
    date_joined: new Date(Date.UTC(2016, 0, 2, 3, 4, 5)),
    source: `${appIdOf(shard)}:${first + i}`,
    ingested_at: new Date(),
  }));
}

/** A shard writer that stages: one LIST of its own staging prefix, the file PUT, the manifest PUT. */
class StagingWriter {
  readonly store: SimStore;
  private counter = 0;
  private next = 0;

  constructor(
    bucket: SimBucket,
    latency: LatencyModel,
    private readonly shard: number,
    private readonly recordsPerBatch: number,
  ) {
    this.store = new SimStore(bucket, latency, seededRandom(5000 + shard));
  }

  async invoke(): Promise<void> {
    const appId = appIdOf(this.shard);
    // The shard's mark: a warm container knows it; the LIST is what a cold one (or a check) would pay.
    await this.store.list(tableKey(TABLE, `${STAGING}${appId}/`), { limit: 1000 });
    const file = encodeTable(TABLE_COLUMNS.user, rowsOf(this.shard, this.next, this.recordsPerBatch));
    const path = newDataFileName();
    await this.store.put(tableKey(TABLE, path), file.bytes);
    const version = this.counter + 1;
    const manifest: Manifest = {
      add: {
        path,
        partitionValues: {},
        size: file.bytes.byteLength,
        modificationTime: Date.now(),
        dataChange: true,
        stats: JSON.stringify(file.stats),
      },
      txn: { appId, version },
      stagedAt: performance.now(),
      records: this.recordsPerBatch,
    };
    if (await this.store.putIfAbsent(stagedKey(appId, version), JSON.stringify(manifest))) {
      this.counter = version;
      this.next += this.recordsPerBatch;
    }
  }
}

/** The table's one committer: staged manifests → one commit with every shard's txn. */
class Committer {
  readonly store: SimStore;
  private readonly snapshots = new SnapshotCache();
  commits = 0;
  records = 0;
  readonly visibleMs: number[] = [];
  largestGroup = 0;

  constructor(bucket: SimBucket, latency: LatencyModel) {
    this.store = new SimStore(bucket, latency, seededRandom(77));
  }

  /** One cycle; resolves false when nothing was staged. */
  async cycle(): Promise<boolean> {
    const [listed, snapshot] = await Promise.all([
      this.store.list(tableKey(TABLE, STAGING)),
      this.snapshots.latest(this.store, TABLE),
    ]);
    const prefix = tableKey(TABLE, STAGING);
    const stale: string[] = [];
    const fresh: string[] = [];
    for (const { key } of listed) {
      const [appId, name] = key.slice(prefix.length).split('/') as [string, string];
      const version = Number(name.slice(0, -'.json'.length));
      if (version <= (snapshot.txns[appId] ?? 0)) stale.push(key);
      else fresh.push(key);
    }
    await Promise.all(stale.map((key) => this.store.delete(key)));
    if (fresh.length === 0) return false;
    const manifests = await Promise.all(
      fresh.map(async (key) => JSON.parse(new TextDecoder().decode(await this.store.get(key))) as Manifest),
    );
    // Per app id: the versions that follow the recorded one without a gap, committed with the highest.
    const byApp = new Map<string, Manifest[]>();
    for (const m of manifests) byApp.set(m.txn.appId, [...(byApp.get(m.txn.appId) ?? []), m]);
    const adds: Action[] = [];
    const txns: { appId: string; version: number }[] = [];
    const taken: Manifest[] = [];
    for (const [appId, staged] of byApp) {
      staged.sort((a, b) => a.txn.version - b.txn.version);
      let at = snapshot.txns[appId] ?? 0;
      for (const m of staged) {
        if (m.txn.version !== at + 1) break;
        at = m.txn.version;
        adds.push({ add: m.add });
        taken.push(m);
      }
      if (at > (snapshot.txns[appId] ?? 0)) txns.push({ appId, version: at });
    }
    const result = await commit(this.store, TABLE, adds, {
      snapshot,
      txns,
      operation: 'STREAMING UPDATE',
      checkpointMaxFiles: 1000,
    });
    if (result.status !== 'committed') return true;
    this.snapshots.remember(this.store, result.snapshot);
    const at = performance.now();
    this.commits++;
    this.largestGroup = Math.max(this.largestGroup, taken.length);
    for (const m of taken) {
      this.records += m.records;
      this.visibleMs.push(at - m.stagedAt);
    }
    await Promise.all(taken.map((m) => this.store.delete(stagedKey(m.txn.appId, m.txn.version))));
    return true;
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
  await createTable(new SimStore(bucket, { medianMs: 0, sigma: 0 }, Math.random), TABLE, TABLE_COLUMNS.user);
  const all = Array.from(
    { length: writers },
    (_, i) => new StagingWriter(bucket, latency, i, recordsPerBatch),
  );
  const committer = new Committer(bucket, latency);
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
  // The committer runs on until everything staged in the window is committed.
  for (;;) {
    const busy = await committer.cycle();
    if (!busy && writersDone) break;
    if (!busy) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const elapsed = (performance.now() - started) / 1000;
  const writerRequests = all.reduce((sum: RequestCounts, w) => {
    for (const k of Object.keys(sum) as (keyof RequestCounts)[]) sum[k] += w.store.counts[k];
    return sum;
  }, zeroCounts());
  const committerRequests = committer.store.counts;
  return {
    writers,
    recordsPerSecond: Math.round(committer.records / elapsed),
    commitsPerSecond: Number((committer.commits / elapsed).toFixed(1)),
    batchesPerCommit: Number((invocations / Math.max(1, committer.commits)).toFixed(1)),
    largestGroup: committer.largestGroup,
    visibleP50Ms: Math.round(percentile(committer.visibleMs, 50)),
    visibleP99Ms: Math.round(percentile(committer.visibleMs, 99)),
    writerRequestsPerBatch: Number((total(writerRequests) / Math.max(1, invocations)).toFixed(1)),
    committerRequestsPerBatch: Number((total(committerRequests) / Math.max(1, invocations)).toFixed(1)),
    dollarsPerMillionRecords: Number(
      (
        ((priceOf(writerRequests) + priceOf(committerRequests)) / Math.max(1, committer.records)) *
        1e6
      ).toFixed(3),
    ),
    recordsCommitted: committer.records,
    recordsStaged: invocations * recordsPerBatch,
  };
}
