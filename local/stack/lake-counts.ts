import { TableNotFoundError, tableInfo } from '../../libs/delta';
import { KINDS } from '../../libs/records';
import type { ObjectStore } from '../../libs/storage';

/** What is in a lake: rows per table and quarantined records per source. */
export interface LakeCounts {
  /** Rows per table, `stream/pin` … `batch/user`, then `analytics/<query id>` for each one present. */
  readonly tables: Record<string, number>;
  /** Quarantined records per stream or topic (a folder under `quarantine/`). */
  readonly quarantined: Record<string, number>;
  /** Batches an event source gave up on after its retries (`quarantine/onfailure/…`). */
  readonly onFailure: number;
}

/**
 * Counts the lake's rows (from each table's latest snapshot; a table that does not exist counts 0,
 * and only the analytics tables present are listed) and its quarantined records and on-failure
 * batches (one file each). Storage and Delta errors other than a missing table reject.
 */
export async function countLake(store: ObjectStore): Promise<LakeCounts> {
  const paths = [
    ...KINDS.map((kind) => `tables/stream/${kind}`),
    ...KINDS.map((kind) => `tables/batch/${kind}`),
    ...(await analyticsTables(store)),
  ];
  const tables: Record<string, number> = {};
  for (const path of paths) tables[path.slice('tables/'.length)] = await rowsOf(store, path);
  const quarantined: Record<string, number> = {};
  let onFailure = 0;
  for (const { key } of await store.list('quarantine/')) {
    const origin = key.split('/')[1] ?? '';
    if (!key.endsWith('.json')) continue;
    if (origin === 'onfailure') onFailure++;
    else quarantined[origin] = (quarantined[origin] ?? 0) + 1;
  }
  return { tables, quarantined, onFailure };
}

async function rowsOf(store: ObjectStore, path: string): Promise<number> {
  try {
    return (await tableInfo(store, path)).numRecords;
  } catch (error) {
    if (error instanceof TableNotFoundError) return 0;
    throw error;
  }
}

// The analytics tables, one folder per query id, found by their Delta logs.
async function analyticsTables(store: ObjectStore): Promise<string[]> {
  const ids = new Set<string>();
  for (const { key } of await store.list('tables/analytics/')) {
    const match = /^tables\/analytics\/([^/]+)\/_delta_log\//.exec(key);
    if (match) ids.add(match[1]!);
  }
  return [...ids].sort().map((id) => `tables/analytics/${id}`);
}
