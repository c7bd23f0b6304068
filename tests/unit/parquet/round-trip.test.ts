import { parquetMetadata } from 'hyparquet';
import { decodeTable, encodeTable, type TableColumn } from '../../../libs/parquet';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { GEO_ROWS, PIN_ROWS, USER_ROWS } from './clean-rows';

describe('encodeTable then decodeTable (hyparquet)', () => {
  it.each([
    ['pin', PIN_ROWS],
    ['geo', GEO_ROWS],
    ['user', USER_ROWS],
  ] as const)('gives back every %s row exactly', async (kind, rows) => {
    // Act
    const { bytes } = encodeTable(TABLE_COLUMNS[kind], rows);
    const decoded = await decodeTable(bytes);

    // Assess
    expect(decoded).toStrictEqual(rows);
  });

  it('keeps empty arrays, null arrays and null elements apart', async () => {
    // Prepare
    const columns: TableColumn[] = [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'values', type: 'array<double>', nullable: true },
    ];
    const rows = [
      { id: 1, values: [] },
      { id: 2, values: null },
      { id: 3, values: [null] },
      { id: 4, values: [1.5, null, -0.25, 1e300] },
    ];

    // Act
    const decoded = await decodeTable(encodeTable(columns, rows).bytes);

    // Assess
    expect(decoded).toStrictEqual(rows);
  });

  it('reads longs beyond 2^53 back as bigint and accepts bigint input for small ones', async () => {
    // Prepare
    const columns: TableColumn[] = [{ name: 'offset', type: 'long', nullable: false }];
    const rows = [{ offset: 9_223_372_036_854_775_807n }, { offset: -(2n ** 63n) }, { offset: 42n }];

    // Act
    const decoded = await decodeTable(encodeTable(columns, rows).bytes);

    // Assess
    expect(decoded).toStrictEqual([
      { offset: 9_223_372_036_854_775_807n },
      { offset: -9_223_372_036_854_775_808n },
      { offset: 42 },
    ]);
  });

  it('writes a generic column list with the other Delta primitive types', async () => {
    // Prepare
    const columns: TableColumn[] = [
      { name: 'median', type: 'double', nullable: true },
      { name: 'ratio', type: 'float', nullable: true },
      { name: 'flag', type: 'boolean', nullable: true },
      { name: 'day', type: 'date', nullable: true },
      { name: 'small', type: 'short', nullable: true },
      { name: 'tiny', type: 'byte', nullable: true },
      { name: 'names', type: 'array<string>', nullable: true },
    ];
    const rows = [
      {
        median: 1234.5,
        ratio: 0.5,
        flag: true,
        day: new Date('1969-12-31T00:00:00.000Z'),
        small: -32768,
        tiny: 127,
        names: ['a', 'ü'],
      },
      { median: null, ratio: null, flag: null, day: null, small: null, tiny: null, names: null },
    ];

    // Act
    const decoded = await decodeTable(encodeTable(columns, rows).bytes);

    // Assess
    expect(decoded).toStrictEqual(rows);
  });

  it('writes columns of any name, each its own value: quotes, backslashes, line breaks, code-like text', async () => {
    const names = [
      'a"b',
      'c\\d',
      'e\nf',
      '`$' + '{g}`',
      '"]); throw 1; //',
      'ü 🎉',
      ' ',
      'constructor',
      'toString',
    ];
    const columns: TableColumn[] = names.map((name) => ({ name, type: 'long', nullable: true }));
    const rows = [0, 1, 2].map((i) => Object.fromEntries(names.map((name, c) => [name, i * 10 + c])));
    const decoded = await decodeTable(encodeTable(columns, rows).bytes);
    expect(decoded).toStrictEqual(rows);
    // Names of Object.prototype's members are columns like any other, shared prefixes given or not.
    const withPrefixes = await decodeTable(encodeTable(columns, rows, { sharedPrefixes: {} }).bytes);
    expect(withPrefixes).toStrictEqual(rows);
  });

  it('reads a chosen subset of columns', async () => {
    // Act
    const { bytes } = encodeTable(TABLE_COLUMNS.user, USER_ROWS);
    const decoded = await decodeTable(bytes, { columns: ['ind', 'age'] });

    // Assess
    expect(decoded).toStrictEqual(USER_ROWS.map(({ ind, age }) => ({ ind, age })));
  });

  it('splits rows into row groups of the requested size without losing any', async () => {
    // Prepare
    const rows = Array.from({ length: 2500 }, (_, i) => ({ ...USER_ROWS[0]!, ind: i }));

    // Act
    const { bytes } = encodeTable(TABLE_COLUMNS.user, rows, { rowGroupSize: 1000 });
    const decoded = await decodeTable(bytes);

    // Assess
    expect(parquetMetadata(bytes).row_groups.map((group) => group.num_rows)).toStrictEqual([
      1000n,
      1000n,
      500n,
    ]);
    expect(decoded).toStrictEqual(rows);
  });

  it('names the file when the bytes are not Parquet', async () => {
    // Act
    const attempt = decodeTable(new TextEncoder().encode('not parquet at all'), { file: 'x/part-1.parquet' });

    // Assess
    await expect(attempt).rejects.toThrow('cannot read Parquet from x/part-1.parquet');
  });
});
