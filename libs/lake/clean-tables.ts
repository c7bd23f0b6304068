/** The clean Delta tables both paths write (DESIGN §1.1): created once, with the contract's columns. */
import { createTable, type Snapshot, type SnapshotCache } from '../delta';
import { type Kind, TABLE_COLUMNS } from '../records';
import type { ObjectStore } from '../storage';
import { cleanTableName, cleanTablePath, type TableFamily } from './layout';

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
  });
  snapshots?.remember(store, snapshot);
  return snapshot;
}
