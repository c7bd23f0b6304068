import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { encodeCheckpoint } from '../../../libs/delta/checkpoint';
import { commit } from '../../../libs/delta/commit';
import {
  ConcurrentModificationError,
  ConcurrentTransactionError,
  DeltaLogError,
  TableNotFoundError,
  UnsupportedProtocolError,
} from '../../../libs/delta/errors';
import { compactSome, setTableProperties } from '../../../libs/delta/maintenance';
import { readRows } from '../../../libs/delta/read';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { appendFiles, createTable, writeRows } from '../../../libs/delta/write';
import { encodeTable } from '../../../libs/parquet';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import { makeTempDir } from '../../helpers/temp-dir';
import { copyFixture } from './fixture-copy';

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-snapshot');
  store = new FileStore(temp.path);
});
afterEach(() => temp.cleanup());

const commitLine = (action: object): string => `${JSON.stringify(action)}\n`;
const schemaString = (fields: object[]) => JSON.stringify({ type: 'struct', fields });

test('a missing commit between the checkpoint and the latest version fails loudly', async () => {
  // Prepare
  const table = await copyFixture('golden-basic-with-inserts-deletes-checkpoint', temp.path);
  await rm(join(table, '_delta_log/00000000000000000012.json'));
  // Act
  const load = loadSnapshot(store, 'golden-basic-with-inserts-deletes-checkpoint');
  // Assess
  await expect(load).rejects.toThrow(
    new DeltaLogError(
      'table golden-basic-with-inserts-deletes-checkpoint: commit 12 is missing between 11 and 13 (the log has a gap)',
    ),
  );
});

test('a path without a log is not a table, and a version beyond the latest does not exist', async () => {
  // Prepare
  await createTable(store, 't', TABLE_COLUMNS.pin);
  // Act
  const missing = loadSnapshot(store, 'nothing-here');
  const future = loadSnapshot(store, 't', { version: 5 });
  // Assess
  await expect(missing).rejects.toThrow(TableNotFoundError);
  await expect(future).rejects.toThrow(new DeltaLogError('table t has no version 5 (latest is 0)'));
});

test('a table that needs deletion vectors is refused by the reader, one at writer 4 by the writer', async () => {
  // Prepare
  const metaData = {
    id: 'x',
    format: { provider: 'parquet', options: {} },
    schemaString: schemaString([{ name: 'id', type: 'long', nullable: true, metadata: {} }]),
    partitionColumns: [],
    configuration: {},
  };
  await store.put(
    'dv/_delta_log/00000000000000000000.json',
    commitLine({
      protocol: {
        minReaderVersion: 3,
        minWriterVersion: 7,
        readerFeatures: ['deletionVectors'],
        writerFeatures: ['deletionVectors'],
      },
    }) + commitLine({ metaData }),
  );
  await store.put(
    'w4/_delta_log/00000000000000000000.json',
    commitLine({ protocol: { minReaderVersion: 1, minWriterVersion: 4 } }) + commitLine({ metaData }),
  );
  // Act
  const read = loadSnapshot(store, 'dv');
  const write = commit(store, 'w4', []);
  // Assess
  await expect(read).rejects.toThrow(UnsupportedProtocolError);
  await expect(write).rejects.toThrow(
    new UnsupportedProtocolError('table w4 needs Delta writer version 4; pinlake writes version 2'),
  );
  expect((await loadSnapshot(store, 'w4')).version).toBe(0);
});

