import type { GeoRow, PinRow, UserRow } from '../../../libs/records/tables';

/**
 * Clean rows that exercise every corner the Parquet files must carry: nulls in every nullable
 * column, unicode beyond the BMP, empty vs null arrays, longs beyond 2^53 are kept for their own
 * test (rows here are typed as the clean tables are: numbers), timestamps before 1970 and far ahead.
 */
export const PIN_ROWS: PinRow[] = [
  {
    ind: 10794,
    unique_id: 'c4bd2577-a7bb-4409-bb7a-17d5ed7e1cf1',
    title: 'TireBuyer',
    description: 'Nissan GT-R. Sick.',
    follower_count: 437,
    poster_name: 'Ray Uyemura',
    tag_list: 'Lowrider,Old Vintage Cars,Antique Cars',
    is_image_or_video: 'image',
    image_src: 'https://i.pinimg.com/originals/0d/29/9f/0d299f3df020395aa7ce8387f40fbeed.jpg',
    save_location: '/data/vehicles',
    category: 'vehicles',
    source:
      'kinesis:streaming-pinlake-pin:shardId-000000000000:49590338271490256608559692538361571095921575989136588898',
    ingested_at: new Date('2024-05-01T10:11:12.345Z'),
  },
  {
    ind: 0,
    unique_id: null,
    title: null,
    description: null,
    follower_count: null,
    poster_name: null,
    tag_list: null,
    is_image_or_video: null,
    image_src: null,
    save_location: null,
    category: null,
    source: 'kafka:pinlake.pin:0:0',
    ingested_at: new Date('1969-07-20T20:17:40.001Z'),
  },
  {
    ind: Number.MAX_SAFE_INTEGER,
    unique_id: '😀-emoji-id',
    title: 'Ünïcödé — 中文标题 🎉',
    description: 'If you love budgeting\u2026\u00a0',
    follower_count: 1_000_000_000_000,
    poster_name: 'Living Low Key | Save Money',
    tag_list: 'a,b',
    is_image_or_video: 'multi-video(story page format)',
    image_src: '',
    save_location: '/data/finance',
    category: 'finance',
    source: 'kafka:pinlake.pin:2:9007199254740991',
    ingested_at: new Date('9999-12-31T23:59:59.999Z'),
  },
];

export const GEO_ROWS: GeoRow[] = [
  {
    ind: 7528,
    country: 'Albania',
    coordinates: [-89.9787, -173.293],
    timestamp: new Date('2020-08-28T03:52:47.000Z'),
    source: 'kafka:pinlake.geo:0:0',
    ingested_at: new Date('2024-05-01T10:11:12.000Z'),
  },
  {
    ind: 2863,
    country: null,
    coordinates: null,
    timestamp: null,
    source: 'kafka:pinlake.geo:0:1',
    ingested_at: new Date('1900-01-01T00:00:00.000Z'),
  },
  {
    ind: 5730,
    country: "Côte d'Ivoire 🇨🇮",
    coordinates: [0, -0.5],
    timestamp: new Date('1960-02-29T12:00:00.999Z'),
    source: 'kafka:pinlake.geo:1:0',
    ingested_at: new Date('2262-04-11T23:47:16.854Z'),
  },
];

export const USER_ROWS: UserRow[] = [
  {
    ind: 7528,
    user_name: 'Abigail Ali',
    age: 20,
    date_joined: new Date('2015-10-24T11:23:51.000Z'),
    source: 'kafka:pinlake.user:0:0',
    ingested_at: new Date('2024-05-01T10:11:12.000Z'),
  },
  {
    ind: 2863,
    user_name: null,
    age: null,
    date_joined: null,
    source: 'kafka:pinlake.user:0:1',
    ingested_at: new Date('2024-05-01T10:11:12.000Z'),
  },
  {
    ind: 5730,
    user_name: 'Zoë 山田',
    age: 2_147_483_647,
    date_joined: new Date('1899-12-31T23:59:59.000Z'),
    source: 'kafka:pinlake.user:0:2',
    ingested_at: new Date('3000-01-01T00:00:00.000Z'),
  },
];
