import { formatFollowers, formatTimestamp } from './formats';
import { categoryText, makeDescription, makePosterName, makeTags, makeTitle, PLACEHOLDERS } from './pin-text';
import type { Post, RawGeo, RawPin, RawUser } from './post-types';
import { pickWeighted, Random, type WeightTable } from './random';
import * as shares from './shares';
import { FIRST_NAMES, LAST_NAMES } from './vocab/people';
import { COUNTRIES } from './vocab/places';

const {
  ADOPTER_CORRELATION,
  AGE_WEIGHTS,
  CATEGORY_WEIGHTS,
  FULL_ERROR_SHARE_OF_STORIES,
  GEO_FIRST,
  GEO_LAST,
  GEO_YEAR_WEIGHTS,
  IMAGE_ERROR_SHARE_OF_STORIES,
  IMAGE_EXTENSIONS,
  JOIN_FIRST,
  JOIN_LAST,
  JOIN_YEAR_WEIGHTS,
  NO_DESCRIPTION_SHARE,
  NO_TAGS_SHARE,
  NO_TITLE_SHARE,
  ODD_TITLE_SHARE,
  STORY_SHARE,
  UNTITLED_DESCRIPTION_SHARE,
  VIDEO_SHARE,
} = shares;

/** Posters per category; each has one name and one follower count wherever it appears. */
const POSTERS_PER_CATEGORY = 300;
const CATEGORIES = CATEGORY_WEIGHTS.values;
/** Keys that keep the row, poster and draw streams of one seed apart. */
const ROW_STREAM = 1;
const POSTER_STREAM = 2;

/** A second within the weighted year `u` falls in, clipped to [first, last]; monotone in `u`. */
function weightedSecond(table: WeightTable<number>, u: number, first: number, last: number): number {
  const { value: year, within } = pickWeighted(table, u);
  const start = Math.max(first, Date.UTC(year, 0, 1) / 1000);
  const end = Math.min(last, Date.UTC(year, 11, 31, 23, 59, 59) / 1000);
  return start + Math.floor(within * (end - start + 1));
}

/** A value leaning toward `lo`, as the seed's coordinates do (many latitudes near -89). */
const leaning = (u: number, lo: number, hi: number): number => lo + (hi - lo) * u * u * u;

/** A float with the 6 significant digits a MySQL FLOAT column gives back. */
const float6 = (x: number): number => Number(x.toPrecision(6));

function posterOf(seed: number, categoryIndex: number, rank: number, category: string) {
  const random = new Random(seed, categoryIndex * POSTERS_PER_CATEGORY + rank, POSTER_STREAM);
  const followerQuantile = (rank + random.next()) / POSTERS_PER_CATEGORY;
  return {
    name: makePosterName(random, category, categoryText(category)),
    followers: formatFollowers(followerQuantile),
  };
}

function hexId(random: Random): string {
  return `${random.hex8()}${random.hex8()}${random.hex8()}${random.hex8()}`;
}