test('legacy 2-level lists and INT64 millisecond timestamps read as arrays and Dates', async () => {
  // Prepare
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: 'xs', data: [[1, 2], [], null] },
      { name: 'at', data: [1_600_000_000_123n, null, -1n] },
    ],
    schema: [
      { name: 'spark_schema', num_children: 2 },
      // Spark's legacy (writeLegacyFormat) 2-level list: repeated group bag { optional int32 array }
      { name: 'xs', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'bag', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'array', type: 'INT32', repetition_type: 'OPTIONAL' },
      { name: 'at', type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'TIMESTAMP_MILLIS' },
    ],
  });
  await writeFile(join(temp.path, 'part-0.parquet'), new Uint8Array(bytes));
  const metaData = {
    id: 'x',
    format: { provider: 'parquet', options: {} },
    schemaString: schemaString([
      {
        name: 'xs',
        type: { type: 'array', elementType: 'integer', containsNull: false },
        nullable: true,
        metadata: {},
      },
      { name: 'at', type: 'timestamp', nullable: true, metadata: {} },
      { name: 'missing', type: 'string', nullable: true, metadata: {} },
    ]),
    partitionColumns: [],
    configuration: {},
  };
  const add = {
    path: 'part-0.parquet',
    partitionValues: {},
    size: bytes.byteLength,
    modificationTime: 0,
    dataChange: true,
  };
  await store.put(
    '_delta_log/00000000000000000000.json',
    commitLine({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }) +
      commitLine({ metaData }) +
      commitLine({ add }),
  );
  // Act
  const rows = await readRows(store, await loadSnapshot(store, ''));
  // Assess
  expect(rows).toStrictEqual([
    { xs: [1, 2], at: new Date(1_600_000_000_123), missing: null },
    { xs: [], at: null, missing: null },
    { xs: null, at: new Date(-1), missing: null },
  ]);
});

describe('commit conflicts', () => {
  const columns = TABLE_COLUMNS.user;
  const row = {
    ind: 1,
    user_name: null,
    age: null,
    date_joined: null,
    source: 's',
    ingested_at: new Date(0),
  };

  test('a commit computed from another txn version than the table holds is refused', async () => {
    // Prepare
    await createTable(store, 't', columns);
    await commit(store, 't', [], { txns: [{ appId: 'shard-0', version: 3 }] });
    // Act
    const stale = commit(store, 't', [], {
      txns: [{ appId: 'shard-0', version: 5 }],
      expectedTxns: { 'shard-0': 2 },
    });
    // Assess
    await expect(stale).rejects.toThrow(
      new ConcurrentTransactionError(
        'table t: app shard-0 is at version 3, but this commit was computed from version 2',
      ),
    );
  });

  test('a whole-table replace racing an append fails instead of dropping the appended rows', async () => {
    // Prepare
    await createTable(store, 't', columns);
    await writeRows(store, 't', columns, [row]);
    const before = await loadSnapshot(store, 't');
    await writeRows(store, 't', columns, [{ ...row, ind: 2 }]);
    const removeAll = before.files.map((f) => ({
      remove: { path: f.add.path, dataChange: true, deletionTimestamp: 1 },
    }));
    // Act
    const replace = commit(store, 't', removeAll, { snapshot: before, readsWholeTable: true });
    // Assess
    await expect(replace).rejects.toThrow(ConcurrentModificationError);
    expect((await loadSnapshot(store, 't')).files).toHaveLength(2);
  });

  test('an append racing a change of housekeeping properties only commits after it, keeping the property', async () => {
    // Prepare: the append reads the table, then upkeep sets the tombstone retention first
    await createTable(store, 't', columns);
    const before = await loadSnapshot(store, 't');
    await setTableProperties(store, 't', { 'delta.deletedFileRetentionDuration': 'interval 1 hour' });
    // Act
    const appended = await writeRows(store, 't', columns, [row], { snapshot: before });
    // Assess
    expect(appended).toMatchObject({ status: 'committed', version: 2 });
    const after = await loadSnapshot(store, 't');
    expect(after.metadata.configuration['delta.deletedFileRetentionDuration']).toBe('interval 1 hour');
    expect(await readRows(store, await loadSnapshot(store, 't'))).toEqual([row]);
  });

  test('a txn append computed before a housekeeping change and another append commits after both', async () => {
    // Prepare: the shard's writer reads the table; upkeep sets a property, another shard appends
    await createTable(store, 't', columns);
    const before = await loadSnapshot(store, 't');
    await setTableProperties(store, 't', { 'delta.checkpointInterval': '20' });
    await writeRows(store, 't', columns, [{ ...row, ind: 2 }], { txn: { appId: 'shard-1', version: 1 } });
    const file = encodeTable(columns, [row]);
    // Act
    const appended = await appendFiles(store, 't', [file], {
      snapshot: before,
      txn: { appId: 'shard-0', version: 1 },
      expectedTxns: { 'shard-0': undefined },
    });
    // Assess
    expect(appended).toMatchObject({ status: 'committed', version: 3 });
    const after = await loadSnapshot(store, 't');
    expect(after.txns).toEqual({ 'shard-0': 1, 'shard-1': 1 });
    expect(after.metadata.configuration['delta.checkpointInterval']).toBe('20');
    const inds = (await readRows(store, after)).map((r) => r.ind);
    expect(inds.sort()).toEqual([1, 2]);
  });

  test('a compaction losing to a housekeeping change commits after it, every row kept once', async () => {
    // Prepare
    await createTable(store, 't', columns);
    for (const ind of [1, 2, 3]) await writeRows(store, 't', columns, [{ ...row, ind }]);
    const before = await loadSnapshot(store, 't');
    await setTableProperties(store, 't', { 'delta.deletedFileRetentionDuration': 'interval 1 hour' });
    // Act
    const step = await compactSome(store, 't', { snapshot: before });
    // Assess
    expect(step).toMatchObject({ version: 5, filesRemoved: 3, filesAdded: 1 });
    const after = await loadSnapshot(store, 't');
    expect(after.files).toHaveLength(1);
    expect((await readRows(store, after)).map((r) => r.ind).sort()).toEqual([1, 2, 3]);
  });

  test.each([
    ['another property', { 'delta.appendOnly': 'true' }],
    [
      'a housekeeping property beside another',
      { 'delta.logRetentionDuration': 'interval 1 day', owner: 'x' },
    ],
  ])('an append racing a metadata change of %s fails', async (_name, properties) => {
    // Prepare
    await createTable(store, 't', columns);
    const before = await loadSnapshot(store, 't');
    await setTableProperties(store, 't', properties);
    // Act
    const appended = writeRows(store, 't', columns, [row], { snapshot: before });
    // Assess
    await expect(appended).rejects.toThrow(
      new ConcurrentModificationError('table t: concurrent commit 1 changed the table metadata'),
    );
    expect(await readRows(store, await loadSnapshot(store, 't'))).toEqual([]);
  });

  test('a property change racing another property change fails rather than undo it', async () => {
    // Prepare
    await createTable(store, 't', columns);
    const before = await loadSnapshot(store, 't');
    await setTableProperties(store, 't', { 'delta.logRetentionDuration': 'interval 2 days' });
    // Act
    const second = setTableProperties(store, 't', { 'delta.checkpointInterval': '20' }, { snapshot: before });
    // Assess
    await expect(second).rejects.toThrow(ConcurrentModificationError);
    const after = await loadSnapshot(store, 't');
    expect(after.metadata.configuration['delta.logRetentionDuration']).toBe('interval 2 days');
  });
});

