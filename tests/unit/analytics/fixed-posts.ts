// A small, hand-made set of clean rows whose answers are worked out by hand in run-queries.test.ts.
// It holds ties, nulls, ages under 18, re-sent posts (same ind) that differ from the first copy,
// years outside the ranges, an orphan pin, a user without a pin, and even and odd median counts.
import type { GeoRow, PinRow, UserRow } from '../../../libs/records/tables';

const at = (iso: string): Date => new Date(iso);
const arrival = (minute: number): Date => new Date(Date.UTC(2024, 0, 1, 0, minute));

function pin(
  ind: number,
  category: string | null,
  poster_name: string | null,
  follower_count: number | null,
  minute = ind,
): PinRow {
  return {
    ind,
    unique_id: `00000000-0000-4000-8000-${String(ind).padStart(12, '0')}`,
    title: `Post ${ind}`,
    description: null,
    follower_count,
    poster_name,
    tag_list: null,
    is_image_or_video: 'image',
    image_src: null,
    save_location: category === null ? null : `/data/${category}`,
    category,
    source: `kafka:pinlake.pin:0:${minute}`,
    ingested_at: arrival(minute),
  };
}

function geo(ind: number, country: string | null, timestamp: string | null, minute = ind): GeoRow {
  return {
    ind,
    country,
    coordinates: [ind / 10, -ind / 10],
    timestamp: timestamp === null ? null : at(timestamp),
    source: `kafka:pinlake.geo:0:${minute}`,
    ingested_at: arrival(minute),
  };
}

function user(
  ind: number,
  age: number | null,
  joined: string | null,
  source = `kafka:pinlake.user:0:${ind}`,
): UserRow {
  return {
    ind,
    user_name: `User ${ind}`,
    age,
    date_joined: joined === null ? null : at(joined),
    source,
    ingested_at: arrival(ind),
  };
}

/** The pins: ind 2 is re-sent later with other values; ind 12 has no geo or user record. */
export const FIXED_PINS: PinRow[] = [
  pin(1, 'art', 'Ann', 100),
  pin(2, 'art', 'Bob', 300),
  pin(3, 'beauty', 'Cid', 300),
  pin(4, 'beauty', 'Abe', 50),
  pin(5, 'travel', 'Dee', null),
  pin(6, 'travel', 'Eve', 1000),
  pin(7, null, 'Fay', 5000),
  pin(8, 'quotes', null, 9001),
  pin(9, 'vehicles', 'Gus', 7000),
  pin(10, 'art', 'Hal', 5000),
  pin(12, 'art', 'Ivy', 1),
  pin(2, 'finance', 'Zed', 999_999, 40),
];

/** The geo records: ind 4's copy listed first arrived last; years straddle UTC midnight. */
export const FIXED_GEOS: GeoRow[] = [
  geo(4, 'Chad', '2020-06-01T00:00:00Z', 50),
  geo(1, 'Albania', '2018-01-01T00:30:00Z'),
  geo(2, 'Albania', '2018-07-13T11:51:15Z'),
  geo(3, 'Albania', '2019-03-01T08:00:00Z'),
  geo(4, 'Albania', '2019-12-31T23:59:59Z'),
  geo(5, 'Armenia', '2022-12-31T23:59:59Z'),
  geo(6, 'Armenia', '2022-01-01T00:00:00Z'),
  geo(7, 'Armenia', '2017-12-31T23:59:59Z'),
  geo(8, 'Armenia', '2023-01-01T00:00:00Z'),
  geo(9, null, '2018-05-05T05:05:05Z'),
  geo(10, 'Chad', null),
];

/**
 * The user records: ind 6 arrives twice at the same instant, and the source `…:0:10` sorts before
 * `…:0:7` in binary order, so the 60-year-old who joined in 2020 is the one kept.
 */
export const FIXED_USERS: UserRow[] = [
  user(1, 20, '2015-10-24T11:23:51Z'),
  user(2, 24, '2015-01-01T00:00:00Z'),
  user(3, 18, '2016-02-02T00:00:00Z'),
  user(4, 25, '2016-12-31T23:59:59Z'),
  user(5, 35, '2020-05-05T00:00:00Z'),
  user(6, 36, '2019-05-05T00:00:00Z', 'kafka:pinlake.user:0:7'),
  user(6, 60, '2020-06-06T00:00:00Z', 'kafka:pinlake.user:0:10'),
  user(7, 50, '2014-12-31T23:59:59Z'),
  user(8, 51, '2021-01-01T00:00:00Z'),
  user(9, 15, '2015-03-03T00:00:00Z'),
  user(10, null, null),
  user(13, 40, '2016-07-07T00:00:00Z'),
];
