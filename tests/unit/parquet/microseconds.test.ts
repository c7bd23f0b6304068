import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { appendFiles, createTable, loadSnapshot, optimize } from '../../../libs/delta';
import { decodeTable, encodeTable } from '../../../libs/parquet';
import type { Column } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

// Microsecond instants a JS Date cannot hold alone: before and after 1970, and far in the future.
const INSTANTS = [
  '2020-08-28 03:52:47.123456',
  '1969-12-31 23:59:59.999999',
  '1900-01-01 00:00:00.000001',
  '9999-12-31 23:59:59.999999',
];
const COLUMNS: readonly Column[] = [
  { name: 'id', type: 'long', nullable: false },
  { name: 't', type: 'timestamp', nullable: true },
];

describe('Timestamps with microseconds', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;

  beforeAll(async () => {
    dir = await makeTempDir('parquet-micros');
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    duckdb = await instance.connect();
  });
  afterAll(async () => {
    duckdb.closeSync();
    instance.closeSync();
    await dir.cleanup();
  });

  /** Writes the instants with DuckDB (another engine), ids 0…n-1. */
  async function duckdbFile(name: string): Promise<string> {
    const path = join(dir.path, name);
    const values = INSTANTS.map((t, i) => `(${i}, TIMESTAMP '${t}')`).join(', ');
    await duckdb.run(`COPY (SELECT * FROM (VALUES ${values}) v(id, t)) TO '${path}' (FORMAT parquet)`);
    return path;
  }

  /** Each file's instants as DuckDB reads them, in epoch microseconds, by id. */
  async function micros(paths: string[]): Promise<string[]> {
    const list = paths.map((p) => `'${p}'`).join(', ');
    const reader = await duckdb.runAndReadAll(
      `SELECT epoch_us(t) AS us FROM read_parquet([${list}]) ORDER BY id`,
    );
    return reader.getRowObjects().map((row) => String(row.us));
  }

  it('survive decodeTable then encodeTable exactly', async () => {
    // Prepare
    const source = await duckdbFile('source.parquet');

    // Act
    const rows = await decodeTable(await readFile(source));
    const { bytes } = encodeTable(COLUMNS, rows);
    const rewritten = join(dir.path, 'rewritten.parquet');
    await writeFile(rewritten, bytes);

    // Assess
    expect(await micros([rewritten])).toStrictEqual(await micros([source]));
  });

  it('survive compaction of a table whose files another engine wrote', async () => {
    // Prepare: two DuckDB files added to one of our tables
    const store = new FileStore(join(dir.path, 'lake'));
    await createTable(store, 'tables/t', COLUMNS);
    const files = [await duckdbFile('a.parquet'), await duckdbFile('b.parquet')];
    const before = await micros(files);
    for (const file of files) {
      await appendFiles(store, 'tables/t', [
        { bytes: await readFile(file), stats: { numRecords: INSTANTS.length } },
      ]);
    }

    // Act
    const result = await optimize(store, 'tables/t', { targetSize: 1 << 20 });

    // Assess
    const [file] = (await loadSnapshot(store, 'tables/t')).files;
    expect(result.filesRemoved).toBe(2);
    expect(await micros([join(dir.path, 'lake', 'tables/t', file!.path)])).toStrictEqual(before);
  });
});
