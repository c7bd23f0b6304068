/**
 * The state of the lake the report shows beside the answers: rows and latest `ingested_at` of each
 * clean table, and the quarantined records per stream or topic.
 */
import { loadSnapshot, readFileRows, type Snapshot, TableNotFoundError } from '../delta';
import { KINDS } from '../records/tables';
import type { ObjectStore } from '../storage/types';

/** Rows, freshness and quarantine counts, keyed as the report shows them (`batch/pin`, `stream/geo`…). */
export interface LakeStatus {
  readonly volumes: Record<string, number>;
  readonly freshness: Record<string, Date | null>;
  readonly quarantine: Record<string, number>;
}

/** The clean tables the report counts, by their label: `batch/pin` → `tables/batch/pin`. */
export const STATUS_TABLES: readonly string[] = (['batch', 'stream'] as const).flatMap((family) =>
  KINDS.map((kind) => `${family}/${kind}`),
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
 * Counts a snapshot's rows and finds its latest `ingested_at` from the files' Delta stats
 * (`numRecords`, `maxValues.ingested_at`); a file written without stats is read to count it.
 */
export async function tableVolume(
  store: ObjectStore,
  snapshot: Snapshot | undefined,
): Promise<{ rows: number; latest: Date | null }> {
  let rows = 0;
  let latest: number | null = null;
  const later = (time: number) => {
    if (!Number.isNaN(time) && (latest === null || time > latest)) latest = time;
  };
  for (const file of snapshot?.files ?? []) {
    const max = file.stats?.maxValues?.ingested_at;
    if (file.stats !== undefined && (max !== undefined || file.stats.numRecords === 0)) {
      rows += file.stats.numRecords;
      if (typeof max === 'string') later(Date.parse(max));
      continue;
    }
    const fileRows = await readFileRows(store, snapshot!, file);
    rows += fileRows.length;
    for (const row of fileRows) if (row.ingested_at instanceof Date) later(row.ingested_at.getTime());
  }
  return { rows, latest: latest === null ? null : new Date(latest) };
}

/** Quarantined records per origin (the stream or topic folder under `quarantine/`), origins sorted. */
export async function countQuarantine(store: ObjectStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const object of await store.list('quarantine/')) {
    const origin = object.key.split('/')[1];
    if (origin !== undefined && object.key.endsWith('.json')) counts[origin] = (counts[origin] ?? 0) + 1;
  }
  return counts;
}

/**
 * Reads what the report shows about the lake: the six clean tables' rows and freshness (missing
 * tables count as empty) and the quarantine counts. Reads Delta logs and lists `quarantine/`; reads
 * no data file unless one lacks stats. Snapshots already loaded (by label) are used as they are, so
 * the counts describe exactly the versions the queries read.
 */
export async function readLakeStatus(
  store: ObjectStore,
  loaded: Readonly<Record<string, Snapshot | undefined>> = {},
): Promise<LakeStatus> {
  const volumes: Record<string, number> = {};
  const freshness: Record<string, Date | null> = {};
  const measured = await Promise.all(
    STATUS_TABLES.map(async (label) =>
      tableVolume(
        store,
        label in loaded ? loaded[label] : await loadSnapshotIfExists(store, `tables/${label}`),
      ),
    ),
  );
  for (const [index, label] of STATUS_TABLES.entries()) {
    volumes[label] = measured[index]!.rows;
    freshness[label] = measured[index]!.latest;
  }
  return { volumes, freshness, quarantine: await countQuarantine(store) };
}
