import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { encodeTable, type TableColumn } from '../../../libs/parquet';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { makeTempDir } from '../../helpers/temp-dir';
import { GEO_ROWS } from './clean-rows';

describe('encodeTable footer statistics, as DuckDB reads them', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;

  beforeAll(async () => {
    dir = await makeTempDir('parquet-footer-stats');
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    duckdb = await instance.connect();
  });
  afterAll(async () => {
    duckdb.closeSync();
    instance.closeSync();
    await dir.cleanup();
  });

  async function statsOf(name: string, bytes: Uint8Array): Promise<unknown[][]> {
    const path = join(dir.path, `${name}.parquet`);
    await writeFile(path, bytes);
    const result = await duckdb.runAndReadAll(
      `SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata('${path}')`,
    );
    return result.getRowsJS();
  }

  it('gives each primitive column chunk its exact bounds and null count, lists none', async () => {
    // Act
    const stats = await statsOf('geo', encodeTable(TABLE_COLUMNS.geo, GEO_ROWS).bytes);

    // Assess
    expect(stats).toStrictEqual([
      ['ind', '2863', '7528', 0n],
      ['country', 'Albania', "Côte d'Ivoire 🇨🇮", 1n],
      ['coordinates, list, element', null, null, null],
      ['timestamp', '1960-02-29 12:00:00.999+00', '2020-08-28 03:52:47+00', 1n],
      ['source', 'kafka:pinlake.geo:0:0', 'kafka:pinlake.geo:1:0', 0n],
      ['ingested_at', '1900-01-01 00:00:00+00', '2262-04-11 23:47:16.854+00', 0n],
    ]);
  });

  it('bounds text as it is written: a lone surrogate as U+FFFD, so DuckDB finds every value', async () => {
    // Prepare: '\uD800' alone is written as U+FFFD, which sorts below U+FFFF (the surrogate would not).
    const columns: TableColumn[] = [
      { name: 'plain', type: 'string', nullable: false },
      { name: 'prefixed', type: 'string', nullable: false },
    ];
    const rows = ['\uD800', '\uFFFF', 'a\uDC00b'].map((text) => ({ plain: text, prefixed: text }));

    // Act
    const { bytes, stats } = encodeTable(columns, rows, { sharedPrefixes: { prefixed: 'k:' } });
    const footer = await statsOf('lone-surrogates', bytes);
    const path = join(dir.path, 'lone-surrogates.parquet');
    const found = await duckdb.runAndReadAll(
      `SELECT count(*) FROM '${path}' WHERE plain IN (chr(65533), chr(65535)) AND prefixed IN ('k:' || chr(65533), 'k:' || chr(65535))`,
    );

    // Assess
    expect(footer).toStrictEqual([
      ['plain', 'a\uFFFDb', '\uFFFF', 0n],
      ['prefixed', 'k:a\uFFFDb', 'k:\uFFFF', 0n],
    ]);
    expect(stats.minValues).toStrictEqual({ plain: 'a\uFFFDb', prefixed: 'k:a\uFFFDb' });
    expect(stats.maxValues).toStrictEqual({ plain: '\uFFFF', prefixed: 'k:\uFFFF' });
    expect(found.getRowsJS()).toStrictEqual([[2n]]);
  });

  it('leaves out bounds it cannot give exactly: NaN doubles and strings over 64 bytes', async () => {
    // Prepare
    const columns: TableColumn[] = [
      { name: 'ratio', type: 'double', nullable: true },
      { name: 'zero', type: 'double', nullable: true },
      { name: 'text', type: 'string', nullable: true },
    ];
    const rows = [
      { ratio: 1.5, zero: 0, text: 'x'.repeat(65) },
      { ratio: Number.NaN, zero: -0, text: 'short' },
      { ratio: null, zero: null, text: null },
    ];

    // Act
    const stats = await statsOf('edges', encodeTable(columns, rows).bytes);

    // Assess
    expect(stats).toStrictEqual([
      ['ratio', null, null, 1n],
      ['zero', '-0.0', '0.0', 1n],
      ['text', null, null, 1n],
    ]);
  });
});
