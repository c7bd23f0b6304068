import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { readRows, type TableRow } from '../../../libs/delta/read';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { FileStore } from '../../../libs/storage/file-store';

const FIXTURES = join(__dirname, '../../fixtures/delta');
// Read-only: the store is only ever read from in this file.
const store = new FileStore(FIXTURES);

function sortKey(row: TableRow): string {
  return JSON.stringify(row, (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes:${[...v].join(',')}` : v,
  );
}
const sorted = (rows: TableRow[]): TableRow[] =>
  [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

async function expectedDat(name: string, version: string): Promise<TableRow[]> {
  const bytes = readFileSync(join(FIXTURES, '_dat_expected', name, version, 'table_content.parquet'));
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file, utf8: false })) as TableRow[];
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

describe('reading the DAT reference tables', () => {
  const cases: [string, string, number | undefined][] = [
    ['dat-basic-append', 'v0', 0],
    ['dat-basic-append', 'v1', 1],
    ['dat-basic-append', 'latest', undefined],
    ['dat-basic-partitioned', 'v0', 0],
    ['dat-basic-partitioned', 'v1', 1],
    ['dat-basic-partitioned', 'latest', undefined],
    ['dat-multi-partitioned', 'v0', 0],
    ['dat-multi-partitioned', 'v1', 1],
    ['dat-multi-partitioned', 'v2', 2],
    ['dat-multi-partitioned', 'latest', undefined],
  ];
  test.each(cases)('%s at %s gives exactly the rows DAT expects', async (name, label, version) => {
    // Prepare
    const expected = await expectedDat(name, label);
    // Act
    const snapshot = await loadSnapshot(store, name, { version });
    const rows = await readRows(store, snapshot);
    // Assess
    expect(sorted(rows)).toStrictEqual(sorted(expected));
  });
});

describe('reading the Spark and delta-rs reference tables', () => {
  test('delta-0.2.0 replays its checkpoint and last commit: 3 files, 4 tombstones, the streaming txn', async () => {
    // Act
    const snapshot = await loadSnapshot(store, 'deltars-delta-0.2.0');
    const rows = await readRows(store, snapshot);
    // Assess
    expect(snapshot.version).toBe(3);
    expect(snapshot.checkpointVersion).toBe(3);
    expect(snapshot.files.map((f) => f.path)).toStrictEqual([
      'part-00000-7c2deba3-1994-4fb8-bc07-d46c948aa415-c000.snappy.parquet',
      'part-00000-cb6b150b-30b8-4662-ad28-ff32ddab96d2-c000.snappy.parquet',
      'part-00001-c373a5bd-85f0-4758-815e-7eb62007a15c-c000.snappy.parquet',
    ]);
    expect(snapshot.tombstones).toHaveLength(4);
    expect(snapshot.txns).toStrictEqual({ 'e4a20b59-dd0e-4c50-b074-e8ae4786df30': 0 });
    expect(rows.map((r) => r.value).sort()).toStrictEqual([1, 1, 2, 2, 3, 3]);
  });

  test('delta-0.2.0 at version 1 (before the overwrite) has 4 files from the JSON commits alone', async () => {
    // Act
    const snapshot = await loadSnapshot(store, 'deltars-delta-0.2.0', { version: 1 });
    const rows = await readRows(store, snapshot);
    // Assess
    expect(snapshot.checkpointVersion).toBeUndefined();
    expect(snapshot.files).toHaveLength(4);
    expect(snapshot.txns).toStrictEqual({});
    expect(rows.map((r) => r.value).sort()).toStrictEqual([1, 1, 2, 2, 3, 3]);
  });

  test('the golden checkpoint table gives the 41 ids left after the deletes, with or without its checkpoint', async () => {
    // Prepare
    const ids = [
      ...[0, 10, 20, 30, 40].flatMap((s) => [s, s + 1, s + 2, s + 3, s + 4]),
      ...Array.from({ length: 16 }, (_, i) => 50 + i),
    ];
    // Act
    const viaCheckpoint = await loadSnapshot(store, 'golden-basic-with-inserts-deletes-checkpoint');
    const viaJson = await loadSnapshot(store, 'golden-basic-with-inserts-deletes-checkpoint', {
      ignoreCheckpoints: true,
    });
    const rows = await readRows(store, viaCheckpoint);
    // Assess
    expect(viaCheckpoint.checkpointVersion).toBe(10);
    expect(viaCheckpoint.version).toBe(13);
    expect(viaCheckpoint.files).toHaveLength(7);
    const fileSummary = (f: { path: string; size: number; stats: unknown }) => [f.path, f.size, f.stats];
    expect(viaCheckpoint.files.map(fileSummary)).toStrictEqual(viaJson.files.map(fileSummary));
    expect(rows.map((r) => r.id).sort((a, b) => (a as number) - (b as number))).toStrictEqual(ids);
  });

  test('array columns of every primitive type read from Spark 3-level lists', async () => {
    // Act
    const snapshot = await loadSnapshot(store, 'golden-data-reader-array-primitives');
    const rows = await readRows(store, snapshot);
    // Assess
    const expected = Array.from({ length: 10 }, (_, i) => ({
      as_array_int: [i],
      as_array_long: [i],
      as_array_byte: [i],
      as_array_short: [i],
      as_array_boolean: [i % 2 === 0],
      as_array_float: [i],
      as_array_double: [i],
      as_array_string: [String(i)],
      as_array_binary: [new Uint8Array([i, i])],
      as_array_big_decimal: [i],
    }));
    expect(sorted(rows)).toStrictEqual(sorted(expected));
  });

  test('timestamp partition values and INT64 micros timestamps read as Dates, null partition as null', async () => {
    // Act
    const snapshot = await loadSnapshot(store, 'golden-kernel-timestamp-micros');
    const rows = await readRows(store, snapshot);
    // Assess
    expect(sorted(rows)).toStrictEqual(
      sorted([
        { id: 0, part: new Date('2020-01-01T08:09:10.001Z'), time: new Date('2020-02-01T08:09:10Z') },
        { id: 1, part: new Date('2021-10-01T08:09:20Z'), time: new Date('1999-01-01T09:00:00Z') },
        { id: 2, part: new Date('2021-10-01T08:09:20Z'), time: new Date('2000-01-01T09:00:00Z') },
        { id: 3, part: new Date('1969-01-01T00:00:00Z'), time: new Date('1969-01-01T00:00:00Z') },
        { id: 4, part: null, time: null },
      ]),
    );
  });

  test('INT96 timestamps in year 9999 and the add tags of a Databricks table read exactly', async () => {
    // Act
    const snapshot = await loadSnapshot(store, 'deltars-table-with-edge-timestamps');
    const rows = await readRows(store, snapshot);
    // Assess
    expect(sorted(rows)).toStrictEqual(
      sorted([
        {
          BIG_DATE: new Date('9999-12-31T00:00:00Z'),
          NORMAL_DATE: new Date('2022-01-01T00:00:00Z'),
          SOME_VALUE: 1,
        },
        {
          BIG_DATE: new Date('9999-12-30T00:00:00Z'),
          NORMAL_DATE: new Date('2022-02-01T00:00:00Z'),
          SOME_VALUE: 2,
        },
      ]),
    );
    expect(snapshot.files.map((f) => f.tags)).toStrictEqual([
      { INSERTION_TIME: '1649083092000000', OPTIMIZE_TARGET_SIZE: '268435456' },
      { INSERTION_TIME: '1649083092000001', OPTIMIZE_TARGET_SIZE: '268435456' },
    ]);
  });
});
