import { encodeTable, type TableColumn } from '../../../libs/parquet';
import { ValueStats } from '../../../libs/parquet/values';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { GEO_ROWS, PIN_ROWS, USER_ROWS } from './clean-rows';

describe('encodeTable stats', () => {
  it('gives Delta stats for a pin batch: bounds, 32-character string prefixes and null counts', () => {
    // Act
    const { stats } = encodeTable(TABLE_COLUMNS.pin, PIN_ROWS);

    // Assess
    expect(stats).toStrictEqual({
      numRecords: 3,
      minValues: {
        ind: 0,
        unique_id: 'c4bd2577-a7bb-4409-bb7a-17d5ed7e1cf1'.slice(0, 32),
        title: 'TireBuyer',
        description: 'If you love budgeting\u2026\u00a0',
        follower_count: 437,
        poster_name: 'Living Low Key | Save Money',
        tag_list: 'Lowrider,Old Vintage Cars,Antique Cars'.slice(0, 32),
        is_image_or_video: 'image',
        image_src: '',
        save_location: '/data/finance',
        category: 'finance',
        source: 'kafka:pinlake.pin:0:0',
        ingested_at: '1969-07-20T20:17:40.001Z',
      },
      maxValues: {
        ind: 9007199254740991,
        unique_id: '😀-emoji-id',
        title: 'Ünïcödé — 中文标题 🎉',
        description: 'Nissan GT-R. Sick.',
        follower_count: 1_000_000_000_000,
        poster_name: 'Ray Uyemura',
        tag_list: 'a,b',
        is_image_or_video: 'multi-video(story page format)',
        image_src: 'https://i.pinimg.com/originals/1',
        save_location: '/data/vehicles',
        category: 'vehicles',
        source: 'kinesis:streaming-pinlake-pin:si',
        ingested_at: '9999-12-31T23:59:59.999Z',
      },
      nullCount: {
        ind: 0,
        unique_id: 1,
        title: 1,
        description: 1,
        follower_count: 1,
        poster_name: 1,
        tag_list: 1,
        is_image_or_video: 1,
        image_src: 1,
        save_location: 1,
        category: 1,
        source: 0,
        ingested_at: 0,
      },
    });
  });

  it('leaves arrays out of the bounds but counts their nulls, and keeps pre-1970 timestamps exact', () => {
    // Act
    const { stats } = encodeTable(TABLE_COLUMNS.geo, GEO_ROWS);

    // Assess
    expect(stats).toStrictEqual({
      numRecords: 3,
      minValues: {
        ind: 2863,
        country: 'Albania',
        timestamp: '1960-02-29T12:00:00.999Z',
        source: 'kafka:pinlake.geo:0:0',
        ingested_at: '1900-01-01T00:00:00.000Z',
      },
      maxValues: {
        ind: 7528,
        country: "Côte d'Ivoire 🇨🇮",
        timestamp: '2020-08-28T03:52:47.000Z',
        source: 'kafka:pinlake.geo:1:0',
        ingested_at: '2262-04-11T23:47:16.854Z',
      },
      nullCount: { ind: 0, country: 1, coordinates: 1, timestamp: 1, source: 0, ingested_at: 0 },
    });
  });

  it('leaves an all-null column out of min and max but counts its nulls', () => {
    // Prepare
    const rows = USER_ROWS.map((row) => ({ ...row, age: null, date_joined: null }));

    // Act
    const { stats } = encodeTable(TABLE_COLUMNS.user, rows);

    // Assess
    expect(stats).toStrictEqual({
      numRecords: 3,
      minValues: {
        ind: 2863,
        user_name: 'Abigail Ali',
        source: 'kafka:pinlake.user:0:0',
        ingested_at: '2024-05-01T10:11:12.000Z',
      },
      maxValues: {
        ind: 7528,
        user_name: 'Zoë 山田',
        source: 'kafka:pinlake.user:0:2',
        ingested_at: '3000-01-01T00:00:00.000Z',
      },
      nullCount: { ind: 0, user_name: 1, age: 3, date_joined: 3, source: 0, ingested_at: 0 },
    });
  });

  const permutations = <T>(items: readonly T[]): T[][] =>
    items.length <= 1
      ? [[...items]]
      : items.flatMap((item, i) =>
          permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
        );

  it.each(
    permutations(['\u{1F600}', '\uFFFD', '\uE000', '\uE000x']).map((order) => [order.join(' '), order]),
  )('orders strings by code point, so a character beyond U+FFFF is above U+FFFD (input %j)', (_, order) => {
    // Prepare
    const columns: TableColumn[] = [{ name: 's', type: 'string', nullable: false }];

    // Act
    const { stats } = encodeTable(
      columns,
      (order as string[]).map((s) => ({ s })),
    );

    // Assess
    expect(stats).toStrictEqual({
      numRecords: 4,
      minValues: { s: '\uE000' },
      maxValues: { s: '\u{1F600}' },
      nullCount: { s: 0 },
    });
  });

  it('raises a truncated max past the real max, and leaves it out when no short bound exists', () => {
    // Prepare
    const columns: TableColumn[] = [
      { name: 'bumped', type: 'string', nullable: false },
      { name: 'carried', type: 'string', nullable: false },
      { name: 'unbounded', type: 'string', nullable: false },
    ];
    const top = '\u{10FFFF}'.repeat(33);
    const rows = [
      { bumped: `${'a'.repeat(31)}b-and-more`, carried: `${'x'.repeat(31)}\u{10FFFF}tail`, unbounded: top },
      { bumped: 'a', carried: 'x', unbounded: 'a' },
    ];

    // Act
    const { stats } = encodeTable(columns, rows);

    // Assess
    expect(stats).toStrictEqual({
      numRecords: 2,
      minValues: { bumped: 'a', carried: 'x', unbounded: 'a' },
      maxValues: { bumped: `${'a'.repeat(31)}c`, carried: `${'x'.repeat(30)}y` },
      nullCount: { bumped: 0, carried: 0, unbounded: 0 },
    });
  });

  it('leaves out long bounds beyond 2^53 and double bounds when a NaN or infinity is present', () => {
    // Prepare
    const columns: TableColumn[] = [
      { name: 'offset', type: 'long', nullable: false },
      { name: 'nan', type: 'double', nullable: true },
      { name: 'inf', type: 'double', nullable: true },
      { name: 'plain', type: 'double', nullable: true },
    ];
    const rows = [
      { offset: 2n ** 62n, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, plain: -0.5 },
      { offset: 7, nan: 1, inf: 1, plain: 2.25 },
    ];

    // Act
    const { stats } = encodeTable(columns, rows);

    // Assess
    expect(stats).toStrictEqual({
      numRecords: 2,
      minValues: { offset: 7, inf: 1, plain: -0.5 },
      maxValues: { plain: 2.25 },
      nullCount: { offset: 0, nan: 0, inf: 0, plain: 0 },
    });
  });

  it('gives zero records and no bounds for an empty batch', () => {
    // Act
    const { stats, bytes } = encodeTable(TABLE_COLUMNS.user, []);

    // Assess
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(stats).toStrictEqual({
      numRecords: 0,
      minValues: {},
      maxValues: {},
      nullCount: { ind: 0, user_name: 0, age: 0, date_joined: 0, source: 0, ingested_at: 0 },
    });
  });
});

