import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseActions } from '../../../libs/delta/actions';
import { commit } from '../../../libs/delta/commit';
import { SchemaMismatchError } from '../../../libs/delta/errors';
import { readRows } from '../../../libs/delta/read';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { createTable, replaceRows, writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS, type UserRow } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import packageJson from '../../../package.json';
import { makeTempDir } from '../../helpers/temp-dir';

const columns = TABLE_COLUMNS.user;
const user = (ind: number): UserRow => ({
  ind,
  user_name: `user ${ind}`,
  age: 20 + (ind % 40),
  date_joined: new Date(Date.UTC(2016, 0, 1 + ind)),
  source: `kafka:pinlake.user:0:${ind}`,
  ingested_at: new Date(Date.UTC(2024, 0, 1, 0, 0, ind)),
});

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-writer');
  store = new FileStore(temp.path);
});
afterEach(() => temp.cleanup());

async function logLines(version: number): Promise<Record<string, unknown>[]> {
  const name = `${String(version).padStart(20, '0')}.json`;
  const text = await readFile(join(temp.path, 'tables/user/_delta_log', name), 'utf8');
  return parseActions(text, name) as Record<string, unknown>[];
}

describe('createTable', () => {
  test('writes protocol (1,2) and a metaData whose schemaString is the clean user schema', async () => {
    // Act
    await createTable(store, 'tables/user', columns);
    // Assess
    const [commitInfo, protocol, metaData] = await logLines(0);
    expect(protocol).toStrictEqual({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
    expect(
      JSON.parse((metaData as { metaData: { schemaString: string } }).metaData.schemaString),
    ).toStrictEqual({
      type: 'struct',
      fields: [
        { name: 'ind', type: 'long', nullable: false, metadata: {} },
        { name: 'user_name', type: 'string', nullable: true, metadata: {} },
        { name: 'age', type: 'integer', nullable: true, metadata: {} },
        { name: 'date_joined', type: 'timestamp', nullable: true, metadata: {} },
        { name: 'source', type: 'string', nullable: false, metadata: {} },
        { name: 'ingested_at', type: 'timestamp', nullable: false, metadata: {} },
      ],
    });
    expect((commitInfo as { commitInfo: { operation: string } }).commitInfo.operation).toBe('CREATE TABLE');
  });

  test('is idempotent for the same schema and refuses another schema', async () => {
    // Prepare
    const first = await createTable(store, 'tables/user', columns);
    // Act
    const again = await createTable(store, 'tables/user', columns);
    const other = createTable(store, 'tables/user', TABLE_COLUMNS.geo);
    // Assess
    expect(again.version).toBe(0);
    expect(again.metadata.id).toBe(first.metadata.id);
    await expect(other).rejects.toThrow(SchemaMismatchError);
  });
});

describe('writeRows', () => {
  test('appends rows that read back whole, with an add carrying stats, tags and the txn', async () => {
    // Prepare
    await createTable(store, 'tables/user', columns);
    const rows = [user(1), user(2), user(3)];
    // Act
    const result = await writeRows(store, 'tables/user', columns, rows, {
      txn: { appId: 'kafka-0', version: 7 },
      tags: { 'pinlake.hwm': '49590338271490256608559692538361571095921575989136588898' },
    });
    // Assess
    expect(result.status).toBe('committed');
    const snapshot = await loadSnapshot(store, 'tables/user');
    expect(await readRows(store, snapshot)).toStrictEqual(rows);
    expect(snapshot.txns).toStrictEqual({ 'kafka-0': 7 });
    expect(snapshot.files[0]!.tags).toStrictEqual({
      'pinlake.hwm': '49590338271490256608559692538361571095921575989136588898',
    });
    expect(snapshot.files[0]!.stats?.numRecords).toBe(3);
    expect(snapshot.files[0]!.path).toMatch(/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
    const lines = await logLines(1);
    const info = (lines[0] as { commitInfo: Record<string, unknown> }).commitInfo;
    expect(info.operation).toBe('STREAMING UPDATE');
    expect(info.readVersion).toBe(0);
    expect(info.engineInfo).toBe(`pinlake/${packageJson.version}`);
    expect(lines[1]).toStrictEqual({ txn: { appId: 'kafka-0', version: 7, lastUpdated: info.timestamp } });
  });

  test('committing the same app id and version twice writes once', async () => {
    // Prepare
    await createTable(store, 'tables/user', columns);
    await writeRows(store, 'tables/user', columns, [user(1)], { txn: { appId: 'kafka-0', version: 1 } });
    // Act
    const replay = await writeRows(store, 'tables/user', columns, [user(1)], {
      txn: { appId: 'kafka-0', version: 1 },
    });
    // Assess
    expect(replay).toStrictEqual({ status: 'duplicate', version: 1, appId: 'kafka-0', recordedVersion: 1 });
    const snapshot = await loadSnapshot(store, 'tables/user');
    expect(snapshot.version).toBe(1);
    expect(await readRows(store, snapshot)).toStrictEqual([user(1)]);
  });

  test('a partitioned write puts each partition in its own escaped directory and reads the values back', async () => {
    // Prepare
    const partitioned = [
      { name: 'ind', type: 'long' as const, nullable: false },
      { name: 'user_name', type: 'string' as const, nullable: true },
      { name: 'source', type: 'string' as const, nullable: true },
    ];
    await createTable(store, 'tables/part', partitioned, { partitionColumns: ['source'] });
    const rows = [
      { ind: 1, user_name: 'a', source: 'a/b: c%' },
      { ind: 2, user_name: 'b', source: null },
      { ind: 3, user_name: 'c', source: 'a/b: c%' },
    ];
    // Act
    await writeRows(store, 'tables/part', partitioned, rows);
    // Assess
    const snapshot = await loadSnapshot(store, 'tables/part');
    expect(snapshot.files.map((f) => f.path.split('/')[0]).sort()).toStrictEqual([
      'source=__HIVE_DEFAULT_PARTITION__',
      'source=a%2Fb%3A c%25',
    ]);
    expect(snapshot.files.map((f) => f.add.path.split('/')[0]).sort()).toStrictEqual([
      'source=__HIVE_DEFAULT_PARTITION__',
      'source=a%252Fb%253A%20c%2525',
    ]);
    const read = await readRows(store, snapshot);
    expect(read.sort((a, b) => (a.ind as number) - (b.ind as number))).toStrictEqual(rows);
  });
});

describe('replaceRows', () => {
  test('removes every active file and adds the new content in one commit', async () => {
    // Prepare
    await createTable(store, 'tables/user', columns);
    await writeRows(store, 'tables/user', columns, [user(1), user(2)]);
    await writeRows(store, 'tables/user', columns, [user(3)]);
    // Act
    const result = await replaceRows(store, 'tables/user', columns, [user(9)]);
    // Assess
    expect(result.status).toBe('committed');
    const snapshot = await loadSnapshot(store, 'tables/user');
    expect(await readRows(store, snapshot)).toStrictEqual([user(9)]);
    expect(snapshot.tombstones).toHaveLength(2);
    const lines = await logLines(3);
    expect(lines.filter((l) => 'remove' in l)).toHaveLength(2);
    expect(lines.filter((l) => 'add' in l)).toHaveLength(1);
  });
});

describe('checkpoints', () => {
  test('every tenth commit writes a checkpoint and _last_checkpoint, and every version loads the same with or without them', async () => {
    // Prepare
    await createTable(store, 'tables/user', columns);
    // Act
    for (let i = 1; i <= 23; i++) {
      const txn = { appId: `shard-${i % 3}`, version: i };
      if (i === 15) await replaceRows(store, 'tables/user', columns, [user(i)], { txn });
      else await writeRows(store, 'tables/user', columns, [user(i)], { txn });
    }
    // Assess
    const last = JSON.parse(
      await readFile(join(temp.path, 'tables/user/_delta_log/_last_checkpoint'), 'utf8'),
    );
    // protocol + metaData + 3 txns + 6 live files (15..20) + 14 tombstones of the replace at 15
    expect(last).toStrictEqual({ version: 20, size: 25, sizeInBytes: last.sizeInBytes, numOfAddFiles: 6 });
    for (let version = 0; version <= 23; version++) {
      const withCheckpoints = await loadSnapshot(store, 'tables/user', { version });
      const jsonOnly = await loadSnapshot(store, 'tables/user', { version, ignoreCheckpoints: true });
      expect(withCheckpoints.checkpointVersion).toBe(version >= 20 ? 20 : version >= 10 ? 10 : undefined);
      const view = (s: typeof jsonOnly) => ({
        version: s.version,
        metadata: s.metadata,
        protocol: s.protocol,
        txns: s.txns,
        files: s.files.map((f) => ({ ...f, add: { ...f.add, dataChange: undefined } })),
        tombstones: s.tombstones.map((t) => ({ path: t.path, deletionTimestamp: t.deletionTimestamp })),
      });
      expect(view(withCheckpoints)).toStrictEqual(view(jsonOnly));
    }
  });
});

describe('checkpointMaxFiles', () => {
  const tenCommits = async (limit: number) => {
    await createTable(store, 'tables/user', columns);
    const results = [];
    for (let i = 1; i <= 10; i++) {
      results.push(
        await writeRows(store, 'tables/user', columns, [user(i)], {
          txn: { appId: 'shard-0', version: i },
          checkpointMaxFiles: limit,
        }),
      );
    }
    return results.at(-1)!;
  };

  test('the tenth commit leaves the checkpoint to upkeep when the table holds more files than the limit, and the table reads the same', async () => {
    // Act
    const tenth = await tenCommits(9);
    // Assess
    expect(tenth.status === 'committed' && [tenth.version, tenth.checkpointWritten]).toStrictEqual([
      10,
      false,
    ]);
    const log = await readdir(join(temp.path, 'tables/user/_delta_log'));
    expect(log.filter((f) => !f.endsWith('.json'))).toStrictEqual([]);
    const snapshot = await loadSnapshot(store, 'tables/user');
    expect([snapshot.version, snapshot.checkpointVersion, snapshot.txns]).toStrictEqual([
      10,
      undefined,
      { 'shard-0': 10 },
    ]);
    expect(
      (await readRows(store, snapshot)).map((r) => r.ind).sort((a, b) => Number(a) - Number(b)),
    ).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('the tenth commit writes the checkpoint when the table holds exactly the limit', async () => {
    // Act
    const tenth = await tenCommits(10);
    // Assess
    expect(tenth.status === 'committed' && [tenth.version, tenth.checkpointWritten]).toStrictEqual([
      10,
      true,
    ]);
    expect((await loadSnapshot(store, 'tables/user')).checkpointVersion).toBe(10);
  });
});

describe('commit', () => {
  test('a stale snapshot retries at the next version, keeping both commits', async () => {
    // Prepare
    await createTable(store, 'tables/user', columns);
    const stale = await loadSnapshot(store, 'tables/user');
    await writeRows(store, 'tables/user', columns, [user(1)]);
    // Act
    const result = await commit(store, 'tables/user', [], {
      snapshot: stale,
      txns: [{ appId: 'b', version: 1 }],
    });
    // Assess
    expect(result.status === 'committed' && result.version).toBe(2);
    expect((await loadSnapshot(store, 'tables/user')).txns).toStrictEqual({ b: 1 });
  });
});
