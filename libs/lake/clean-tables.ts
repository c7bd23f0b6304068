/** The clean Delta tables both paths write (DESIGN §1.1): created once, with the contract's columns. */
import { createTable, type Snapshot, type SnapshotCache } from '../delta';
import { KINDS, type Kind, TABLE_COLUMNS } from '../records';
import type { ObjectStore } from '../storage';
import { cleanTableName, cleanTablePath, TABLE_FAMILIES, type TableFamily } from './layout';

/**
 * Table properties every clean table has (set at creation; maintain-tables sets them on older tables).
 * `delta.deletedFileRetentionDuration` of 1 hour instead of Delta's week: every checkpoint carries each
 * tombstone younger than it, and maintain-tables checkpoints every 2 minutes, so a week of compacted
 * small files (~3 million at 128 shards) would cost minutes per run to encode and every cold reader as
 * long to decode; an hour is ~18,000 at that rate (docs/performance.md, *Upkeep cadence*).
 * Removed files stay on storage: our vacuum keeps unreferenced files for 168 h after their upload, and
 * compaction removes files minutes after it.
 */
export const CLEAN_TABLE_PROPERTIES: Readonly<Record<string, string>> = {
  'delta.deletedFileRetentionDuration': 'interval 1 hour',
};

/** The properties a table should have: {@link CLEAN_TABLE_PROPERTIES} for a clean table's path, else none. */
export function cleanTableProperties(tablePath: string): Readonly<Record<string, string>> | undefined {
  const clean = TABLE_FAMILIES.some((family) =>
    KINDS.some((kind) => tablePath === cleanTablePath(family, kind)),
  );
  return clean ? CLEAN_TABLE_PROPERTIES : undefined;
}

/**
 * Creates the clean table of `kind` with the contract's columns unless it exists (idempotent, safe
 * when several writers race to create it) and resolves its snapshot. Throws the Delta library's
 * `SchemaMismatchError` when a table with other columns is there. With a cache that already holds
 * the table (checked when it was first loaded), the cached snapshot is refreshed from the log tail.
 */
export async function ensureCleanTable(
  store: ObjectStore,
  family: TableFamily,
  kind: Kind,
  snapshots?: SnapshotCache,
): Promise<Snapshot> {
  const tablePath = cleanTablePath(family, kind);
  if (snapshots?.peek(store, tablePath)) return snapshots.latest(store, tablePath);
  const snapshot = await createTable(store, tablePath, TABLE_COLUMNS[kind], {
    name: cleanTableName(family, kind),
    description: `clean ${kind} records written by the ${family} path`,
    configuration: { ...CLEAN_TABLE_PROPERTIES },
  });
  snapshots?.remember(store, snapshot);
  return snapshot;
}
