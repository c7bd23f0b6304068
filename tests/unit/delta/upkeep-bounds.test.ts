import { writeCheckpoint } from '../../../libs/delta/checkpoint-writer';
import { readCommit } from '../../../libs/delta/log';
import { compactSome, planCompaction, setTableProperties } from '../../../libs/delta/maintenance';
import { readFileRows, readRows } from '../../../libs/delta/read';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { createTable, replaceRows, writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS, type UserRow } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import type { ObjectStore } from '../../../libs/storage/types';
import { makeTempDir } from '../../helpers/temp-dir';

const columns = TABLE_COLUMNS.user;
const user = (ind: number): UserRow => ({
  ind,
  user_name: `user ${ind}`,
  age: ind,
  date_joined: null,
  source: `kinesis:s:shardId-0:${ind}`,
  ingested_at: new Date(Date.UTC(2024, 0, 1, 0, 0, ind)),
});
const HOUR = 3_600_000;
const RETENTION = 'delta.deletedFileRetentionDuration';

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-upkeep-bounds');
  store = new FileStore(temp.path);
});
afterEach(() => temp.cleanup());

/**
 * The file store, with reads of data files answered in reverse order of their start (each waits less
 * than the one before), counting how many are in flight at once.
 */
function slowReads(inner: ObjectStore): ObjectStore & { maxInFlight: () => number } {
  let inFlight = 0;
  let most = 0;
  let delay = 60;
  return Object.assign(Object.create(inner) as ObjectStore, {
    get: async (key: string) => {
      if (!key.endsWith('.parquet')) return inner.get(key);
      inFlight++;
      most = Math.max(most, inFlight);
      const wait = Math.max(1, delay--);
      await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight--;
      return inner.get(key);
    },
    maxInFlight: () => most,
  });
}

describe('compactSome', () => {
  test('reads a bin at most readConcurrency files at a time and writes the rows in file order', async () => {
    // Prepare: 10 one-row files
    await createTable(store, 't', columns);
    for (let i = 1; i <= 10; i++) await writeRows(store, 't', columns, [user(i)]);
    const before = await loadSnapshot(store, 't');
    const [bin] = planCompaction(before.files, 1024 * 1024);
    const expected = [];
    for (const file of bin ?? []) expected.push(...(await readFileRows(store, before, file)));
    const slow = slowReads(store);
    // Act
    const step = await compactSome(slow, 't', { targetSize: 1024 * 1024, readConcurrency: 4 });
    // Assess
    expect([step.filesRemoved, step.filesAdded, step.rowsRewritten, step.remaining]).toStrictEqual([
      10, 1, 10, 0,
    ]);
    expect(slow.maxInFlight()).toBe(4);
    expect(await readRows(store, await loadSnapshot(store, 't'))).toStrictEqual(expected);
  });
});

describe('setTableProperties', () => {
  test('sets a property with one metaData commit, keeping the id, schema and other properties, then commits nothing', async () => {
    // Prepare
    await createTable(store, 't', columns, { configuration: { 'delta.checkpointInterval': '10' } });
    await writeRows(store, 't', columns, [user(1)]);
    const before = await loadSnapshot(store, 't');
    // Act
    const first = await setTableProperties(store, 't', { [RETENTION]: 'interval 1 hour' });
    const again = await setTableProperties(store, 't', { [RETENTION]: 'interval 1 hour' });
    // Assess
    const after = await loadSnapshot(store, 't');
    expect([first.version, again.version, after.version]).toStrictEqual([2, undefined, 2]);
    expect(after.metadata).toStrictEqual({
      ...before.metadata,
      configuration: { 'delta.checkpointInterval': '10', [RETENTION]: 'interval 1 hour' },
    });
    const commitInfo = (await readCommit(store, 't', 2)).find((a) => 'commitInfo' in a);
    expect(commitInfo && 'commitInfo' in commitInfo ? commitInfo.commitInfo.operation : undefined).toBe(
      'SET TBLPROPERTIES',
    );
    expect(after.files).toStrictEqual(before.files);
    expect(await readRows(store, after)).toStrictEqual([user(1)]);
  });
});

describe('writeCheckpoint with the table retention', () => {
  test("keeps the tombstones younger than the table's retention and drops the older ones from the state too", async () => {
    // Prepare: three files removed at removedAt by a replace, on a table keeping tombstones an hour
    await createTable(store, 't', columns, { configuration: { [RETENTION]: 'interval 1 hour' } });
    for (let i = 1; i <= 3; i++) await writeRows(store, 't', columns, [user(i)]);
    const removedAt = Date.now();
    await replaceRows(store, 't', columns, [user(4)], { now: () => removedAt });
    const snapshot = await loadSnapshot(store, 't');
    // Act
    const within = await writeCheckpoint(store, 't', snapshot.state, removedAt + HOUR / 2);
    const keptInState = snapshot.state.tombstones.size;
    const readWithin = await loadSnapshot(store, 't');
    const past = await writeCheckpoint(store, 't', snapshot.state, removedAt + 2 * HOUR);
    const readPast = await loadSnapshot(store, 't');
    // Assess: protocol, metaData, one add, and the three tombstones while they are young
    expect([within.size, keptInState, readWithin.tombstones.length]).toStrictEqual([6, 3, 3]);
    expect([past.size, snapshot.state.tombstones.size, readPast.tombstones.length]).toStrictEqual([3, 0, 0]);
    expect(readPast.checkpointVersion).toBe(4);
    expect(readPast.files).toStrictEqual(readWithin.files);
    expect(await readRows(store, readPast)).toStrictEqual([user(4)]);
  });
});

describe("a warm state's copy", () => {
  test("leaves out the tombstones past the table's retention, so a long-lived writer does not carry them", async () => {
    // Prepare: three files removed at removedAt by a replace, on a table keeping tombstones an hour
    await createTable(store, 't', columns, { configuration: { [RETENTION]: 'interval 1 hour' } });
    for (let i = 1; i <= 3; i++) await writeRows(store, 't', columns, [user(i)]);
    const removedAt = Date.now();
    await replaceRows(store, 't', columns, [user(4)], { now: () => removedAt });
    const { state } = await loadSnapshot(store, 't');

    // Act
    const within = state.clone(removedAt + HOUR / 2);
    const past = state.clone(removedAt + 2 * HOUR);

    // Assess: the live files and txns are copied either way; the tombstones only while they are young
    expect([within.tombstones.size, past.tombstones.size, state.tombstones.size]).toStrictEqual([3, 0, 3]);
    expect([...past.files.keys()]).toStrictEqual([...state.files.keys()]);
    expect(past.version).toBe(state.version);
  });
});
