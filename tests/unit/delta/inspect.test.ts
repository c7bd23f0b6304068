import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableInfo } from '../../../libs/delta/info';
import { checkTable, history } from '../../../libs/delta/inspect';
import { createTable, writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import packageJson from '../../../package.json';
import { makeTempDir } from '../../helpers/temp-dir';
import { copyFixture, FIXTURES } from './fixture-copy';

const columns = TABLE_COLUMNS.user;
const row = (ind: number) => ({
  ind,
  user_name: null,
  age: null,
  date_joined: null,
  source: 's',
  ingested_at: new Date(0),
});

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-inspect');
  store = new FileStore(temp.path);
});
afterEach(() => temp.cleanup());

test('info summarises a Spark table, counting records from stats or from the footers', async () => {
  // Prepare
  const fixtures = new FileStore(FIXTURES);
  // Act
  const withStats = await tableInfo(fixtures, 'dat-multi-partitioned');
  const withoutStats = await tableInfo(fixtures, 'deltars-delta-0.2.0');
  // Assess
  expect(withStats).toStrictEqual({
    version: 2,
    numFiles: 2,
    numRecords: 2,
    partitionColumns: ['letter', 'date', 'data'],
    schema: [
      { name: 'letter', type: 'string', nullable: true },
      { name: 'date', type: 'date', nullable: true },
      { name: 'data', type: 'binary', nullable: true },
      { name: 'number', type: 'long', nullable: true },
    ],
  });
  expect(withoutStats.numRecords).toBe(6);
});

test('history lists commits newest first with operations, file counts, rows and txns', async () => {
  // Prepare
  await createTable(store, 't', columns);
  await writeRows(store, 't', columns, [row(1), row(2)], { txn: { appId: 'a', version: 3 } });
  // Act
  const entries = await history(store, 't', { limit: 5 });
  // Assess
  expect(entries.map(({ timestamp: _t, ...e }) => e)).toStrictEqual([
    {
      version: 1,
      operation: 'STREAMING UPDATE',
      operationParameters: { mode: 'Append' },
      engineInfo: `pinlake/${packageJson.version}`,
      addedFiles: 1,
      removedFiles: 0,
      addedRecords: 2,
      txns: { a: 3 },
    },
    {
      version: 0,
      operation: 'CREATE TABLE',
      operationParameters: { partitionBy: '[]' },
      engineInfo: `pinlake/${packageJson.version}`,
      addedFiles: 0,
      removedFiles: 0,
      addedRecords: 0,
      txns: {},
    },
  ]);
});

test('check passes a consistent table with a checkpoint', async () => {
  // Prepare
  await copyFixture('golden-basic-with-inserts-deletes-checkpoint', temp.path);
  // Act
  const result = await checkTable(store, 'golden-basic-with-inserts-deletes-checkpoint');
  // Assess
  expect(result).toStrictEqual({ version: 13, commits: 14, checkpoints: 1, activeFiles: 7, problems: [] });
});

test('check lists a gap, a missing file, a wrong size, a wrong checkpoint and a dangling _last_checkpoint', async () => {
  // Prepare
  const g = await copyFixture('golden-basic-with-inserts-deletes-checkpoint', temp.path);
  await cp(
    join(FIXTURES, 'deltars-delta-0.2.0/_delta_log/00000000000000000003.checkpoint.parquet'),
    join(g, '_delta_log/00000000000000000010.checkpoint.parquet'),
  );
  await rm(join(g, '_delta_log/00000000000000000012.json'));
  await rm(join(g, 'part-00000-da82aeb5-4edb-4cc1-91ef-970c75c965cc-c000.snappy.parquet'));
  await writeFile(join(g, 'part-00000-7d1a368c-74ea-42df-9527-2c9a7c8292b9-c000.snappy.parquet'), 'short');
  await writeFile(join(g, '_delta_log/_last_checkpoint'), '{"version":20,"size":1}');
  // Act
  const result = await checkTable(store, 'golden-basic-with-inserts-deletes-checkpoint');
  // Assess
  expect(result.problems).toStrictEqual([
    'versions 12..12 are missing (gap in the log)',
    'checkpoint 10: its files differ from the replayed log',
    'checkpoint 10: its txns differ from the replayed log',
    'checkpoint 10: its metaData or protocol differ from the replayed log',
    '_last_checkpoint names version 20, which has no complete checkpoint',
    'data file part-00000-da82aeb5-4edb-4cc1-91ef-970c75c965cc-c000.snappy.parquet is missing',
    'data file part-00000-7d1a368c-74ea-42df-9527-2c9a7c8292b9-c000.snappy.parquet has 5 bytes, the log says 510',
  ]);
});
