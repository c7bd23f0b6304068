/**
 * The upkeep of every Delta table in the lake: compaction of small files, a checkpoint at the latest
 * version, and vacuum of data files no snapshot within the retention needs — within a time budget per
 * run, going on where the last run stopped.
 */
import { maybeFail } from '../chaos';
import {
  compactSome,
  type Snapshot,
  SnapshotCache,
  setTableProperties,
  vacuumSome,
  writeCheckpoint,
} from '../delta';
import { cleanTableProperties } from '../lake/clean-tables';
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
  /**
   * A table's vacuum pass (a listing of all its keys, resumed across runs) starts at most this often.
   * Default 60: listing costs a request per 1,000 keys, and a week of removed files at 128 shards is
   * ~3 million keys, too many to list every 2 minutes; files wait for vacuum an hour longer at most.
   */
  readonly vacuumEveryMinutes?: number;
  /** A run lists for vacuum at most this long per table (ms); the pass goes on in the next run. Default 10,000. */
  readonly vacuumMsPerRun?: number;
  /**
   * The table properties a table should have, by table path; a table without them gets a metaData
   * commit (once). Default {@link cleanTableProperties}: the clean tables' tombstone retention.
   */
  readonly tableProperties?: (table: string) => Readonly<Record<string, string>> | undefined;
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
  /** The version of the commit that set the table's properties, if this run made one. */
  readonly propertiesSet: number | undefined;
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
  const next: UpkeepProgress = {
    resumeAt: undefined,
    vacuumAfter: {},
    vacuumStartedAt: { ...progress.vacuumStartedAt },
  };
  for (const [index, table] of tables.entries()) {
    if (outOfTime()) {
      next.resumeAt = table;
      keepVacuumCursors(next, progress, tables.slice(index));
      break;
    }
    const done = await maintainTable(store, table, options, snapshots, outOfTime, now, progress);
    upkeep.push(done.upkeep);
    if (done.vacuumAfter !== undefined) next.vacuumAfter[table] = done.vacuumAfter;
    if (done.vacuumStartedAt !== undefined) next.vacuumStartedAt[table] = done.vacuumStartedAt;
    if (!done.upkeep.complete) {
      next.resumeAt = table;
      keepVacuumCursors(next, progress, tables.slice(index + 1));
      break;
    }
  }
  if (!options.dryRun) await writeProgress(store, prefix, next);
  return upkeep;
}

interface TableDone {
  upkeep: TableUpkeep;
  vacuumAfter: string | undefined;
  vacuumStartedAt: number | undefined;
}

async function maintainTable(
  store: ObjectStore,
  table: string,
  options: MaintainOptions,
  snapshots: SnapshotCache,
  outOfTime: () => boolean,
  now: () => number,
  progress: UpkeepProgress,
): Promise<TableDone> {
  let snapshot: Snapshot = await snapshots.latest(store, table);
  const properties = (options.tableProperties ?? cleanTableProperties)(table);
  let propertiesSet: number | undefined;
  if (properties && !options.dryRun) {
    const set = await setTableProperties(store, table, properties, { snapshot, now });
    propertiesSet = set.version;
    snapshot = set.snapshot;
    snapshots.remember(store, snapshot);
  }
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
  const done = (
    complete: boolean,
    vacuumAfter: string | undefined,
    vacuumStartedAt: number | undefined,
  ): TableDone => ({
    upkeep: {
      table,
      version: snapshot.version,
      propertiesSet,
      filesCompacted,
      filesWritten,
      checkpointed,
      filesVacuumed,
      complete,
    },
    vacuumAfter,
    vacuumStartedAt,
  });
  if (remaining > 0 || outOfTime()) {
    return done(false, progress.vacuumAfter[table], progress.vacuumStartedAt[table]);
  }
  if (snapshot.version > 0 && snapshot.checkpointVersion !== snapshot.version) {
    await writeCheckpoint(store, table, snapshot.state, now());
    checkpointed = snapshot.version;
    maybeFail('maintain-tables:after-checkpoint');
  }
  const vacuumed = await vacuumPaced(store, table, snapshot, options, outOfTime, now, progress);
  filesVacuumed = vacuumed.filesVacuumed;
  return done(vacuumed.complete, vacuumed.vacuumAfter, vacuumed.vacuumStartedAt);
}

/**
 * The table's vacuum for this run: the pass in progress goes on; a new one starts only once the last one
 * started `vacuumEveryMinutes` ago; the listing stops after `vacuumMsPerRun` or at the run's budget.
 */
async function vacuumPaced(
  store: ObjectStore,
  table: string,
  snapshot: Snapshot,
  options: MaintainOptions,
  outOfTime: () => boolean,
  now: () => number,
  progress: UpkeepProgress,
): Promise<{
  filesVacuumed: number;
  complete: boolean;
  vacuumAfter: string | undefined;
  vacuumStartedAt: number | undefined;
}> {
  const cursor = progress.vacuumAfter[table];
  const lastStart = progress.vacuumStartedAt[table];
  const every = (options.vacuumEveryMinutes ?? 60) * 60_000;
  if (cursor === undefined && lastStart !== undefined && now() - lastStart < every) {
    return { filesVacuumed: 0, complete: true, vacuumAfter: undefined, vacuumStartedAt: lastStart };
  }
  const passStartedAt = cursor === undefined ? now() : (lastStart ?? now());
  const clock = options.clock ?? Date.now;
  const listingFrom = clock();
  const sliceMs = options.vacuumMsPerRun ?? 10_000;
  const vacuumed = await vacuumSome(store, table, {
    snapshot,
    retentionHours: options.retentionHours,
    dryRun: options.dryRun,
    startAfter: cursor,
    shouldStop: () => outOfTime() || clock() - listingFrom >= sliceMs,
    afterDeletes: () => maybeFail('maintain-tables:after-vacuum-delete'),
    now,
  });
  return {
    filesVacuumed: vacuumed.deleted.length,
    // Stopped by the run's budget: the next run starts with this table. By the slice: the next run goes
    // on with the pass when it reaches this table, and this run goes on to the next table.
    complete: !(vacuumed.next !== undefined && outOfTime()),
    vacuumAfter: vacuumed.next,
    vacuumStartedAt: passStartedAt,
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
