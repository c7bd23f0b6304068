/**
 * The lake's inventory: rows and latest `ingested_at` of each table, quarantined records per stream
 * or topic, and on-failure records. One reading of the lake for the report, `pinlake start`'s summary
 * and `pinlake status`.
 */
import { loadSnapshot, readFileRows, type Snapshot, TableNotFoundError } from '../delta';
import { KINDS } from '../records/tables';
import type { ObjectStore } from '../storage/types';
import {
  cleanTablePath,
  ON_FAILURE_ORIGIN,
  QUARANTINE_PREFIX,
  RESULT_TABLES_PREFIX,
  TABLE_FAMILIES,
  TABLES_PREFIX,
  tableLabel,
} from './layout';

/** What is in a lake. */
export interface LakeInventory {
  /**
   * Rows per table by label: the six clean tables always (`stream/pin` … `batch/user`, 0 when no run
   * has written one), then `analytics/<query id>` for each result table present when asked for.
   */
  readonly tables: Record<string, number>;
  /** The latest `ingested_at` of each clean table (null while it is empty). */
  readonly freshness: Record<string, Date | null>;
  /** Quarantined records per stream or topic (a folder under `quarantine/`), on-failure records apart. */
  readonly quarantined: Record<string, number>;
  /** Batches and runs an event source or Lambda gave up on (`quarantine/onfailure/…`), one file each. */
  readonly onFailure: number;
}

/** What {@link readLakeInventory} reads besides the clean tables. */
export interface InventoryOptions {
  /** Count the analytics result tables too (default false); a folder without a Delta log counts 0. */
  readonly resultTables?: boolean;
  /**
   * Snapshots already loaded, by label (`batch/pin`…), used as they are, so the counts describe exactly
   * the versions a caller read.
   */
  readonly loaded?: Readonly<Record<string, Snapshot | undefined>>;
}

/** The clean tables' labels: `stream/pin` … `batch/user`. */
const CLEAN_TABLE_LABELS: readonly string[] = TABLE_FAMILIES.flatMap((family) =>
  KINDS.map((kind) => tableLabel(cleanTablePath(family, kind))),
);

/**
 * Loads a table's latest snapshot, or resolves `undefined` when no table exists at the path (a table
 * no run has written yet counts as empty). Other read errors propagate.
 */
export async function loadSnapshotIfExists(
  store: ObjectStore,
  tablePath: string,
): Promise<Snapshot | undefined> {
  try {
    return await loadSnapshot(store, tablePath);
  } catch (error) {
    if (error instanceof TableNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Counts a snapshot's rows from its files' Delta stats, and for a table with an `ingested_at` column
 * finds the latest one from `maxValues.ingested_at`; a file written without the stats it needs is
 * read. An absent table has no rows.
 */
async function tableVolume(
  store: ObjectStore,
  snapshot: Snapshot | undefined,
): Promise<{ rows: number; latest: Date | null }> {
  if (snapshot === undefined) return { rows: 0, latest: null };
  const fresh = snapshot.schema.fields.some((field) => field.name === 'ingested_at');
  let rows = 0;
  let latest: number | null = null;
  const later = (time: number) => {
    if (!Number.isNaN(time) && (latest === null || time > latest)) latest = time;
  };
  for (const file of snapshot.files) {
    const stats = file.stats;
    const max = stats?.maxValues?.ingested_at;
    if (stats !== undefined && (!fresh || max !== undefined || stats.numRecords === 0)) {
      rows += stats.numRecords;
      if (typeof max === 'string') later(Date.parse(max));
      continue;
    }
    const fileRows = await readFileRows(store, snapshot, file);
    rows += fileRows.length;
    if (fresh)
      for (const row of fileRows) if (row.ingested_at instanceof Date) later(row.ingested_at.getTime());
  }
  return { rows, latest: latest === null ? null : new Date(latest) };
}

/**
 * Reads the lake's inventory. Reads Delta logs (and no data file unless one lacks stats), lists
 * `quarantine/` and, with `resultTables`, `tables/analytics/`. Storage and Delta errors other than a
 * missing table reject.
 */
export async function readLakeInventory(
  store: ObjectStore,
  options: InventoryOptions = {},
): Promise<LakeInventory> {
  const loaded = options.loaded ?? {};
  const results = options.resultTables ? await resultTableLabels(store) : [];
  const labels = [...CLEAN_TABLE_LABELS, ...results];
  const measured = await Promise.all(
    labels.map(async (label) =>
      tableVolume(
        store,
        label in loaded ? loaded[label] : await loadSnapshotIfExists(store, `${TABLES_PREFIX}${label}`),
      ),
    ),
  );
  const tables: Record<string, number> = {};
  const freshness: Record<string, Date | null> = {};
  for (const [index, label] of labels.entries()) {
    tables[label] = measured[index]!.rows;
    if (index < CLEAN_TABLE_LABELS.length) freshness[label] = measured[index]!.latest;
  }
  return { tables, freshness, ...(await countQuarantine(store)) };
}

async function countQuarantine(
  store: ObjectStore,
): Promise<Pick<LakeInventory, 'quarantined' | 'onFailure'>> {
  const quarantined: Record<string, number> = {};
  let onFailure = 0;
  for (const { key } of await store.list(QUARANTINE_PREFIX)) {
    if (!key.endsWith('.json')) continue;
    const origin = key.slice(QUARANTINE_PREFIX.length).split('/')[0]!;
    if (origin === ON_FAILURE_ORIGIN) onFailure++;
    else quarantined[origin] = (quarantined[origin] ?? 0) + 1;
  }
  return { quarantined, onFailure };
}

// The result tables present, one folder per query id, found by a folder listing (S3's delimiter
// listing: the tables' files are not listed).
async function resultTableLabels(store: ObjectStore): Promise<string[]> {
  const folders = await store.listFolders(RESULT_TABLES_PREFIX);
  return folders.map((folder) => tableLabel(folder.slice(0, -1)));
}