function uuid4(random: Random): string {
  const h = hexId(random);
  const variant = '89ab'[random.int(4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

function imageSrc(random: Random, thumbnail: boolean): string {
  const h = hexId(random);
  const dirs = `${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4, 6)}`;
  if (thumbnail) return `https://i.pinimg.com/videos/thumbnails/originals/${dirs}/${h}.0000001.jpg`;
  const ext = pickWeighted(IMAGE_EXTENSIONS, random.next()).value;
  return `https://i.pinimg.com/originals/${dirs}/${h}.${ext}`;
}

/**
 * One hidden "early adopter" value per row ties follower count, age and joining date together:
 * each field takes it with probability ADOPTER_CORRELATION, else a fresh draw, so every field
 * keeps exactly its own shares.
 */
function adopterDraw(random: Random, latent: number): number {
  const own = random.next();
  const fresh = random.next();
  return own < ADOPTER_CORRELATION ? latent : fresh;
}

function makePin(seed: number, index: number, random: Random, latent: number): RawPin {
  const category = pickWeighted(CATEGORY_WEIGHTS, random.next()).value;
  const categoryIndex = CATEGORIES.indexOf(category);
  const text = categoryText(category);
  const kind = random.next();
  const story = kind < STORY_SHARE;
  const video = !story && kind < STORY_SHARE + VIDEO_SHARE;
  const severity = random.next();
  const fullError = story && severity < FULL_ERROR_SHARE_OF_STORIES;
  const imageError = story && severity < IMAGE_ERROR_SHARE_OF_STORIES;
  const poster = posterOf(
    seed,
    categoryIndex,
    Math.floor(adopterDraw(random, latent) * POSTERS_PER_CATEGORY),
    category,
  );
  const subject = random.pick(text.subjects);
  const oddities = random.next();

  let title = makeTitle(random, subject, poster.name);
  if (fullError || oddities < NO_TITLE_SHARE) title = PLACEHOLDERS.noTitle;
  else if (oddities < NO_TITLE_SHARE + ODD_TITLE_SHARE) {
    title = random.pick([PLACEHOLDERS.untitled, 'Untitled: Photo', '']);
  }
  let description = makeDescription(random, text, subject);
  if (story) description = PLACEHOLDERS.storyDescription;
  else if (random.chance(NO_DESCRIPTION_SHARE)) description = PLACEHOLDERS.noDescription;
  else if (random.chance(UNTITLED_DESCRIPTION_SHARE)) description = PLACEHOLDERS.untitled;
  const tags = makeTags(random, text);
  const noTags = fullError || random.chance(NO_TAGS_SHARE);
  const src = imageSrc(random, story || video);
  return {
    index,
    unique_id: uuid4(random),
    title,
    description,
    poster_name: fullError ? PLACEHOLDERS.userInfoError : poster.name,
    follower_count: fullError ? PLACEHOLDERS.userInfoError : poster.followers,
    tag_list: noTags ? PLACEHOLDERS.noTags : tags,
    is_image_or_video: story ? 'multi-video(story page format)' : video ? 'video' : 'image',
    image_src: imageError ? PLACEHOLDERS.imageError : src,
    downloaded: imageError ? 0 : 1,
    save_location: `Local save in /data/${category}`,
    category,
  };
}

function makeGeo(index: number, random: Random): RawGeo {
  const second = weightedSecond(GEO_YEAR_WEIGHTS, random.next(), GEO_FIRST, GEO_LAST);
  return {
    ind: index,
    timestamp: formatTimestamp(second),
    latitude: float6(leaning(random.next(), -90, 90)),
    longitude: float6(leaning(random.next(), -180, 180)),
    country: COUNTRIES[Math.floor(leaning(random.next(), 0, COUNTRIES.length))] as string,
  };
}

/** A name from an alphabetical list, leaning toward the start as the seed's users do. */
function nameTowardA(random: Random, names: readonly string[]): string {
  const u = random.next();
  return names[Math.floor(u * u * names.length)] as string;
}

function makeUser(index: number, random: Random, latent: number): RawUser {
  const first = nameTowardA(random, FIRST_NAMES);
  const last = nameTowardA(random, LAST_NAMES);
  const age = pickWeighted(AGE_WEIGHTS, adopterDraw(random, latent)).value;
  const joined = weightedSecond(JOIN_YEAR_WEIGHTS, adopterDraw(random, latent), JOIN_FIRST, JOIN_LAST);
  return { ind: index, first_name: first, last_name: last, age, date_joined: formatTimestamp(joined) };
}

/**
 * Pool row `index` of the emulated source tables for `seed`: a pure function of (seed, index), so
 * any row can be made on its own, in any order, and a repeated id always carries the same records.
 * Costs a few microseconds and allocates only the returned post.
 */
export function generatePoolRow(seed: number, index: number): Post {
  const random = new Random(seed, index, ROW_STREAM);
  const latent = random.next();
  const pin = makePin(seed, index, random, latent);
  const geo = makeGeo(index, random);
  const user = makeUser(index, random, latent);
  return { pin, geo, user };
}
