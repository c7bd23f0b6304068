import { createTable, loadSnapshot, readRows, writeRows } from '../../../libs/delta';
import { findTables, maintainTables } from '../../../libs/maintenance';
import type { UserRow } from '../../../libs/records';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

const DAY = 86_400_000;

function userRows(first: number, count: number): UserRow[] {
  return Array.from({ length: count }, (_, i) => ({
    ind: first + i,
    user_name: `User ${first + i}`,
    age: 20 + ((first + i) % 40),
    date_joined: new Date(Date.UTC(2016, 0, 1 + i)),
    source: `kafka:pinlake.user:0:${first + i}`,
    ingested_at: new Date(Date.UTC(2026, 10, 1)),
  }));
}

const byInd = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.ind) - Number(b.ind);

describe('Function: maintainTables()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    dir = await makeTempDir('maintain');
    store = new FileStore(dir.path);
  });
  afterEach(() => dir.cleanup());

  it('finds every Delta table under tables/ and nothing else', async () => {
    // Prepare
    await createTable(store, 'tables/batch/user', TABLE_COLUMNS.user);
    await createTable(store, 'tables/stream/user', TABLE_COLUMNS.user);
    await store.put('tables/batch/notes.json', '{}');
    await store.put('raw/topics/pinlake.user/partition=0/pinlake.user+0+0000000000.json', '{}\n');

    // Act
    const tables = await findTables(store);

    // Assess
    expect(tables).toStrictEqual(['tables/batch/user', 'tables/stream/user']);
  });

  it('sets the tombstone retention, compacts small files, checkpoints the latest version and keeps every row', async () => {
    // Prepare: 12 small commits of 5 rows each, on a clean table created without properties
    await createTable(store, 'tables/stream/user', TABLE_COLUMNS.user);
    for (let i = 0; i < 12; i++) {
      await writeRows(store, 'tables/stream/user', TABLE_COLUMNS.user, userRows(i * 5, 5), {
        txn: { appId: 'kinesis:streaming-pinlake-user:shardId-000000000000', version: i + 1 },
      });
    }
    const before = await loadSnapshot(store, 'tables/stream/user');
    const rowsBefore = (await readRows(store, before)).sort(byInd);

    // Act
    const [upkeep] = await maintainTables(store);

    // Assess
    const after = await loadSnapshot(store, 'tables/stream/user');
    expect(upkeep).toStrictEqual({
      table: 'tables/stream/user',
      version: before.version + 2,
      propertiesSet: before.version + 1,
      filesCompacted: 12,
      filesWritten: 1,
      checkpointed: before.version + 2,
      filesVacuumed: 0,
      complete: true,
    });
    expect(after.files).toHaveLength(1);
    expect(after.txns).toStrictEqual(before.txns);
    expect((await readRows(store, after)).sort(byInd)).toStrictEqual(rowsBefore);
    expect((await loadSnapshot(store, 'tables/stream/user')).checkpointVersion).toBe(after.version);
  });

  it('measures its budget on the given clock: stops after the chunk that spent it, and the next run finishes', async () => {
    // Prepare: 6 small files, 2 per compaction commit; the clock moves 1 s per reading (start 0, before the
    // table 1 s, after its first chunk 2 s), the budget is 1.5 s
    await createTable(store, 'tables/stream/user', TABLE_COLUMNS.user);
    for (let i = 0; i < 6; i++) {
      await writeRows(store, 'tables/stream/user', TABLE_COLUMNS.user, userRows(i * 5, 5));
    }
    let tick = 0;
    const clock = () => 1000 * tick++;

    // Act
    const [stopped] = await maintainTables(store, { filesPerCommit: 2, budgetMs: 1500, clock });
    const [finished] = await maintainTables(store, { filesPerCommit: 2 });

    // Assess
    expect([stopped?.filesCompacted, stopped?.complete, stopped?.checkpointed]).toStrictEqual([
      2,
      false,
      undefined,
    ]);
    // The 4 files left, then the small outputs of every chunk, merged two at a time into one file.
    expect([finished?.filesCompacted, finished?.complete]).toStrictEqual([8, true]);
    const after = await loadSnapshot(store, 'tables/stream/user');
    expect(after.files).toHaveLength(1);
    expect(
      (await readRows(store, after)).map((r) => r.ind).sort((a, b) => Number(a) - Number(b)),
    ).toStrictEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('vacuums compacted-away files and orphan uploads only once they are older than the retention', async () => {
    // Prepare: two commits, then an orphan upload that was never committed
    await createTable(store, 'tables/batch/user', TABLE_COLUMNS.user);
    await writeRows(store, 'tables/batch/user', TABLE_COLUMNS.user, userRows(0, 3));
    await writeRows(store, 'tables/batch/user', TABLE_COLUMNS.user, userRows(3, 3));
    await store.put('tables/batch/user/part-00000-orphan-c000.snappy.parquet', 'never committed');
    await maintainTables(store);
    const dataFiles = async () =>
      (await store.list('tables/batch/user/part-')).map((o) => o.key.slice('tables/batch/user/'.length));

    // Act: a week and a day later
    const early = await dataFiles();
    const [later] = await maintainTables(store, { now: () => Date.now() + 8 * DAY });

    // Assess
    const snapshot = await loadSnapshot(store, 'tables/batch/user');
    expect(early).toHaveLength(4);
    expect(later?.filesVacuumed).toBe(3);
    expect(await dataFiles()).toStrictEqual(snapshot.files.map((f) => f.path));
    expect((await readRows(store, snapshot)).sort(byInd)).toHaveLength(6);
  });

  it('reports what vacuum would delete in a dry run and deletes nothing', async () => {
    // Prepare
    await createTable(store, 'tables/batch/user', TABLE_COLUMNS.user);
    await writeRows(store, 'tables/batch/user', TABLE_COLUMNS.user, userRows(0, 3));
    await store.put('tables/batch/user/part-00000-orphan-c000.snappy.parquet', 'never committed');

    // Act
    const [upkeep] = await maintainTables(store, { dryRun: true, now: () => Date.now() + 8 * DAY });

    // Assess
    expect(upkeep?.filesVacuumed).toBe(1);
    expect(await store.get('tables/batch/user/part-00000-orphan-c000.snappy.parquet')).toBeDefined();
  });
});

describe('Handler: maintain-tables', () => {
  it('maintains the lake named by LAKE_URI when the schedule fires', async () => {
    // Prepare
    const dir = await makeTempDir('maintain-handler');
    const store = new FileStore(dir.path);
    await createTable(store, 'tables/batch/user', TABLE_COLUMNS.user);
    await writeRows(store, 'tables/batch/user', TABLE_COLUMNS.user, userRows(0, 2));
    await writeRows(store, 'tables/batch/user', TABLE_COLUMNS.user, userRows(2, 2));
    const env = { ...process.env };
    process.env.LAKE_URI = store.uri;
    try {
      // A fresh module registry: the earlier tests' chaos checks read (and cached) the configuration.
      jest.resetModules();
      const { handler } = await import('../../../functions/maintain-tables');

      // Act
      const result = await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, {} as never);

      // Assess
      expect(result).toStrictEqual({
        tables: [
          {
            table: 'tables/batch/user',
            version: 4,
            propertiesSet: 3,
            filesCompacted: 2,
            filesWritten: 1,
            checkpointed: 4,
            filesVacuumed: 0,
            complete: true,
          },
        ],
      });
    } finally {
      process.env = env;
      await dir.cleanup();
    }
  });
});
