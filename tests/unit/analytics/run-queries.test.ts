import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  AnalyticsQueryError,
  QUERY_COLUMNS,
  QUERY_IDS,
  type QueryResult,
  runQueries,
} from '../../../libs/analytics';
import { writeCleanParquet } from '../../helpers/analytics-parquet';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';
import { FIXED_GEOS, FIXED_PINS, FIXED_USERS } from './fixed-posts';

// Worked out by hand from fixed-posts.ts; the comments give the reasoning.
const HAND_ANSWERS: QueryResult[] = [
  {
    id: 'top_category_by_country',
    columns: ['country', 'category', 'category_count'],
    // Albania: art 2 and beauty 2 tie, art wins by name; ind 2's re-sent "finance" copy is ignored.
    rows: [
      { country: 'Albania', category: 'art', category_count: 2 },
      { country: 'Armenia', category: 'travel', category_count: 2 },
      { country: 'Chad', category: 'art', category_count: 1 },
    ],
  },
  {
    id: 'top_category_by_year',
    columns: ['post_year', 'category', 'category_count'],
    // 2017 and 2023 are outside 2018–2022; ind 10 has no timestamp.
    rows: [
      { post_year: 2018, category: 'art', category_count: 2 },
      { post_year: 2019, category: 'beauty', category_count: 2 },
      { post_year: 2022, category: 'travel', category_count: 2 },
    ],
  },
  {
    id: 'top_user_by_country',
    columns: ['country', 'poster_name', 'follower_count'],
    // Bob and Cid tie at 300 in Albania; ind 8's 9001 has no poster name; Dee has no count.
    rows: [
      { country: 'Albania', poster_name: 'Bob', follower_count: 300 },
      { country: 'Armenia', poster_name: 'Fay', follower_count: 5000 },
      { country: 'Chad', poster_name: 'Hal', follower_count: 5000 },
    ],
  },
  {
    id: 'top_country_by_followers',
    columns: ['country', 'follower_count'],
    rows: [{ country: 'Armenia', follower_count: 5000 }],
  },
  {
    id: 'top_category_by_age_group',
    columns: ['age_group', 'category', 'category_count'],
    // 36-50 holds only ind 7, whose category is null; 25-35 and +50 are one-to-one ties.
    rows: [
      { age_group: '18-24', category: 'art', category_count: 2 },
      { age_group: '25-35', category: 'beauty', category_count: 1 },
      { age_group: '+50', category: 'quotes', category_count: 1 },
    ],
  },
  {
    id: 'median_followers_by_age_group',
    columns: ['age_group', 'median_follower_count'],
    // 18-24: 100, 300, 300; 25-35: 50 (ind 5 is null); 36-50: 5000; +50: 1000 and 9001.
    rows: [
      { age_group: '18-24', median_follower_count: 300 },
      { age_group: '25-35', median_follower_count: 50 },
      { age_group: '36-50', median_follower_count: 5000 },
      { age_group: '+50', median_follower_count: 5000.5 },
    ],
  },
  {
    id: 'users_joined_by_year',
    columns: ['post_year', 'number_users_joined'],
    // 2015: inds 1, 2, 9; 2016: 3, 4 and 13 (no pin); 2020: 5, 6. 2014 and 2021 are out of range.
    rows: [
      { post_year: 2015, number_users_joined: 3 },
      { post_year: 2016, number_users_joined: 3 },
      { post_year: 2020, number_users_joined: 2 },
    ],
  },
  {
    id: 'median_followers_by_join_year',
    columns: ['post_year', 'median_follower_count'],
    // 2015: 100, 300, 7000; 2016: 300, 50; 2020: 1000 (ind 5 is null).
    rows: [
      { post_year: 2015, median_follower_count: 300 },
      { post_year: 2016, median_follower_count: 175 },
      { post_year: 2020, median_follower_count: 1000 },
    ],
  },
  {
    id: 'median_followers_by_age_group_and_join_year',
    columns: ['age_group', 'post_year', 'median_follower_count'],
    rows: [
      { age_group: '18-24', post_year: 2015, median_follower_count: 200 },
      { age_group: '18-24', post_year: 2016, median_follower_count: 300 },
      { age_group: '25-35', post_year: 2016, median_follower_count: 50 },
      { age_group: '+50', post_year: 2020, median_follower_count: 1000 },
    ],
  },
];

