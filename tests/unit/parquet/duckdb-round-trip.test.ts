import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { encodeTable } from '../../../libs/parquet';
import { type Column, TABLE_COLUMNS } from '../../../libs/records/tables';
import { makeTempDir } from '../../helpers/temp-dir';
import { GEO_ROWS, PIN_ROWS, USER_ROWS } from './clean-rows';

/** DuckDB gives BIGINT back as bigint; everything else in the clean tables as the row had it. */
function asDuckDbRow(columns: readonly Column[], row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, type } of columns) {
    const value = (row as Record<string, unknown>)[name];
    out[name] = type === 'long' && typeof value === 'number' ? BigInt(value) : value;
  }
  return out;
}

describe('encodeTable read back by DuckDB', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;

  beforeAll(async () => {
    dir = await makeTempDir('parquet-duckdb');
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    duckdb = await instance.connect();
  });
  afterAll(async () => {
    duckdb.closeSync();
    instance.closeSync();
    await dir.cleanup();
  });

  async function writeParquet(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(dir.path, `${name}.parquet`);
    await writeFile(path, bytes);
    return path;
  }

  it.each([
    ['pin', PIN_ROWS],
    ['geo', GEO_ROWS],
    ['user', USER_ROWS],
  ] as const)('reads every %s row exactly as written', async (kind, rows) => {
    // Prepare
    const path = await writeParquet(kind, encodeTable(TABLE_COLUMNS[kind], rows).bytes);

    // Act
    const result = await duckdb.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);

    // Assess
    expect(result.getRowObjectsJS()).toStrictEqual(rows.map((row) => asDuckDbRow(TABLE_COLUMNS[kind], row)));
  });

  it('keeps empty arrays, null arrays, null elements and longs beyond 2^53 apart', async () => {
    // Prepare
    const columns = [
      { name: 'offset', type: 'long', nullable: false },
      { name: 'values', type: 'array<double>', nullable: true },
    ] as const;
    const rows = [
      { offset: 2n ** 62n + 1n, values: [] },
      { offset: -(2n ** 63n), values: null },
      { offset: 0n, values: [null, -1.25] },
    ];
    const path = await writeParquet('arrays', encodeTable(columns, rows).bytes);

    // Act
    const result = await duckdb.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);

    // Assess
    expect(result.getRowObjectsJS()).toStrictEqual(rows);
  });

  it('sees longs as BIGINT, integers as INTEGER, timestamps as TIMESTAMP WITH TIME ZONE and coordinates as DOUBLE[]', async () => {
    // Prepare
    const geo = await writeParquet('geo-types', encodeTable(TABLE_COLUMNS.geo, GEO_ROWS).bytes);
    const user = await writeParquet('user-types', encodeTable(TABLE_COLUMNS.user, USER_ROWS).bytes);

    // Act
    const describe = async (path: string) =>
      (await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`))
        .getRowObjectsJS()
        .map((row) => [row.column_name, row.column_type]);

    // Assess
    expect(await describe(geo)).toStrictEqual([
      ['ind', 'BIGINT'],
      ['country', 'VARCHAR'],
      ['coordinates', 'DOUBLE[]'],
      ['timestamp', 'TIMESTAMP WITH TIME ZONE'],
      ['source', 'VARCHAR'],
      ['ingested_at', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    expect(await describe(user)).toStrictEqual([
      ['ind', 'BIGINT'],
      ['user_name', 'VARCHAR'],
      ['age', 'INTEGER'],
      ['date_joined', 'TIMESTAMP WITH TIME ZONE'],
      ['source', 'VARCHAR'],
      ['ingested_at', 'TIMESTAMP WITH TIME ZONE'],
    ]);
  });

  it('writes the Parquet schema Delta asks for: REQUIRED where not nullable, micros UTC, 3-level LIST', async () => {
    // Prepare
    const path = await writeParquet('geo-schema', encodeTable(TABLE_COLUMNS.geo, GEO_ROWS).bytes);

    // Act
    const result = await duckdb.runAndReadAll(
      `SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema('${path}')`,
    );

    // Assess
    const micros =
      'TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))';
    expect(result.getRowsJS()).toStrictEqual([
      ['root', null, null, null, null],
      ['ind', 'INT64', 'REQUIRED', null, null],
      ['country', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8', 'StringType()'],
      ['coordinates', null, 'OPTIONAL', 'LIST', 'ListType()'],
      ['list', null, 'REPEATED', null, null],
      ['element', 'DOUBLE', 'OPTIONAL', null, null],
      ['timestamp', 'INT64', 'OPTIONAL', 'TIMESTAMP_MICROS', micros],
      ['source', 'BYTE_ARRAY', 'REQUIRED', 'UTF8', 'StringType()'],
      ['ingested_at', 'INT64', 'REQUIRED', 'TIMESTAMP_MICROS', micros],
    ]);
  });

  it('compresses every column chunk with snappy and keeps a batch in one row group', async () => {
    // Prepare
    const rows = Array.from({ length: 5000 }, (_, i) => ({ ...PIN_ROWS[0]!, ind: i }));
    const path = await writeParquet('pin-meta', encodeTable(TABLE_COLUMNS.pin, rows).bytes);

    // Act
    const result = await duckdb.runAndReadAll(
      `SELECT DISTINCT row_group_id, row_group_num_rows, compression FROM parquet_metadata('${path}')`,
    );

    // Assess
    expect(result.getRowsJS()).toStrictEqual([[0n, 5000n, 'SNAPPY']]);
  });
});
