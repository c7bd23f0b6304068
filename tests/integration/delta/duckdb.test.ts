import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { optimize } from '../../../libs/delta/maintenance';
import { readRows } from '../../../libs/delta/read';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { createTable, writeRows } from '../../../libs/delta/write';
import { type GeoRow, TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import { makeTempDir } from '../../helpers/temp-dir';

const columns = TABLE_COLUMNS.geo;
const geo = (ind: number): GeoRow => ({
  ind,
  country: ind % 3 === 0 ? null : `Country ${ind % 4}`,
  coordinates: ind % 5 === 0 ? null : [ind / 7, -ind / 3],
  timestamp: new Date(Date.UTC(2019, 5, ind)),
  source: `kinesis:streaming-pinlake-geo:shardId-000000000000:${ind}`,
  ingested_at: new Date(Date.UTC(2024, 0, 1, 0, 0, ind)),
});

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
let duck: DuckDBInstance;
beforeAll(async () => {
  duck = await DuckDBInstance.create(':memory:');
});
afterAll(() => duck.closeSync());
beforeEach(async () => {
  temp = await makeTempDir('delta-duckdb');
  store = new FileStore(temp.path);
  await createTable(store, 'geo', columns);
  for (let i = 1; i <= 12; i++) await writeRows(store, 'geo', columns, [geo(2 * i - 1), geo(2 * i)]);
});
afterEach(() => temp.cleanup());

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await duck.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}

const asDuckJson = (r: Record<string, unknown>) => ({
  ind: String(r.ind),
  country: r.country,
  coordinates: r.coordinates,
  ts: (r.timestamp as Date | null)?.toISOString() ?? null,
  source: r.source,
});

test('DuckDB reads the active data files with the same rows as our reader', async () => {
  // Prepare
  const snapshot = await loadSnapshot(store, 'geo');
  const files = snapshot.files.map((f) => `'${join(temp.path, 'geo', f.path)}'`).join(', ');
  // Act
  const viaDuck = await duckRows(
    `select ind, country, coordinates, strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%gZ') as ts, source
     from read_parquet([${files}]) order by ind`,
  );
  const ours = await readRows(store, snapshot);
  // Assess
  expect(viaDuck).toStrictEqual(ours.sort((a, b) => (a.ind as number) - (b.ind as number)).map(asDuckJson));
});

test('DuckDB reads our checkpoint: one row per action with adds, txns and the metaData', async () => {
  // Prepare
  const checkpoint = join(temp.path, 'geo/_delta_log/00000000000000000010.checkpoint.parquet');
  // Act
  const counts = await duckRows(
    `select count(add) as adds, count(remove) as removes, count(metaData) as metas, count(protocol) as protocols,
            max(protocol.minWriterVersion) as writer, max(metaData.schemaString) as schema
     from read_parquet('${checkpoint}')`,
  );
  // Assess
  const snapshot = await loadSnapshot(store, 'geo', { version: 10 });
  expect(counts).toStrictEqual([
    {
      adds: '10',
      removes: '0',
      metas: '1',
      protocols: '1',
      writer: 2,
      schema: snapshot.metadata.schemaString,
    },
  ]);
});

test('DuckDB reads the compacted file with every row', async () => {
  // Act
  const result = await optimize(store, 'geo', { targetSize: 1024 * 1024 });
  const snapshot = await loadSnapshot(store, 'geo');
  const viaDuck = await duckRows(
    `select count(*) as n, sum(ind) as total from read_parquet('${join(temp.path, 'geo', snapshot.files[0]!.path)}')`,
  );
  // Assess
  expect(result).toStrictEqual({ version: 13, filesRemoved: 12, filesAdded: 1, rowsRewritten: 24 });
  expect(viaDuck).toStrictEqual([{ n: '24', total: '300' }]);
});