describe('ValueStats numeric bounds', () => {
  it.each([
    ['none', [], undefined, undefined],
    ['numbers', [3, -2.5, 7, 0], -2.5, 7],
    ['one infinity', [Number.POSITIVE_INFINITY], Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    [
      'both infinities',
      [1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ],
    ['bigints', [2n ** 60n, -(2n ** 62n)], -(2n ** 62n), 2n ** 60n],
    ['numbers and bigints, bigints outside', [5, 2n ** 60n, -(2n ** 61n), -7], -(2n ** 61n), 2n ** 60n],
    [
      'numbers and bigints, numbers outside',
      [2n ** 55n, -(2n ** 55n), 2 ** 60, -(2 ** 60)],
      -(2 ** 60),
      2 ** 60,
    ],
  ] as const)('%s', (_name, values, min, max) => {
    // Prepare
    const stats = new ValueStats('long');

    // Act
    for (const value of values) stats.number(value);

    // Assess
    expect(stats.bounds()).toStrictEqual({ min, max });
  });

  it('keeps the first of equal zeros, as a comparison does', () => {
    // Prepare
    const stats = new ValueStats('double');

    // Act
    stats.number(-0);
    stats.number(0);

    // Assess
    expect(Object.is(stats.min, -0)).toBe(true);
    expect(Object.is(stats.max, -0)).toBe(true);
  });
});
