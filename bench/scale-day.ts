/**
 * The scale simulator's upkeep day: small files arrive on one table at a shard count's commit rate and
 * the real `maintainTables` runs on a schedule, over simulated hours (a {@link VirtualClock}: every
 * request advances it by an S3-like latency, CPU counts as spent). Answers: with this schedule, how
 * many small files does the table hold at worst, and what does a run cost?
 */
import type { Action } from '../libs/delta/actions';
import { commit } from '../libs/delta/commit';
import { createTable } from '../libs/delta/create-table';
import { tableKey } from '../libs/delta/paths';
import type { ReplayState } from '../libs/delta/replay';
import { SnapshotCache } from '../libs/delta/snapshot-cache';
import { newDataFileName } from '../libs/delta/write';
import { cleanTablePath } from '../libs/lake/layout';
import { maintainTables } from '../libs/maintenance';
import { encodeTable } from '../libs/parquet/encode';
import { TABLE_COLUMNS, type UserRow } from '../libs/records/tables';
import { WRITER_CHECKPOINT_MAX_FILES } from '../libs/stream-to-delta';
import {
  type LatencyModel,
  minus,
  priceOf,
  SimBucket,
  SimStore,
  seededRandom,
  total,
  VirtualClock,
} from './scale-store';
import type { Figures } from './types';

/** One simulated day (or part of one) of writes and scheduled upkeep on one table. */
export interface UpkeepDay {
  /** Small files committed to the table per second (shards ÷ batching window, at most the commit ceiling). */
  readonly filesPerSecond: number;
  /**
   * Rows of each arriving file (default {@link ROWS_PER_FILE}, a ~1.3 MB batch file: {@link FILES_PER_TARGET}
   * of them make a compacted file); group commits' merged files hold more.
   */
  readonly rowsPerFile?: number;
  /** The schedule: one maintain-tables run every this many minutes. */
  readonly everyMinutes: number;
  /** The run's budget (no new step after it), as the handler sets it. */
  readonly budgetMs: number;
  readonly hours: number;
  readonly latency: LatencyModel;
}

const TABLE = cleanTablePath('stream', 'user');
const ROWS_PER_FILE = 10;
/**
 * The compaction target, in the simulator's tiny files: the size of one file with 50 files' rows. Production's target is 64 MiB, so
 * this stands for batch files of ~1.3 MB (a shard's 10 s window at ~130 KB/s); the small-file count does
 * not depend on the bytes, only on how many files make a full one.
 */
const FILES_PER_TARGET = 50;
const ADDS_PER_SIM_COMMIT = 200;

/**
 * The simulated writers' warm state drops tombstones past the table's retention on the simulated clock,
 * as production's state copies do on the real one (`ReplayState.clone`): otherwise it holds every
 * tombstone of the day, and copying it on each commit (outside the clock) and collecting it (inside: the
 * garbage collector runs during upkeep too) makes a simulated day take hours.
 */
