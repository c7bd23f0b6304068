// An independent answer key for the analytics questions (DESIGN §1.2), written straight from the
// spec over arrays of clean rows, to check the SQL against. It shares no code with libs/analytics
// except the query ids and the row types.
import type { QueryId, ResultRow } from '../../libs/analytics';
import type { GeoRow, PinRow, UserRow } from '../../libs/records/tables';

/** The clean tables as arrays of rows, duplicates included. */
export interface CleanTables {
  pin: readonly PinRow[];
  geo: readonly GeoRow[];
  user: readonly UserRow[];
}

const AGE_ORDER = ['18-24', '25-35', '36-50', '+50'];

/** Code-point (UTF-8 byte) order, which is what "binary" string order means in the spec. */
function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function firstIngested<R extends { ind: number; ingested_at: Date; source: string }>(
  rows: readonly R[],
): Map<number, R> {
  const kept = new Map<number, R>();
  for (const row of rows) {
    const held = kept.get(row.ind);
    const earlier =
      held === undefined ||
      row.ingested_at.getTime() < held.ingested_at.getTime() ||
      (row.ingested_at.getTime() === held.ingested_at.getTime() &&
        compareBinary(row.source, held.source) < 0);
    if (earlier) kept.set(row.ind, row);
  }
  return kept;
}

function ageGroupOf(age: number | null): string | null {
  if (age === null || age < 18) return null;
  if (age <= 24) return '18-24';
  if (age <= 35) return '25-35';
  if (age <= 50) return '36-50';
  return '+50';
}

const yearOf = (date: Date | null): number | null => (date === null ? null : date.getUTCFullYear());

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(middle)] as number;
  const high = sorted[Math.ceil(middle)] as number;
  return low + (high - low) * (middle - Math.floor(middle));
}

/** Appends a value to the list kept under a key. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The most frequent name in a list, ties to the binary-smallest name, with its count. */
function mostFrequent(names: readonly string[]): [string, number] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  let best: [string, number] = ['', -1];
  for (const [name, count] of counts) {
    if (count > best[1] || (count === best[1] && compareBinary(name, best[0]) < 0)) best = [name, count];
  }
  return best;
}

function sortedKeys<K extends string | number>(keys: Iterable<K>): K[] {
  return [...keys].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (AGE_ORDER.includes(String(a)) && AGE_ORDER.includes(String(b))) {
      return AGE_ORDER.indexOf(String(a)) - AGE_ORDER.indexOf(String(b));
    }
    return compareBinary(String(a), String(b));
  });
}

/** Every query's expected rows, computed the slow, obvious way. */
export function answerAll(tables: CleanTables): Record<QueryId, ResultRow[]> {
  const pins = firstIngested(tables.pin);
  const geos = firstIngested(tables.geo);
  const users = firstIngested(tables.user);
  const withGeo = [...pins.values()].flatMap((p) => {
    const g = geos.get(p.ind);
    return g === undefined ? [] : [{ p, g }];
  });
  const withUser = [...pins.values()].flatMap((p) => {
    const u = users.get(p.ind);
    return u === undefined ? [] : [{ p, u, group: ageGroupOf(u.age), joined: yearOf(u.date_joined) }];
  });
  const inJoinYears = (year: number | null): year is number => year !== null && year >= 2015 && year <= 2020;

  const categoriesByCountry = new Map<string, string[]>();
  const categoriesByYear = new Map<number, string[]>();
  const postersByCountry = new Map<string, { name: string; followers: number }[]>();
  for (const { p, g } of withGeo) {
    const year = yearOf(g.timestamp);
    if (g.country !== null && p.category !== null) push(categoriesByCountry, g.country, p.category);
    if (year !== null && year >= 2018 && year <= 2022 && p.category !== null) {
      push(categoriesByYear, year, p.category);
    }
    if (g.country !== null && p.poster_name !== null && p.follower_count !== null) {
      push(postersByCountry, g.country, { name: p.poster_name, followers: p.follower_count });
    }
  }
  const categoriesByAge = new Map<string, string[]>();
  const followersByAge = new Map<string, number[]>();
  const followersByJoin = new Map<number, number[]>();
  const followersByAgeAndJoin = new Map<string, number[]>();
  for (const { p, group, joined } of withUser) {
    if (group !== null && p.category !== null) push(categoriesByAge, group, p.category);
    if (p.follower_count === null) continue;
    if (group !== null) push(followersByAge, group, p.follower_count);
    if (inJoinYears(joined)) push(followersByJoin, joined, p.follower_count);
    if (group !== null && inJoinYears(joined))
      push(followersByAgeAndJoin, `${group}|${joined}`, p.follower_count);
  }
  const joinedByYear = new Map<number, number>();
  for (const u of users.values()) {
    const year = yearOf(u.date_joined);
    if (inJoinYears(year)) joinedByYear.set(year, (joinedByYear.get(year) ?? 0) + 1);
  }

  const topUsers = sortedKeys(postersByCountry.keys()).map((country) => {
    const posters = postersByCountry.get(country) ?? [];
    const best = posters.reduce((a, b) =>
      b.followers > a.followers || (b.followers === a.followers && compareBinary(b.name, a.name) < 0) ? b : a,
    );
    return { country, poster_name: best.name, follower_count: best.followers };
  });
  const topCountry = topUsers.reduce<{ country: string; follower_count: number } | undefined>((a, b) => {
    if (a === undefined) return { country: b.country, follower_count: b.follower_count };
    const better =
      b.follower_count > a.follower_count ||
      (b.follower_count === a.follower_count && compareBinary(b.country, a.country) < 0);
    return better ? { country: b.country, follower_count: b.follower_count } : a;
  }, undefined);
  const ageJoinKeys = [...followersByAgeAndJoin.keys()].map((key) => key.split('|') as [string, string]);
  ageJoinKeys.sort(
    ([ga, ya], [gb, yb]) => AGE_ORDER.indexOf(ga) - AGE_ORDER.indexOf(gb) || Number(ya) - Number(yb),
  );

  return {
    top_category_by_country: sortedKeys(categoriesByCountry.keys()).map((country) => {
      const [category, category_count] = mostFrequent(categoriesByCountry.get(country) ?? []);
      return { country, category, category_count };
    }),
    top_category_by_year: sortedKeys(categoriesByYear.keys()).map((post_year) => {
      const [category, category_count] = mostFrequent(categoriesByYear.get(post_year) ?? []);
      return { post_year, category, category_count };
    }),
    top_user_by_country: topUsers,
    top_country_by_followers: topCountry === undefined ? [] : [topCountry],
    top_category_by_age_group: sortedKeys(categoriesByAge.keys()).map((age_group) => {
      const [category, category_count] = mostFrequent(categoriesByAge.get(age_group) ?? []);
      return { age_group, category, category_count };
    }),
    median_followers_by_age_group: sortedKeys(followersByAge.keys()).map((age_group) => ({
      age_group,
      median_follower_count: median(followersByAge.get(age_group) ?? []),
    })),
    users_joined_by_year: sortedKeys(joinedByYear.keys()).map((post_year) => ({
      post_year,
      number_users_joined: joinedByYear.get(post_year) ?? 0,
    })),
    median_followers_by_join_year: sortedKeys(followersByJoin.keys()).map((post_year) => ({
      post_year,
      median_follower_count: median(followersByJoin.get(post_year) ?? []),
    })),
    median_followers_by_age_group_and_join_year: ageJoinKeys.map(([age_group, year]) => ({
      age_group,
      post_year: Number(year),
      median_follower_count: median(followersByAgeAndJoin.get(`${age_group}|${year}`) ?? []),
    })),
  };
}
