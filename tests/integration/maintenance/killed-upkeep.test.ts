import { ChaosError, setChaos } from '../../../libs/chaos';
import { createTable, loadSnapshot, readRows, writeRows } from '../../../libs/delta';
import { upkeepProgressKey } from '../../../libs/lake/layout';
import { maintainTables, readProgress } from '../../../libs/maintenance';
import type { UserRow } from '../../../libs/records';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

const TABLE = 'tables/stream/user';

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

/** A deterministic random source (a fixed linear congruential sequence). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const inds = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.ind)).sort((a, b) => a - b);

describe('maintain-tables killed and budgeted', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    dir = await makeTempDir('killed-upkeep');
    store = new FileStore(dir.path);
    await createTable(store, TABLE, TABLE_COLUMNS.user);
    for (let i = 0; i < 24; i++) {
      await writeRows(store, TABLE, TABLE_COLUMNS.user, userRows(i * 3, 3), {
        txn: { appId: 'kinesis:streaming-pinlake-user:shardId-000000000000', version: i + 1 },
      });
    }
  });
  afterEach(async () => {
    setChaos(undefined);
    await dir.cleanup();
  });

  it('loses and doubles no row when runs are killed at every chaos step, and the runs after finish the work', async () => {
    // Prepare
    const expected = Array.from({ length: 72 }, (_, i) => i);
    for (let i = 0; i < 3; i++)
      await store.put(`${TABLE}/part-00000-orphan-${i}-c000.snappy.parquet`, 'never committed');
    setChaos(0.3, seeded(42));
    const kills: string[] = [];

    // Act: runs killed at random steps (after an upload, a commit, a checkpoint, a page of deletes),
    // each run compacting 4 files per commit, a week later so that vacuum deletes too, and starting a
    // vacuum pass every run (not hourly) so that every run can be killed in one
    const later = () => Date.now() + 8 * 86_400_000;
    for (let run = 0; run < 40; run++) {
      // An upload whose commit never happened (a crashed writer): for vacuum to delete
      await store.put(`${TABLE}/part-00000-orphan-${run}-c000.snappy.parquet`, 'never committed');
      try {
        await maintainTables(store, { filesPerCommit: 4, now: later, vacuumEveryMinutes: 0 });
      } catch (error) {
        if (!(error instanceof ChaosError)) throw error;
        kills.push(error.step);
      }
      const rows = await readRows(store, await loadSnapshot(store, TABLE));
      expect(inds(rows)).toStrictEqual(expected);
    }
    setChaos(undefined);
    const [last] = await maintainTables(store, { filesPerCommit: 4, now: later, vacuumEveryMinutes: 0 });

    // Assess
    const snapshot = await loadSnapshot(store, TABLE);
    expect(new Set(kills)).toStrictEqual(
      new Set([
        'maintain-tables:after-compaction-upload',
        'maintain-tables:after-compaction-commit',
        'maintain-tables:after-checkpoint',
        'maintain-tables:after-vacuum-delete',
      ]),
    );
    expect(inds(await readRows(store, snapshot))).toStrictEqual(expected);
    expect(snapshot.files.length).toBeLessThanOrEqual(2);
    expect(last?.complete).toBe(true);
    // Every orphan (uploads never committed, compactions killed before their commit) is gone; what is
    // left is live or removed within the retention
    const dataFiles = (await store.list(`${TABLE}/part-`)).map((o) => o.key.slice(TABLE.length + 1));
    const known = new Set([...snapshot.files.map((f) => f.path), ...snapshot.tombstones.map((t) => t.path)]);
    expect(dataFiles.filter((path) => !known.has(path))).toStrictEqual([]);
    expect(snapshot.files.every((f) => dataFiles.includes(f.path))).toBe(true);
  });

  it('stops at its budget, says so, and the next run goes on from the same table', async () => {
    // Prepare: a second table, so the first run's order matters
    await createTable(store, 'tables/batch/user', TABLE_COLUMNS.user);

    // Act
    const stopped = await maintainTables(store, { budgetMs: 0 });
    const progress = await readProgress(store, 'tables/');
    const resumed = await maintainTables(store, { filesPerCommit: 4 });

    // Assess
    expect(stopped).toStrictEqual([]);
    expect(progress).toStrictEqual({ resumeAt: 'tables/batch/user', vacuumAfter: {}, vacuumStartedAt: {} });
    expect(resumed.map((t) => [t.table, t.complete])).toStrictEqual([
      ['tables/batch/user', true],
      [TABLE, true],
    ]);
    expect(resumed[1]?.filesCompacted).toBeGreaterThanOrEqual(24);
    expect((await loadSnapshot(store, TABLE)).files).toHaveLength(1);
    expect(await store.get(upkeepProgressKey('tables/'))).toBeDefined();
  });
});
