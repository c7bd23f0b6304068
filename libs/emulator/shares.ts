import { weightTable } from './random';

/**
 * The shares of the real seed data (counted over 2,019 distinct rows the seed's emulator sent; the
 * fields and messy values are in docs/design.md §1.1 and docs/emulator.md), which the generator
 * reproduces. Counts are used as weights as they were observed.
 */

/** Pool rows: the seed's emulator reads `LIMIT N, 1` with N = randint(0, 11000). */
export const POOL_SIZE = 11001;

/** Categories with their real counts. */
export const CATEGORY_WEIGHTS = weightTable([
  ['christmas', 201],
  ['art', 175],
  ['quotes', 168],
  ['finance', 160],
  ['education', 157],
  ['mens-fashion', 156],
  ['travel', 155],
  ['diy-and-crafts', 153],
  ['tattoos', 148],
  ['event-planning', 146],
  ['beauty', 136],
  ['vehicles', 133],
  ['home-decor', 131],
] as const);

/** Story pins, "multi-video(story page format)": 140 of 2019 (the rest: 1819 image, 60 video). */
export const STORY_SHARE = 140 / 2019;
/** Video pins: 60 of 2019. */
export const VIDEO_SHARE = 60 / 2019;

/** Story rows that carry every placeholder at once (the seed's "error" pins; ≈1% of all rows). */
export const FULL_ERROR_SHARE_OF_STORIES = 0.14;
/** Story rows whose image_src is "Image src error." (49 of 140, downloaded 0), full errors included. */
export const IMAGE_ERROR_SHARE_OF_STORIES = 49 / 140;
/** Other rows with the no-tags placeholder. */
export const NO_TAGS_SHARE = 0.02;
/** Other rows with the no-title placeholder. */
export const NO_TITLE_SHARE = 0.005;
/** Rows with the title "Untitled", "Untitled: Photo" or "" (seen, rare). */
export const ODD_TITLE_SHARE = 0.006;
/** Non-story rows with the description "No description available" (3 of 200 in the older sample). */
export const NO_DESCRIPTION_SHARE = 0.015;
/** Non-story rows with the description "Untitled". */
export const UNTITLED_DESCRIPTION_SHARE = 0.002;
/**
 * Descriptions cut at 177 characters with "…" + NBSP (739 of 2019 rows), or cut short with a bare
 * "…" (15), as shares of the ≈1,850 rows whose description is not a placeholder.
 */
export const CUT_DESCRIPTION_SHARE = 739 / 1850;
/** Descriptions cut short with a bare "…" (see {@link CUT_DESCRIPTION_SHARE}). */
export const BARE_ELLIPSIS_SHARE = 15 / 1850;

/** follower_count in millions ("2M") among rows with user info: 167 of 2242 (LOG, all lines). */
export const MILLIONS_SHARE = 167 / 2242;
/** follower_count in thousands ("26k"): 1673 of 2242; the other 402 are plain digits. */
export const THOUSANDS_SHARE = 1673 / 2242;

/** Image extensions of non-thumbnail image_src values. */
export const IMAGE_EXTENSIONS = weightTable([
  ['jpg', 1507],
  ['png', 298],
  ['webp', 11],
  ['gif', 3],
] as const);

/** Distinct geo rows per year of timestamp, 2017-10-20 to 2022-10-18. */
export const GEO_YEAR_WEIGHTS = weightTable([
  [2017, 76],
  [2018, 429],
  [2019, 371],
  [2020, 407],
  [2021, 392],
  [2022, 344],
] as const);
/** The first geo timestamp, in epoch seconds (2017-10-20 00:00:00). */
export const GEO_FIRST = Date.UTC(2017, 9, 20) / 1000;
/** The last geo timestamp, in epoch seconds (2022-10-18 23:59:59). */
export const GEO_LAST = Date.UTC(2022, 9, 18, 23, 59, 59) / 1000;

/** Distinct users per year of date_joined, 2015-10-21 to 2017-10-18. */
export const JOIN_YEAR_WEIGHTS = weightTable([
  [2015, 798],
  [2016, 901],
  [2017, 320],
] as const);
/** The first date_joined, in epoch seconds (2015-10-21 00:00:00). */
export const JOIN_FIRST = Date.UTC(2015, 9, 21) / 1000;
/** The last date_joined, in epoch seconds (2017-10-18 23:59:59). */
export const JOIN_LAST = Date.UTC(2017, 9, 18, 23, 59, 59) / 1000;

/** Ages 20–60, 20 the most common (385 of 2019), most users under 25. Weights per mille. */
export const AGE_WEIGHTS = weightTable(
  [
    190, 80, 75, 68, 62, 40, 36, 33, 30, 28, 26, 24, 22, 20, 18, 17, 13, 13, 12, 12, 12, 11, 11, 11, 10, 10,
    10, 10, 10, 9, 9, 8, 8, 8, 7, 7, 7, 6, 6, 6, 5,
  ].map((weight, i) => [20 + i, weight] as const),
);

/**
 * How strongly a user's age, joining date and follower count follow one hidden "early adopter"
 * value: the real data has younger, earlier users with more followers (median 108k at 18–24 and
 * 3k over 50; 92k for 2015 joiners, 6k for 2017).
 */
export const ADOPTER_CORRELATION = 0.5;