describe('Function: runQueries()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let files: { pin: string[]; geo: string[]; user: string[] };

  beforeAll(async () => {
    dir = await makeTempDir('analytics-fixed');
    const path = (name: string) => join(dir.path, name);
    // The pins are split over two files, so the re-sent copy of ind 2 sits in another file.
    await writeCleanParquet([
      { path: path('pin-0.parquet'), kind: 'pin', rows: FIXED_PINS.slice(0, 6) },
      { path: path('pin-1.parquet'), kind: 'pin', rows: FIXED_PINS.slice(6) },
    ]);
    await writeCleanParquet([{ path: path('geo-0.parquet'), kind: 'geo', rows: FIXED_GEOS }]);
    await writeCleanParquet([{ path: path('user-0.parquet'), kind: 'user', rows: FIXED_USERS }]);
    files = {
      pin: [path('pin-0.parquet'), path('pin-1.parquet')],
      geo: [path('geo-0.parquet')],
      user: [path('user-0.parquet')],
    };
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  it('answers every question over the hand-made posts exactly as worked out by hand', async () => {
    // Act
    const results = await runQueries(files, QUERY_IDS, { threads: 1 });

    // Assess
    expect(results).toStrictEqual(HAND_ANSWERS);
  });

  it('agrees with the independent answer key, which agrees with the hand-worked answers', () => {
    // Act
    const answers = answerAll({ pin: FIXED_PINS, geo: FIXED_GEOS, user: FIXED_USERS });

    // Assess
    expect(answers).toStrictEqual(Object.fromEntries(HAND_ANSWERS.map((r) => [r.id, r.rows])));
  });

  it('runs only the queries asked for, in the order asked', async () => {
    // Act
    const results = await runQueries(files, ['users_joined_by_year', 'top_country_by_followers']);

    // Assess
    expect(results.map((r) => r.id)).toStrictEqual(['users_joined_by_year', 'top_country_by_followers']);
  });

  it('returns every query with its columns and no rows when the tables have no files', async () => {
    // Prepare
    const expected = QUERY_IDS.map((id) => ({ id, columns: [...QUERY_COLUMNS[id]], rows: [] }));

    // Act
    const results = await runQueries({ pin: [], geo: [], user: [] });

    // Assess
    expect(results).toStrictEqual(expected);
  });

  it('reads tables whose files hold no rows', async () => {
    // Prepare
    const empty = join(dir.path, 'empty-user.parquet');
    await writeCleanParquet([{ path: empty, kind: 'user', rows: [] }]);

    // Act
    const [result] = await runQueries({ ...files, user: [empty] }, ['median_followers_by_join_year']);

    // Assess
    expect(result).toStrictEqual({
      id: 'median_followers_by_join_year',
      columns: ['post_year', 'median_follower_count'],
      rows: [],
    });
  });

  it('reads files written by other tools: plain timestamps, narrower integers and missing columns', async () => {
    // Prepare
    const path = join(dir.path, 'other-user.parquet');
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES
         (1::INTEGER, 20::BIGINT, TIMESTAMP '2015-12-31 23:59:59', 'a', TIMESTAMP '2024-01-01 00:00:00'),
         (2::INTEGER, 30::BIGINT, TIMESTAMP '2016-01-01 00:00:00', 'b', TIMESTAMP '2024-01-01 00:00:00'),
         (2::INTEGER, 30::BIGINT, TIMESTAMP '2019-01-01 00:00:00', 'c', TIMESTAMP '2024-01-02 00:00:00')
       ) t(ind, age, date_joined, source, ingested_at)) TO '${path}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();

    // Act
    const [result] = await runQueries({ pin: [], geo: [], user: [path] }, ['users_joined_by_year']);

    // Assess
    expect(result).toStrictEqual({
      id: 'users_joined_by_year',
      columns: ['post_year', 'number_users_joined'],
      rows: [
        { post_year: 2015, number_users_joined: 1 },
        { post_year: 2016, number_users_joined: 1 },
      ],
    });
  });

  it('names the table and the missing file when a Parquet file does not exist', async () => {
    // Prepare
    const missing = join(dir.path, 'missing.parquet');

    // Act
    const error = await runQueries({ ...files, geo: [missing] }, ['top_category_by_country']).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(AnalyticsQueryError);
    expect((error as Error).message).toMatch(
      /^cannot read the geo table's Parquet files: .*missing\.parquet/s,
    );
    expect((error as Error).cause).toMatchObject({ message: expect.stringContaining('missing.parquet') });
  });

  it('names the query file when it cannot be read', async () => {
    // Act
    const error = await runQueries(files, ['users_joined_by_year'], { queriesDir: dir.path }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(AnalyticsQueryError);
    expect((error as Error).message).toBe(
      `cannot read the query file ${join(dir.path, 'users_joined_by_year.sql')} for users_joined_by_year`,
    );
    expect((error as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});
