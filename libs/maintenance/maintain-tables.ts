/**
 * The upkeep of every Delta table in the lake: compaction of small files, a checkpoint at the latest
 * version, and vacuum of data files no snapshot within the retention needs — within a time budget per
 * run, going on where the last run stopped.
 */
import { maybeFail } from '../chaos';
import { compactSome, type Snapshot, SnapshotCache, vacuumSome, writeCheckpoint } from '../delta';
import { TABLES_PREFIX } from '../lake/layout';
import type { ObjectStore } from '../storage/types';
import { findTables } from './find-tables';
import { readProgress, type UpkeepProgress, writeProgress } from './progress';

/** Settings of {@link maintainTables}. */
export interface MaintainOptions {
  /** Where tables are looked for; every folder below holding a `_delta_log/` is a table. Default `tables/`. */
  readonly prefix?: string;
  /** Compaction target file size in bytes. Default 64 MiB: big files for readers, bounded Lambda memory. */
  readonly targetSize?: number;
  /** Files of at least this size are not compacted again. Default half the target size. */
  readonly minFileSize?: number;
  /** Input files per compaction commit (a killed run loses at most one such commit's work). Default 1,000. */
  readonly filesPerCommit?: number;
  /** Vacuum retention in hours. Default 168 (7 days), Delta's default. */
  readonly retentionHours?: number;
  /** Report what vacuum would delete without deleting it. */
  readonly dryRun?: boolean;
  /**
   * No new step (a compaction commit, a checkpoint, a page of vacuum) starts after this many ms; the
   * next run goes on from there. Default: no limit.
   */
  readonly budgetMs?: number;
  /** Snapshots kept between runs of a warm container; default a new cache per run. */
  readonly snapshots?: SnapshotCache;
  /** Timestamps of commits and the vacuum retention's "now". Default `Date.now`. */
  readonly now?: () => number;
  /** The clock `budgetMs` is measured on (ms). Default `Date.now`; the scale simulator's is simulated. */
  readonly clock?: () => number;
}

/** What {@link maintainTables} did to one table. */
export interface TableUpkeep {
  /** The table's key prefix, e.g. `tables/stream/pin`. */
  readonly table: string;
  /** The table version after compaction. */
  readonly version: number;
  readonly filesCompacted: number;
  readonly filesWritten: number;
  /** The version a checkpoint was written for, if this run wrote one. */
  readonly checkpointed: number | undefined;
  readonly filesVacuumed: number;
  /** False when the budget ran out before this table's upkeep was complete (the next run goes on). */
  readonly complete: boolean;
}

const DEFAULT_TARGET_SIZE = 64 * 1024 * 1024;

/**
 * Compacts, checkpoints and vacuums the tables under the prefix, one after another, starting with the
 * table the last run did not finish, until the budget is spent. Safe to run while the pipelines write
 * and safe to kill at any point: each compaction commit is atomic (removes and adds together, checked
 * against concurrent commits), an upload whose commit never happened is only an orphan for vacuum, and
 * vacuum deletes only unreferenced files older than the retention, so a redone step is harmless.
 * Chaos steps: `maintain-tables:after-compaction-upload`, `…:after-compaction-commit`,
 * `…:after-checkpoint`, `…:after-vacuum-delete`.
 */
export async function maintainTables(
  store: ObjectStore,
  options: MaintainOptions = {},
): Promise<TableUpkeep[]> {
  const now = options.now ?? Date.now;
  const clock = options.clock ?? Date.now;
  const started = clock();
  const outOfTime = () => options.budgetMs !== undefined && clock() - started >= options.budgetMs;
  const prefix = options.prefix ?? TABLES_PREFIX;
  const snapshots = options.snapshots ?? new SnapshotCache();
  const progress = await readProgress(store, prefix);
  const tables = rotate(await findTables(store, prefix), progress.resumeAt);
  const upkeep: TableUpkeep[] = [];
  const next: UpkeepProgress = { resumeAt: undefined, vacuumAfter: {} };
  for (const [index, table] of tables.entries()) {
    if (outOfTime()) {
      next.resumeAt = table;
      keepVacuumCursors(next, progress, tables.slice(index));
      break;
    }
    const done = await maintainTable(store, table, options, snapshots, outOfTime, now, progress);
    upkeep.push(done.upkeep);
    if (done.vacuumAfter !== undefined) next.vacuumAfter[table] = done.vacuumAfter;
    if (!done.upkeep.complete) {
      next.resumeAt = table;
      keepVacuumCursors(next, progress, tables.slice(index + 1));
      break;
    }
  }
  if (!options.dryRun) await writeProgress(store, prefix, next);
  return upkeep;
}

