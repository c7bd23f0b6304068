/**
 * Partitioning by ingestion date, measured (not adopted): the same 30 days of small files as one flat
 * table and as a table partitioned by `ingested_date` (a column the clean tables do not have: added to
 * the user columns here only). Real snapshot load, vacuum and compaction planning over the simulated
 * bucket on a {@link VirtualClock}; a one-day reader's file count by partition and by file stats.
 */
import type { Action } from '../libs/delta/actions';
import { encodeCheckpoint } from '../libs/delta/checkpoint';
import { createTable } from '../libs/delta/create-table';
import { planCompaction, vacuumSome } from '../libs/delta/maintenance';
import {
  checkpointFileName,
  commitFileName,
  encodeFilePath,
  partitionDirectory,
  tableKey,
} from '../libs/delta/paths';
import { loadSnapshot } from '../libs/delta/snapshot';
import { encodeTable } from '../libs/parquet/encode';
import type { TableColumn } from '../libs/parquet/schema';
import { TABLE_COLUMNS, type UserRow } from '../libs/records/tables';
import { type LatencyModel, SimBucket, SimStore, seededRandom, VirtualClock } from './scale-store';
import type { Figures } from './types';

const DAY_MS = 86_400_000;

/** Builds `days` × `filesPerDay` files (version 1 is a checkpoint holding them) and measures. */
export async function partitioning(
  partitioned: boolean,
  days: number,
  filesPerDay: number,
  latency: LatencyModel,
): Promise<Figures> {
  const table = partitioned ? 'tables/sim/by-date' : 'tables/sim/flat';
  const clock = new VirtualClock(Date.UTC(2026, 11, 1));
  const bucket = new SimBucket();
  bucket.clock = clock.now;
  const builder = new SimStore(bucket, { medianMs: 0, sigma: 0 }, seededRandom(1), undefined, clock);
  const columns: TableColumn[] = [
    ...TABLE_COLUMNS.user,
    ...(partitioned ? [{ name: 'ingested_date', type: 'string', nullable: true } satisfies TableColumn] : []),
  ];
  await createTable(builder, table, columns, partitioned ? { partitionColumns: ['ingested_date'] } : {});
  const base = await loadSnapshot(builder, table);
  const first = clock.now() - days * DAY_MS;
  const row = (i: number, at: number): UserRow => ({
    ind: i,
    user_name: `u${i}`,
    age: 30,
    date_joined: new Date(Date.UTC(2017, 0, 1)),
    source: `kinesis:sim:shardId-000000000001:${i}`,
    ingested_at: new Date(at),
  });
  const adds: Action[] = [];
  const step = DAY_MS / filesPerDay;
  for (let i = 0; i < days * filesPerDay; i++) {
    const at = Math.floor(first + i * step);
    const file = encodeTable(TABLE_COLUMNS.user, [row(i, at)]);
    const values = { ingested_date: new Date(at).toISOString().slice(0, 10) };
    const relative = `${partitioned ? partitionDirectory(['ingested_date'], values) : ''}part-${String(i).padStart(9, '0')}.parquet`;
    bucket.load(tableKey(table, relative), file.bytes, at);
    adds.push({
      add: {
        path: encodeFilePath(relative),
        partitionValues: partitioned ? values : {},
        size: file.bytes.byteLength,
        modificationTime: at,
        dataChange: true,
        stats: JSON.stringify(file.stats),
      },
    });
  }
  // Version 1 holds the adds (its body is never read: the checkpoint at 1 stands for it).
  bucket.load(
    tableKey(table, commitFileName(1)),
    JSON.stringify({ commitInfo: { timestamp: clock.now(), operation: 'WRITE', operationParameters: {} } }),
  );
  bucket.load(
    tableKey(table, checkpointFileName(1)),
    encodeCheckpoint([{ protocol: base.protocol }, { metaData: base.metadata }, ...adds]),
  );
  bucket.load(
    tableKey(table, '_delta_log/_last_checkpoint'),
    JSON.stringify({ version: 1, size: adds.length + 2 }),
  );
  bucket.seal();

  const store = new SimStore(bucket, latency, seededRandom(2), undefined, clock);
  let started = clock.now();
  const snapshot = await loadSnapshot(store, table);
  const coldLoadMs = clock.now() - started;
  started = clock.now();
  const listsBefore = store.counts.LIST;
  let after: string | undefined;
  do {
    after = (await vacuumSome(store, table, { snapshot, dryRun: true, startAfter: after, now: clock.now }))
      .next;
  } while (after !== undefined);
  const vacuumMs = clock.now() - started;
  const vacuumLists = store.counts.LIST - listsBefore;
  const bins = planCompaction(snapshot.files, 50 * snapshot.files[0]!.size);
  // A reader of yesterday: partition pruning, or (flat) skipping by the files' ingested_at min/max.
  const dayStart = Math.floor(clock.now() / DAY_MS) * DAY_MS - DAY_MS;
  const day = new Date(dayStart).toISOString().slice(0, 10);
  const read = snapshot.files.filter((f) => {
    if (partitioned) return f.partitionValues.ingested_date === day;
    const stats = f.stats as { minValues?: { ingested_at?: string }; maxValues?: { ingested_at?: string } };
    const min = Date.parse(stats.minValues?.ingested_at ?? '');
    const max = Date.parse(stats.maxValues?.ingested_at ?? '');
    return max >= dayStart && min < dayStart + DAY_MS;
  }).length;
  return {
    files: snapshot.files.length,
    coldLoadMs: Math.round(coldLoadMs),
    vacuumPassLists: vacuumLists,
    vacuumPassMs: Math.round(vacuumMs),
    compactionBins: bins.length,
    oneDayReaderFiles: read,
  };
}
