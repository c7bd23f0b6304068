import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import {
  decodeTable,
  encodeTable,
  ParquetEncodeError,
  type TableColumn,
  TableWriter,
} from '../../../libs/parquet';
import { seededRandom } from '../../helpers/random';
import { makeTempDir } from '../../helpers/temp-dir';

const PREFIX = 'kinesis:streaming-pinlake-geo:shardId-000000000003:';
const COLUMNS: TableColumn[] = [
  { name: 'id', type: 'long', nullable: false },
  { name: 'source', type: 'string', nullable: false },
  { name: 'note', type: 'string', nullable: true },
];
const ROWS = 45_000;
const BASE = 49656828193450211357423096251247349155938093436617760000n;

/**
 * The rest of each value after the prefix: Kinesis sequence numbers (long shared runs), a jump to a
 * shorter and a longer number, an empty rest, non-ASCII text (alone and in runs), and a rest of 70,000 characters (length
 * deltas of 17 bits either way), so DELTA_BINARY_PACKED writes small and large deltas of both signs.
 */
function restOf(i: number): string {
  if (i === 7) return '';
  if (i === 8) return '9';
  if (i === 9) return 'ünïcödé 🎉 '.repeat(3);
  if (i === 10) return 'x'.repeat(70_000);
  if (i % 1000 === 999) return `${i}`;
  // Runs of non-ASCII rests sharing their first characters, between ASCII ones (both ways of writing).
  if (i % 1000 >= 500 && i % 1000 < 503) return `ü🎉${BASE + BigInt(i)}`;
  return String(BASE + BigInt(i * 1_000_003));
}

function rows(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    rest: restOf(i),
    note: i % 5 === 0 ? null : `note ${i % 3}`,
  }));
}

const withRest = (count: number) => rows(count).map(({ id, rest, note }) => ({ id, source: rest, note }));
const whole = (count: number) =>
  rows(count).map(({ id, rest, note }) => ({ id, source: PREFIX + rest, note }));

