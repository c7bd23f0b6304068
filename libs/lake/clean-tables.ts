/** The clean Delta tables both paths write (DESIGN §1.1): created once, with the contract's columns. */
import { createTable, type Snapshot } from '../delta';
import { type Kind, TABLE_COLUMNS } from '../records';
import type { ObjectStore } from '../storage';
import { cleanTablePath, type TableFamily } from './layout';

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
