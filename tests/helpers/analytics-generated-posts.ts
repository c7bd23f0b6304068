// Seeded random clean rows for checking the SQL against the independent answer key: thousands of
// posts with missing links, nulls, ties, re-sent copies that differ from the first, and names whose
// binary (code-point) order differs from JavaScript's UTF-16 order.
import type { GeoRow, PinRow, UserRow } from '../../libs/records/tables';
import type { CleanTables } from './analytics-reference';
import { seededRandom } from './random';

// Real names from the seed data, skewed toward A as there, plus names whose binary order differs
// from JavaScript's UTF-16 order (a fullwidth letter sorts before a supplementary one in code points).
const COUNTRIES = [
  'Albania',
  'Afghanistan',
  'Algeria',
  'American Samoa',
  'Andorra',
  'Angola',
  'Anguilla',
  'Antarctica (the territory South of 60 deg S)',
  'Antigua and Barbuda',
  'Argentina',
  'Armenia',
  'Aruba',
  'Australia',
  'Austria',
  'Azerbaijan',
  'Bahamas',
  'Bangladesh',
  'Belgium',
  'Cocos (Keeling) Islands',
  'Colombia',
  "Côte d'Ivoire",
  'Holy See (Vatican City State)',
  'albania',
  'Åland Islands',
  'Ｚeta',
  '𝔘topia',
  'Zimbabwe',
];
const CATEGORIES = [
  'christmas',
  'art',
  'quotes',
  'finance',
  'education',
  'mens-fashion',
  'travel',
  'diy-and-crafts',
  'tattoos',
  'event-planning',
  'beauty',
  'vehicles',
  'home-decor',
];
const POSTERS = [
  '9GAG',
  'Bored Panda',
  'bored panda',
  'The Minds Journal',
  'Mamas Uncut',
  'Walmart',
  'YourTango',
  'Of Life & Lisa | Lifestyle Blog',
  'Ray Uyemura',
  'T I F F A N Y',
  'Ｚine',
  '𝔘ser',
];
const ROUND_FOLLOWERS = [0, 1, 437, 1000, 26_000, 124_000, 1_000_000];

/** Generates `posts` posts (plus re-sent copies) from `seed`; the same seed gives the same rows. */
export function generateCleanTables(posts: number, seed: number): CleanTables {
  const random = seededRandom(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Skewed toward the first items, so some groups are small and ties at the top happen.
  const pickSkewed = <T>(items: readonly T[]): T => items[Math.floor(random() ** 2 * items.length)] as T;
  const followers = () => (chance(0.6) ? pick(ROUND_FOLLOWERS) : Math.floor(random() ** 4 * 20_000_000));
  const orNull = <T>(value: T, p = 0.05): T | null => (chance(p) ? null : value);
  const instant = (fromYear: number, years: number) =>
    new Date(Date.UTC(fromYear, 0, 1) + Math.floor(random() * years * 365.25 * 86_400) * 1000);
  let offset = 0;
  const stamp = (kind: string, minute: number) => ({
    source: `kafka:pinlake.${kind}:${Math.floor(random() * 3)}:${offset++}`,
    ingested_at: new Date(Date.UTC(2024, 0, 1) + minute * 60_000),
  });

  const pins: PinRow[] = [];
  const geos: GeoRow[] = [];
  const users: UserRow[] = [];
  const makePin = (ind: number, minute: number): PinRow => ({
    ind,
    unique_id: `00000000-0000-4000-8000-${String(ind).padStart(12, '0')}`,
    title: null,
    description: null,
    follower_count: orNull(followers()),
    poster_name: orNull(pick(POSTERS)),
    tag_list: null,
    is_image_or_video: 'image',
    image_src: null,
    save_location: null,
    category: orNull(pick(CATEGORIES)),
    ...stamp('pin', minute),
  });
  const makeGeo = (ind: number, minute: number): GeoRow => ({
    ind,
    country: orNull(pickSkewed(COUNTRIES)),
    coordinates: [random() * 180 - 90, random() * 360 - 180],
    timestamp: orNull(instant(2016, 9), 0.03),
    ...stamp('geo', minute),
  });
  const makeUser = (ind: number, minute: number): UserRow => ({
    ind,
    user_name: 'Abigail Ali',
    age: orNull(10 + Math.floor(random() * 61)),
    date_joined: orNull(instant(2013, 10), 0.03),
    ...stamp('user', minute),
  });

  for (let ind = 1; ind <= posts; ind++) {
    const minute = Math.floor(random() * 10_000);
    pins.push(makePin(ind, minute));
    if (!chance(0.05)) geos.push(makeGeo(ind, minute));
    if (!chance(0.05)) users.push(makeUser(ind, minute));
  }
  // Re-sent copies with other values: later, earlier (listed after the original), or at the same instant.
  const resend = <R extends { ind: number; ingested_at: Date }>(
    rows: R[],
    make: (ind: number, minute: number) => R,
  ) => {
    const originals = rows.length;
    for (let i = 0; i < originals / 10; i++) {
      const original = rows[Math.floor(random() * originals)] as R;
      const minute = (original.ingested_at.getTime() - Date.UTC(2024, 0, 1)) / 60_000 + pick([-5, 0, 0, 7]);
      rows.push(make(original.ind, minute));
    }
  };
  resend(pins, makePin);
  resend(geos, makeGeo);
  resend(users, makeUser);
  return { pin: pins, geo: geos, user: users };
}
