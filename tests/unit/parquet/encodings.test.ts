import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decodeTable, encodeTable, type TableColumn, TableWriter } from '../../../libs/parquet';
import { makeTempDir } from '../../helpers/temp-dir';

const COLUMNS: TableColumn[] = [
  { name: 'id', type: 'long', nullable: false },
  { name: 'category', type: 'string', nullable: true },
  { name: 'uid', type: 'string', nullable: false },
  { name: 'drifting', type: 'string', nullable: true },
  { name: 'body', type: 'string', nullable: true },
  { name: 'point', type: 'array<double>', nullable: true },
  { name: 'at', type: 'timestamp', nullable: true },
  { name: 'flag', type: 'boolean', nullable: true },
];

const CATEGORIES = ['travel', 'diy-and-crafts', 'vehicles', 'art', 'ünïcödé 🎉'];
const ROWS = 22_000;

/**
 * Rows that take every path of the writer: a low-cardinality column with nulls (dictionary), a
 * unique one (PLAIN after the first values), one that starts repetitive and turns unique (dictionary
 * given up at the end of the chunk), long text (pages cut at 1 MiB), lists, booleans, timestamps.
 */
function makeRows() {
  return Array.from({ length: ROWS }, (_, i) => ({
    id: i,
    category: i % 7 === 3 ? null : CATEGORIES[i % CATEGORIES.length]!,
    uid: `c4bd2577-a7bb-4409-bb7a-${String(i).padStart(12, '0')}`,
    drifting: i < 2000 ? `early-${i % 3}` : `late-${i}`,
    body: i % 11 === 0 ? null : `${'Nissan GT-R. Sick. '.repeat(4)}#${i}`,
    point: i % 13 === 0 ? null : i % 17 === 0 ? [] : [i / 1000, i % 5 === 0 ? null : -i / 7],
    at: i % 9 === 0 ? null : new Date(Date.UTC(2020, 0, 1) + i * 61_001),
    flag: i % 4 === 0 ? null : i % 3 === 0,
  }));
}

describe('encodeTable encodings, pages and row groups', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;
  const rows = makeRows();

  beforeAll(async () => {
    dir = await makeTempDir('parquet-encodings');
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    duckdb = await instance.connect();
  });
  afterAll(async () => {
    duckdb.closeSync();
    instance.closeSync();
    await dir.cleanup();
  });

  it('gives every row back through hyparquet, across row groups, pages and dictionary fallbacks', async () => {
    // Act
    const { bytes } = encodeTable(COLUMNS, rows, { rowGroupSize: 9_000 });
    const decoded = await decodeTable(bytes);

    // Assess
    expect(decoded).toStrictEqual(rows);
  });

  it('gives every row back through DuckDB', async () => {
    // Prepare
    const path = join(dir.path, 'encodings.parquet');
    await writeFile(path, encodeTable(COLUMNS, rows, { rowGroupSize: 9_000 }).bytes);

    // Act
    const result = await duckdb.runAndReadAll(`SELECT * FROM read_parquet('${path}') ORDER BY id`);

    // Assess
    expect(result.getRowObjectsJS()).toStrictEqual(rows.map((row) => ({ ...row, id: BigInt(row.id) })));
  });

  it('uses a dictionary only where it pays, and cuts pages at 20,000 values or about 1 MiB', () => {
    // Prepare
    const big = rows.map((row) => ({ ...row, body: row.body === null ? null : row.body.repeat(6) }));

    // Act
    const { bytes } = encodeTable(COLUMNS, big);
    const chunks = parquetMetadata(bytes.buffer as ArrayBuffer).row_groups[0]!.columns.map((chunk) => [
      chunk.meta_data!.path_in_schema.join('.'),
      chunk.meta_data!.encodings.includes('RLE_DICTIONARY'),
      chunk.meta_data!.codec,
    ]);

    // Assess
    expect(chunks).toStrictEqual([
      ['id', false, 'SNAPPY'],
      ['category', true, 'SNAPPY'],
      ['uid', false, 'SNAPPY'],
      ['drifting', false, 'SNAPPY'],
      ['body', false, 'SNAPPY'],
      ['point.list.element', false, 'SNAPPY'],
      ['at', false, 'SNAPPY'],
      ['flag', false, 'SNAPPY'],
    ]);
    expect(pagesOf(bytes, 'category')).toStrictEqual([
      ['DICTIONARY_PAGE', 5],
      ['DATA_PAGE', 20_000],
      ['DATA_PAGE', 2_000],
    ]);
    expect(pagesOf(bytes, 'id')).toStrictEqual([
      ['DATA_PAGE', 20_000],
      ['DATA_PAGE', 2_000],
    ]);
    const bodyPages = pagesOf(bytes, 'body');
    expect(bodyPages.length).toBeGreaterThan(2);
    expect(bodyPages.reduce((sum, [, count]) => sum + count, 0)).toBe(ROWS);
  });

  it('writes the same file row by row with TableWriter as encodeTable does at once', () => {
    // Prepare
    const writer = new TableWriter(COLUMNS, { rowGroupSize: 9_000 });

    // Act
    for (const row of rows) writer.append(row);
    const streamed = writer.finish();

    // Assess
    const whole = encodeTable(COLUMNS, rows, { rowGroupSize: 9_000 });
    expect(Buffer.from(streamed.bytes).equals(Buffer.from(whole.bytes))).toBe(true);
    expect(streamed.stats).toStrictEqual(whole.stats);
    expect(writer.rowCount).toBe(ROWS);
  });
});

/** The page types and value counts of a column chunk, read with hyparquet's own header reader. */
function pagesOf(bytes: Uint8Array, column: string): [string, number][] {
  const chunk = parquetMetadata(bytes.buffer as ArrayBuffer).row_groups[0]!.columns.find(
    (c) => c.meta_data!.path_in_schema.join('.') === column,
  )!.meta_data!;
  const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
  const end = start + Number(chunk.total_compressed_size);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: start };
  const pages: [string, number][] = [];
  while (reader.offset < end) {
    const header = parquetHeader(reader);
    const count = header.data_page_header?.num_values ?? header.dictionary_page_header?.num_values ?? -1;
    pages.push([header.type, count]);
    reader.offset += header.compressed_page_size;
  }
  return pages;
}