test('a two-part checkpoint is read when both parts exist and ignored when one is missing', async () => {
  // Prepare
  const columns = TABLE_COLUMNS.user;
  await createTable(store, 't', columns);
  for (let ind = 1; ind <= 3; ind++) {
    await writeRows(store, 't', columns, [
      { ind, user_name: null, age: null, date_joined: null, source: 's', ingested_at: new Date(0) },
    ]);
  }
  const state = (await loadSnapshot(store, 't')).state.toActions(0);
  const half = Math.ceil(state.length / 2);
  const part = (n: number) => `t/_delta_log/00000000000000000003.checkpoint.000000000${n}.0000000002.parquet`;
  await store.put(part(1), encodeCheckpoint(state.slice(0, half)));
  await store.put(part(2), encodeCheckpoint(state.slice(half)));
  await rm(join(temp.path, 't/_delta_log/00000000000000000001.json'));
  // Act
  const whole = await loadSnapshot(store, 't');
  await rm(join(temp.path, part(2)));
  const incomplete = loadSnapshot(store, 't');
  // Assess
  expect(whole.checkpointVersion).toBe(3);
  expect(whole.files).toHaveLength(3);
  await expect(incomplete).rejects.toThrow(
    new DeltaLogError(
      'table t: checkpoint 3 has 1 of its 2 parts (missing part 2), and commit 1, needed to replay without it, is missing too',
    ),
  );
});
