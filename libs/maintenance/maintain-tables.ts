/**
 * The hourly upkeep of every Delta table in the lake: compaction of small files, a checkpoint at the
 * latest version, and vacuum of data files no snapshot within the retention needs.
 */
import { loadSnapshot, optimize, vacuum, writeCheckpoint } from '../delta';
import type { ObjectStore } from '../storage/types';

/** Settings of {@link maintainTables}. */
export interface MaintainOptions {
  /** Where tables are looked for; every folder below holding a `_delta_log/` is a table. Default `tables/`. */
  readonly prefix?: string;
  /** Compaction target file size in bytes. Default 64 MiB: big files for readers, bounded Lambda memory. */
  readonly targetSize?: number;
  /** Vacuum retention in hours. Default 168 (7 days), Delta's default. */
  readonly retentionHours?: number;
  /** Report what vacuum would delete without deleting it. */
  readonly dryRun?: boolean;
  readonly now?: () => number;
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
}

const DEFAULT_TARGET_SIZE = 64 * 1024 * 1024;
const FIRST_COMMIT = '/_delta_log/00000000000000000000.json';

/** The key prefixes of every Delta table under `prefix`, sorted. */
export async function findTables(store: ObjectStore, prefix = 'tables/'): Promise<string[]> {
  const logs = await store.list(prefix);
  return logs
    .filter((object) => object.key.endsWith(FIRST_COMMIT))
    .map((object) => object.key.slice(0, -FIRST_COMMIT.length))
    .sort();
}

/**
 * Compacts, checkpoints and vacuums every table under the prefix, one after another. Safe to run
 * while the pipelines write: compaction commits with `dataChange=false` and retries on a lost race,
 * and vacuum never deletes a file younger than the retention, so an in-flight upload survives.
 */
export async function maintainTables(
  store: ObjectStore,
  options: MaintainOptions = {},
): Promise<TableUpkeep[]> {
  const now = options.now ?? Date.now;
  const upkeep: TableUpkeep[] = [];
  for (const table of await findTables(store, options.prefix)) {
    const compaction = await optimize(store, table, {
      targetSize: options.targetSize ?? DEFAULT_TARGET_SIZE,
      now,
    });
    const snapshot = await loadSnapshot(store, table);
    let checkpointed: number | undefined;
    if (snapshot.version > 0 && snapshot.checkpointVersion !== snapshot.version) {
      await writeCheckpoint(store, table, snapshot.state, now());
      checkpointed = snapshot.version;
    }
    const vacuumed = await vacuum(store, table, {
      retentionHours: options.retentionHours,
      dryRun: options.dryRun,
      now,
    });
    upkeep.push({
      table,
      version: snapshot.version,
      filesCompacted: compaction.filesRemoved,
      filesWritten: compaction.filesAdded,
      checkpointed,
      filesVacuumed: vacuumed.deleted.length,
    });
  }
  return upkeep;
}
