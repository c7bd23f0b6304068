import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTable, loadSnapshot, readRows, writeRows } from '../../../libs/delta';
import { CLEAN_TABLE_PROPERTIES, ensureCleanTable } from '../../../libs/lake/clean-tables';
import { maintainTables, readProgress } from '../../../libs/maintenance';
import type { UserRow } from '../../../libs/records';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

const TABLE = 'tables/stream/user';
const DAY = 86_400_000;
const MINUTE = 60_000;
// An independent reader of the JSON log, sharing no code with libs/delta (tests/helpers).
const REPLAY = join(__dirname, '../../helpers/delta_log_replay.py');

function userRows(first: number, count: number): UserRow[] {
  return Array.from({ length: count }, (_, i) => ({
    ind: first + i,
    user_name: `User ${first + i}`,
    age: 30,
    date_joined: new Date(Date.UTC(2016, 0, 1)),
    source: `kinesis:streaming-pinlake-user:shardId-000000000000:${first + i}`,
    ingested_at: new Date(Date.UTC(2026, 10, 1)),
  }));
}

const inds = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.ind)).sort((a, b) => a - b);

describe('maintain-tables and the clean tables’ tombstone retention', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;
  let duck: DuckDBInstance;

  beforeAll(async () => {
    duck = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => duck.closeSync());
  beforeEach(async () => {
    dir = await makeTempDir('upkeep-bounds');
    store = new FileStore(dir.path);
  });
  afterEach(() => dir.cleanup());

  async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
    const connection = await duck.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  }

  it('sets the retention on a clean table created before it, once, and our reader, an independent one and DuckDB read the table', async () => {
    // Prepare: a clean table as older code created it (no properties), 6 small commits
    await createTable(store, TABLE, TABLE_COLUMNS.user);
    for (let i = 0; i < 6; i++) await writeRows(store, TABLE, TABLE_COLUMNS.user, userRows(i * 4, 4));
    const before = await loadSnapshot(store, TABLE);

    // Act
    const [first] = await maintainTables(store);
    const [second] = await maintainTables(store);

    // Assess
    const after = await loadSnapshot(store, TABLE);
    expect([first?.propertiesSet, first?.checkpointed, second?.propertiesSet]).toStrictEqual([
      7,
      8,
      undefined,
    ]);
    expect(after.metadata).toStrictEqual({
      ...before.metadata,
      configuration: { ...CLEAN_TABLE_PROPERTIES },
    });
    expect(inds(await readRows(store, after))).toStrictEqual(Array.from({ length: 24 }, (_, i) => i));
    const replayed = spawnSync('python3', [REPLAY, join(dir.path, TABLE)], { encoding: 'utf8' });
    expect(replayed.stderr).toBe('');
    const independent = JSON.parse(replayed.stdout) as {
      version: number;
      files: string[];
      numRecords: number;
    };
    expect([independent.version, independent.files, independent.numRecords]).toStrictEqual([
      8,
      after.files.map((f) => f.path),
      24,
    ]);
    const checkpoint = join(dir.path, TABLE, '_delta_log/00000000000000000008.checkpoint.parquet');
    expect(
      await duckRows(
        `select unnest(map_keys(metaData.configuration)) as k, unnest(map_values(metaData.configuration)) as v
         from read_parquet('${checkpoint}') where metaData is not null`,
      ),
    ).toStrictEqual([{ k: 'delta.deletedFileRetentionDuration', v: 'interval 1 hour' }]);
    const files = after.files.map((f) => `'${join(dir.path, TABLE, f.path)}'`).join(', ');
    expect(
      await duckRows(`select count(*) as n, sum(ind) as total from read_parquet([${files}])`),
    ).toStrictEqual([{ n: '24', total: String((23 * 24) / 2) }]);
  });

  it('finds the retention already set on a table ensureCleanTable created, and sets none on a result table', async () => {
    // Prepare
    await ensureCleanTable(store, 'stream', 'user');
    await writeRows(store, TABLE, TABLE_COLUMNS.user, userRows(0, 2));
    await writeRows(store, TABLE, TABLE_COLUMNS.user, userRows(2, 2));
    await createTable(store, 'tables/analytics/q1', TABLE_COLUMNS.user);
    await writeRows(store, 'tables/analytics/q1', TABLE_COLUMNS.user, userRows(0, 1));

    // Act
    const upkeep = await maintainTables(store);

    // Assess
    expect(upkeep.map((t) => [t.table, t.propertiesSet, t.version])).toStrictEqual([
      ['tables/analytics/q1', undefined, 1],
      [TABLE, undefined, 3],
    ]);
    expect((await loadSnapshot(store, TABLE)).metadata.configuration).toStrictEqual(CLEAN_TABLE_PROPERTIES);
    expect((await loadSnapshot(store, 'tables/analytics/q1')).metadata.configuration).toStrictEqual({});
  });
});