describe('TableWriter sharedPrefixes (DELTA_BYTE_ARRAY)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;

  beforeAll(async () => {
    dir = await makeTempDir('parquet-shared-prefix');
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    duckdb = await instance.connect();
  });
  afterAll(async () => {
    duckdb.closeSync();
    instance.closeSync();
    await dir.cleanup();
  });

  it('gives every whole value back through hyparquet, across pages and row groups', async () => {
    // Act
    const { bytes } = encodeTable(COLUMNS, withRest(ROWS), {
      rowGroupSize: 30_000,
      sharedPrefixes: { source: PREFIX },
    });

    // Assess
    expect(await decodeTable(bytes)).toStrictEqual(whole(ROWS));
    const chunk = parquetMetadata(bytes.buffer as ArrayBuffer).row_groups[0]!.columns[1]!.meta_data!;
    expect(chunk.encodings).toContain('DELTA_BYTE_ARRAY');
  });

  it('gives every whole value back through DuckDB', async () => {
    // Prepare
    const path = join(dir.path, 'prefixed.parquet');
    await writeFile(path, encodeTable(COLUMNS, withRest(ROWS), { sharedPrefixes: { source: PREFIX } }).bytes);

    // Act
    const result = await duckdb.runAndReadAll(
      `SELECT id, source, note FROM read_parquet('${path}') ORDER BY id`,
    );

    // Assess
    expect(result.getRowObjectsJS()).toStrictEqual(
      whole(ROWS).map((row) => ({ ...row, id: BigInt(row.id) })),
    );
  });

  it('keeps the stats of the whole values, as a file written with them would have', () => {
    // Act
    const prefixed = encodeTable(COLUMNS, withRest(2_000), { sharedPrefixes: { source: PREFIX } });
    const plain = encodeTable(COLUMNS, whole(2_000));

    // Assess
    expect(prefixed.stats).toStrictEqual(plain.stats);
    expect(prefixed.bytes.length).toBeLessThan(plain.bytes.length);
  });

  it.each([1, 2, 3, 4])(
    'keeps the exact bounds of random rests: rising runs, falls, repeats, surrogate pairs, lone surrogates and U+E000–U+FFFF (seed %i)',
    (seed) => {
      // Prepare: 25,000 rows, so the second page starts without a value before it to compare with.
      const random = seededRandom(seed);
      const pieces = [
        '0',
        '9',
        'a',
        'z',
        '~',
        'é',
        '\u{e000}',
        '\u{ffff}',
        '\u{10000}',
        '\u{1f389}',
        '\uD800',
        '\uDC00',
        '',
      ];
      let value = '5';
      const rests = Array.from({ length: 25_000 }, () => {
        const roll = random();
        if (roll < 0.6)
          value = `${value.slice(0, -1)}${String.fromCharCode(value.charCodeAt(value.length - 1) + 1)}`;
        else if (roll < 0.7) value = value.slice(0, Math.floor(random() * value.length));
        else if (roll < 0.95) value += pieces[Math.floor(random() * pieces.length)];
        // Short enough for Delta's 32-character bounds to hold whole values: the prefix is 2 characters.
        if (value.length > 24) value = value.slice(0, 12);
        return random() < 0.05 ? null : value;
      });
      const columns: TableColumn[] = [{ name: 'source', type: 'string', nullable: true }];

      // Act
      const prefixed = encodeTable(
        columns,
        rests.map((rest) => ({ source: rest })),
        { sharedPrefixes: { source: 'k:' } },
      );
      const plain = encodeTable(
        columns,
        rests.map((rest) => ({ source: rest === null ? null : `k:${rest}` })),
      );

      // Assess
      expect(prefixed.stats).toStrictEqual(plain.stats);
    },
  );

  it.each([1, 2, 32, 33, 128, 129, 130, 20_001])(
    'gives back %i values of a nullable column, nulls and block boundaries included, through hyparquet and DuckDB',
    async (count) => {
      // Prepare: values and nulls, so blocks of 128 deltas and miniblocks of 32 end anywhere
      const columns: TableColumn[] = [
        { name: 'id', type: 'long', nullable: false },
        { name: 'source', type: 'string', nullable: true },
      ];
      const rows = Array.from({ length: count }, (_, i) => ({ id: i, rest: i % 7 === 3 ? null : restOf(i) }));
      const path = join(dir.path, `nullable-${count}.parquet`);

      // Act
      const { bytes } = encodeTable(
        columns,
        rows.map(({ id, rest }) => ({ id, source: rest })),
        { sharedPrefixes: { source: PREFIX } },
      );
      await writeFile(path, bytes);
      const read = await duckdb.runAndReadAll(`SELECT id, source FROM read_parquet('${path}') ORDER BY id`);

      // Assess
      const expected = rows.map(({ id, rest }) => ({ id, source: rest === null ? null : PREFIX + rest }));
      expect(await decodeTable(bytes)).toStrictEqual(expected);
      expect(read.getRowObjectsJS()).toStrictEqual(expected.map((row) => ({ ...row, id: BigInt(row.id) })));
    },
  );

  it('writes length deltas wider than 24 bits (a value of 17 million characters between short ones)', async () => {
    const rests = ['1', 'x'.repeat(17_000_000), '2', ''];
    const table = new TableWriter(COLUMNS, { sharedPrefixes: { source: PREFIX } });
    for (const [id, rest] of rests.entries()) table.append({ id, source: rest, note: null });
    const read = await decodeTable(table.finish().bytes);
    expect(read.map((row) => row.source)).toEqual(rests.map((rest) => PREFIX + rest));
  });

  it('gives back a column whose values are all null', async () => {
    // Prepare
    const columns: TableColumn[] = [{ name: 'source', type: 'string', nullable: true }];
    const rows = Array.from({ length: 300 }, () => ({ source: null }));

    // Act
    const { bytes, stats } = encodeTable(columns, rows, { sharedPrefixes: { source: PREFIX } });

    // Assess
    expect(await decodeTable(bytes)).toStrictEqual(rows);
    expect(stats.nullCount).toStrictEqual({ source: 300 });
    expect(stats.minValues).toStrictEqual({});
  });

  it('writes a file with no rows that readers accept', async () => {
    // Act
    const { bytes } = new TableWriter(COLUMNS, { sharedPrefixes: { source: PREFIX } }).finish();

    // Assess
    expect(await decodeTable(bytes)).toStrictEqual([]);
  });

  it('refuses a shared prefix for a column that is not a string', () => {
    // Act
    const make = () => new TableWriter(COLUMNS, { sharedPrefixes: { id: '1' } });

    // Assess
    expect(make).toThrow(ParquetEncodeError);
    expect(make).toThrow(/id, which is not a string column/);
    expect(() => new TableWriter(COLUMNS, { sharedPrefixes: { sorce: 'x' } })).toThrow(
      /sorce, which is not a column/,
    );
  });
});
