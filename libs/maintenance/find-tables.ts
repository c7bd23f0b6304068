/**
 * Finding the lake's Delta tables without listing their data files: folder listings (S3's delimiter
 * listing) down to the first folder that holds a `_delta_log/`.
 */
import { TABLES_PREFIX } from '../lake/layout';
import type { ObjectStore } from '../storage/types';

const FIRST_COMMIT = '_delta_log/00000000000000000000.json';
const MAX_DEPTH = 8;

/**
 * The key prefixes of every Delta table under `prefix`, sorted. A folder is a table when its version 0
 * exists (asked with a LIST of that one key: a read of an absent key is a 403 on S3 without ListBucket
 * on it); a table's own folders (partitions, log) are not walked. Folders named `_…` or `.…` are skipped.
 * Requests: one per folder that is not a table, one per table.
 */
export async function findTables(store: ObjectStore, prefix = TABLES_PREFIX): Promise<string[]> {
  const tables: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    const name = folder.slice(0, -1).split('/').at(-1) ?? '';
    if (name.startsWith('_') || name.startsWith('.')) return;
    const first = `${folder}${FIRST_COMMIT}`;
    if (folder !== prefix && (await store.list(first)).some((o) => o.key === first)) {
      tables.push(folder.slice(0, -1));
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const children = await store.listFolders(folder);
    await Promise.all(children.map((child) => walk(child, depth + 1)));
  };
  await walk(prefix.endsWith('/') ? prefix : `${prefix}/`, 0);
  return tables.sort();
}