describe('maintain-tables paces vacuum', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    dir = await makeTempDir('upkeep-vacuum-pace');
    store = new FileStore(dir.path);
  });
  afterEach(() => dir.cleanup());

  const orphan = (table: string, name: string) =>
    store.put(`${table}/part-00000-orphan-${name}-c000.snappy.parquet`, 'never committed');

  it('starts a pass at most every vacuumEveryMinutes, so an orphan waits for the next pass', async () => {
    // Prepare: runs a week and a day after the uploads, so that every orphan is old enough to go
    await createTable(store, TABLE, TABLE_COLUMNS.user);
    await orphan(TABLE, 'a');
    const start = Date.now() + 8 * DAY;
    const at = (minutes: number) => () => start + minutes * MINUTE;

    // Act
    const [first] = await maintainTables(store, { now: at(0) });
    await orphan(TABLE, 'b');
    const [soon] = await maintainTables(store, { now: at(30) });
    const [later] = await maintainTables(store, { now: at(61) });

    // Assess
    expect([first?.filesVacuumed, soon?.filesVacuumed, later?.filesVacuumed]).toStrictEqual([1, 0, 1]);
    expect([first?.complete, soon?.complete, later?.complete]).toStrictEqual([true, true, true]);
    expect((await readProgress(store, 'tables/')).vacuumStartedAt).toStrictEqual({
      [TABLE]: start + 61 * MINUTE,
    });
    expect(await store.list(`${TABLE}/part-`)).toStrictEqual([]);
  });

  it('lists at most vacuumMsPerRun per table: the run goes on to the next table and the next run finishes the pass', async () => {
    // Prepare: 1,100 old orphans (two pages of listing) in one table, one in another; a clock that
    // moves 1 s per reading, so a 1.5 s slice lists one page
    await createTable(store, 'tables/batch/user', TABLE_COLUMNS.user);
    await createTable(store, TABLE, TABLE_COLUMNS.user);
    await orphan('tables/batch/user', 'x');
    for (let i = 0; i < 1100; i++) await orphan(TABLE, String(i).padStart(4, '0'));
    let tick = 0;
    const clock = () => 1000 * tick++;
    const now = () => Date.now() + 8 * DAY;

    // Act
    const cut = await maintainTables(store, { now, clock, vacuumMsPerRun: 1500 });
    const cursor = (await readProgress(store, 'tables/')).vacuumAfter;
    const finished = await maintainTables(store, { now, clock, vacuumMsPerRun: 1500 });

    // Assess: the first page holds the log's 4 keys (versions 0 and 1, a checkpoint, _last_checkpoint)
    expect(cut.map((t) => [t.table, t.filesVacuumed, t.complete])).toStrictEqual([
      ['tables/batch/user', 1, true],
      [TABLE, 996, true],
    ]);
    expect(Object.keys(cursor)).toStrictEqual([TABLE]);
    expect(finished.map((t) => [t.table, t.filesVacuumed, t.complete])).toStrictEqual([
      ['tables/batch/user', 0, true],
      [TABLE, 104, true],
    ]);
    expect((await readProgress(store, 'tables/')).vacuumAfter).toStrictEqual({});
    expect(await store.list('tables/batch/user/part-')).toStrictEqual([]);
    expect(await store.list(`${TABLE}/part-`)).toStrictEqual([]);
  });
});