async function maintainTable(
  store: ObjectStore,
  table: string,
  options: MaintainOptions,
  snapshots: SnapshotCache,
  outOfTime: () => boolean,
  now: () => number,
  progress: UpkeepProgress,
): Promise<{ upkeep: TableUpkeep; vacuumAfter: string | undefined }> {
  let snapshot: Snapshot = await snapshots.latest(store, table);
  let filesCompacted = 0;
  let filesWritten = 0;
  let remaining = 0;
  for (;;) {
    const targetSize = options.targetSize ?? DEFAULT_TARGET_SIZE;
    const compaction = await compactSome(store, table, {
      snapshot,
      targetSize,
      minFileSize: options.minFileSize ?? targetSize / 2,
      maxFiles: options.filesPerCommit ?? 1000,
      beforeCommit: () => maybeFail('maintain-tables:after-compaction-upload'),
      now,
    });
    snapshot = compaction.snapshot;
    snapshots.remember(store, snapshot);
    filesCompacted += compaction.filesRemoved;
    filesWritten += compaction.filesAdded;
    remaining = compaction.remaining;
    if (compaction.filesRemoved > 0) maybeFail('maintain-tables:after-compaction-commit');
    if (remaining === 0 || outOfTime()) break;
    // Writers committed meanwhile: plan the next chunk from the table as it is now.
    snapshot = await snapshots.latest(store, table);
  }
  let checkpointed: number | undefined;
  let filesVacuumed = 0;
  const partial = (vacuumAfter?: string) => ({
    upkeep: {
      table,
      version: snapshot.version,
      filesCompacted,
      filesWritten,
      checkpointed,
      filesVacuumed,
      complete: false,
    },
    vacuumAfter: vacuumAfter ?? progress.vacuumAfter[table],
  });
  if (remaining > 0 || outOfTime()) return partial();
  if (snapshot.version > 0 && snapshot.checkpointVersion !== snapshot.version) {
    await writeCheckpoint(store, table, snapshot.state, now());
    checkpointed = snapshot.version;
    maybeFail('maintain-tables:after-checkpoint');
  }
  const vacuumed = await vacuumSome(store, table, {
    snapshot,
    retentionHours: options.retentionHours,
    dryRun: options.dryRun,
    startAfter: progress.vacuumAfter[table],
    shouldStop: outOfTime,
    afterDeletes: () => maybeFail('maintain-tables:after-vacuum-delete'),
    now,
  });
  filesVacuumed = vacuumed.deleted.length;
  if (vacuumed.next !== undefined) return partial(vacuumed.next);
  return {
    upkeep: {
      table,
      version: snapshot.version,
      filesCompacted,
      filesWritten,
      checkpointed,
      filesVacuumed,
      complete: true,
    },
    vacuumAfter: undefined,
  };
}

/** The tables in order, starting with `first` when it is one of them. */
function rotate(tables: string[], first: string | undefined): string[] {
  const at = first === undefined ? -1 : tables.indexOf(first);
  return at <= 0 ? tables : [...tables.slice(at), ...tables.slice(0, at)];
}

function keepVacuumCursors(next: UpkeepProgress, last: UpkeepProgress, tables: readonly string[]): void {
  for (const table of tables) {
    const cursor = last.vacuumAfter[table];
    if (cursor !== undefined && next.vacuumAfter[table] === undefined) next.vacuumAfter[table] = cursor;
  }
}
