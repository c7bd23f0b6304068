/**
 * The clean Delta tables the pipelines write (DESIGN §2.2): where they live, and creating them once.
 */
import { createTable, type Snapshot } from '../delta';
import { type Kind, TABLE_COLUMNS } from '../records';
import type { ObjectStore } from '../storage';

/** Which path wrote a table: `tables/stream/<kind>` or `tables/batch/<kind>`. */
export type TableFamily = 'stream' | 'batch';

/** The store key prefix of a clean table, e.g. `tables/stream/pin`. */
export function cleanTablePath(family: TableFamily, kind: Kind): string {
  return `tables/${family}/${kind}`;
}

/**
 * Creates the clean table of `kind` with the contract's columns unless it exists (idempotent, safe
 * when several writers race to create it) and resolves its snapshot. Throws the Delta library's
 * `SchemaMismatchError` when a table with other columns is there.
 */
export function ensureCleanTable(store: ObjectStore, family: TableFamily, kind: Kind): Promise<Snapshot> {
  return createTable(store, cleanTablePath(family, kind), TABLE_COLUMNS[kind], {
    name: `${family}_${kind}`,
    description: `clean ${kind} records written by the ${family} path`,
  });
}