function dropExpiredTombstones(state: ReplayState, now: number): void {
  state.forgetTombstones(state.tombstoneCutoff(now));
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const tinyRows = (n: number, from: number): UserRow[] =>
  Array.from({ length: n }, (_, i) => ({
    ind: from + i,
    user_name: `user ${from + i}`,
    age: 30,
    date_joined: new Date(Date.UTC(2017, 0, 1)),
    source: `kinesis:sim:shardId-000000000001:${from + i}`,
    ingested_at: new Date(Date.UTC(2026, 0, 1)),
  }));

/**
 * Runs the day: before each scheduled run, the files that arrived since the last one are committed
 * (on the writers' behalf, outside the simulated time, a few hundred adds per commit); the run then
 * compacts, checkpoints and vacuums with its budget. Files arriving during a run are counted against
 * the peak but committed after it (the peak is an upper bound: compaction only lowers it). A run that
 * outlasts the interval delays the next one (in AWS the schedule would start one beside it).
 */
export async function upkeepDay(day: UpkeepDay): Promise<Figures> {
  const clock = new VirtualClock(Date.UTC(2026, 11, 1));
  const bucket = new SimBucket();
  bucket.clock = clock.now;
  const writer = new SimStore(bucket, { medianMs: 0, sigma: 0 }, seededRandom(1), undefined, clock);
  const upkeep = new SimStore(bucket, day.latency, seededRandom(2), undefined, clock);
  const columns = TABLE_COLUMNS.user;
  await createTable(writer, TABLE, columns);
  const rowsPerFile = day.rowsPerFile ?? ROWS_PER_FILE;
  const file = encodeTable(columns, tinyRows(rowsPerFile, 0));
  const stats = JSON.stringify(file.stats);
  // The size of one file holding FILES_PER_TARGET files' rows: tiny files' own overhead would otherwise
  // keep every compacted file under the target for ever.
  const targetSize = encodeTable(columns, tinyRows(ROWS_PER_FILE * FILES_PER_TARGET, 0)).bytes.byteLength;
  const writerSnapshots = new SnapshotCache();
  const upkeepSnapshots = new SnapshotCache();
  const end = clock.now() + day.hours * 3_600_000;
  const interval = day.everyMinutes * 60_000;
  let arrived = 0;
  let committed = 0;
  let lastArrival = clock.now();
  let peak = 0;
  let smallAtStartMax = 0;
  const runMs: number[] = [];
  const runRequests: number[] = [];
  const runStarts: number[] = [];
  let dollars = 0;
  let overran = 0;
  let vacuumListed = 0;
  let nextRun = clock.now() + interval;

  const commitArrivals = (until: number) =>
    clock.exclude(async () => {
      arrived += ((until - lastArrival) / 1000) * day.filesPerSecond;
      lastArrival = until;
      while (committed < Math.floor(arrived)) {
        const count = Math.min(ADDS_PER_SIM_COMMIT, Math.floor(arrived) - committed);
        const adds: Action[] = [];
        for (let i = 0; i < count; i++) {
          const path = newDataFileName();
          bucket.load(tableKey(TABLE, path), file.bytes);
          adds.push({
            add: {
              path,
              partitionValues: {},
              size: file.bytes.byteLength,
              modificationTime: clock.now(),
              dataChange: true,
              stats,
            },
          });
        }
        bucket.seal();
        const snapshot = await writerSnapshots.latest(writer, TABLE);
        const result = await commit(writer, TABLE, adds, {
          snapshot,
          operation: 'STREAMING UPDATE',
          now: clock.now,
          // As stream-to-delta: checkpoints of tables above 1,000 files are left to maintain-tables.
          checkpointMaxFiles: WRITER_CHECKPOINT_MAX_FILES,
        });
        if (result.status === 'committed') {
          dropExpiredTombstones(result.snapshot.state, clock.now());
          writerSnapshots.remember(writer, result.snapshot);
        }
        committed += count;
      }
    });

  while (nextRun < end) {
    if (clock.now() < nextRun) clock.advance(nextRun - clock.now());
    else overran++;
    await commitArrivals(clock.now());
    const before = await clock.exclude(() => writerSnapshots.latest(writer, TABLE));
    const smallAtStart = before.files.filter((f) => f.size < targetSize / 2).length;
    const requestsBefore = { ...upkeep.counts };
    const started = clock.now();
    const [table] = await maintainTables(upkeep, {
      budgetMs: day.budgetMs,
      targetSize,
      snapshots: upkeepSnapshots,
      now: clock.now,
      clock: clock.now,
    });
    const ms = clock.now() - started;
    const used = minus(upkeep.counts, requestsBefore);
    runMs.push(ms);
    runStarts.push(started);
    runRequests.push(total(used));
    dollars += priceOf(used);
    vacuumListed += table?.complete ? 1 : 0;
    smallAtStartMax = Math.max(smallAtStartMax, smallAtStart);
    peak = Math.max(peak, smallAtStart + Math.ceil((ms / 1000) * day.filesPerSecond));
    nextRun += interval;
  }
  const after = await writerSnapshots.latest(writer, TABLE);
  const sorted = [...runMs].sort((a, b) => a - b);
  const firstHour = runMs.filter((_, i) => runStarts[i]! < runStarts[0]! + 3_600_000);
  const lastHour = runMs.filter((_, i) => runStarts[i]! >= end - 3_600_000);
  const lastCheckpoint = JSON.parse(
    new TextDecoder().decode(bucket.read(tableKey(TABLE, '_delta_log/_last_checkpoint'))),
  ) as { size: number };
  const rows = after.files.reduce((n, f) => n + (f.stats?.numRecords ?? 0), 0);
  return {
    filesPerSecond: day.filesPerSecond,
    everyMinutes: day.everyMinutes,
    hours: day.hours,
    runs: runMs.length,
    filesArrived: committed,
    smallFilesPeak: peak,
    smallFilesAtRunStartMax: smallAtStartMax,
    smallFilesAtEnd: after.files.filter((f) => f.size < targetSize / 2).length,
    liveFilesAtEnd: after.files.length,
    rowsKept: rows === committed * rowsPerFile ? 'all' : `${rows} of ${committed * rowsPerFile}`,
    runP50Ms: Math.round(median(runMs)),
    runP50FirstHourMs: Math.round(median(firstHour)),
    runP50LastHourMs: Math.round(median(lastHour)),
    runMaxMs: Math.round(sorted.at(-1) ?? 0),
    firstRunMs: Math.round(runMs[0] ?? 0),
    lastRunMs: Math.round(runMs.at(-1) ?? 0),
    checkpointActionsAtEnd: lastCheckpoint.size,
    runsOverInterval: overran,
    runsComplete: vacuumListed,
    requestsPerRun: Math.round(runRequests.reduce((a, b) => a + b, 0) / Math.max(1, runRequests.length)),
    requestsPerRunMax: Math.max(0, ...runRequests),
    dollarsPerDay: Number(((dollars * 24) / day.hours).toFixed(3)),
  };
}
