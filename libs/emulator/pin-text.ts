import { GeneratorError } from './errors';
import type { Random } from './random';
import { BARE_ELLIPSIS_SHARE, CUT_DESCRIPTION_SHARE } from './shares';
import { CATEGORIES_A } from './vocab/categories-a';
import { CATEGORIES_B } from './vocab/categories-b';
import type { CategoryText } from './vocab/category-text';
import { FIRST_NAMES, LAST_NAMES } from './vocab/people';
import {
  ADJECTIVES,
  BLOG_NOUNS,
  BLOG_PREFIXES,
  CATEGORY_WORDS,
  FILLER_SENTENCES,
  TAGLINES,
  TITLE_NUMBERS,
  TITLE_PATTERNS,
} from './vocab/shared-text';

/** The placeholders the seed's scraper wrote where data was missing (docs/design.md §1.1). */
export const PLACEHOLDERS = {
  noTitle: 'No Title Data Available',
  storyDescription: 'No description available Story format',
  noDescription: 'No description available',
  untitled: 'Untitled',
  userInfoError: 'User Info Error',
  noTags: 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e',
  imageError: 'Image src error.',
} as const;

const TEXT: Readonly<Record<string, CategoryText>> = { ...CATEGORIES_A, ...CATEGORIES_B };
const DESCRIPTION_CUT = 177;

/** The text tables of a category; throws for a category the vocabulary does not know. */
export function categoryText(category: string): CategoryText {
  const text = TEXT[category];
  if (!text) throw new GeneratorError(`no vocabulary for category "${category}"`);
  return text;
}

const fill = (pattern: string, values: Readonly<Record<string, string>>): string =>
  pattern.replace(/\{(\w)\}/g, (whole, key: string) => values[key] ?? whole);

/** A pin title about `subject`, sometimes all lower or upper case as people type them. */
export function makeTitle(random: Random, subject: string, poster: string): string {
  const title = fill(random.pick(TITLE_PATTERNS), {
    S: subject,
    n: String(random.pick(TITLE_NUMBERS)),
    A: random.pick(ADJECTIVES),
    P: poster,
    Y: String(2019 + random.int(4)),
  });
  const casing = random.next();
  if (casing < 0.04) return title.toLowerCase();
  if (casing < 0.07) return title.toUpperCase();
  return title;
}

/** A description: one or two sentences, or a long one cut at 177 characters with "…" + NBSP. */
export function makeDescription(random: Random, text: CategoryText, subject: string): string {
  const values = { s: subject, n: String(random.pick(TITLE_NUMBERS)) };
  const sentences = random
    .sample([...random.sample(text.sentences, 3), ...random.sample(FILLER_SENTENCES, 3)], 6)
    .map((sentence) => fill(sentence, values));
  const roll = random.next();
  if (roll < CUT_DESCRIPTION_SHARE) return cut(sentences.join(' '), DESCRIPTION_CUT, '…\u00a0');
  if (roll < CUT_DESCRIPTION_SHARE + BARE_ELLIPSIS_SHARE) {
    return cut(sentences.join(' '), 60 + random.int(100), '…');
  }
  const short = random.chance(0.5) ? `${sentences[0]}` : `${sentences[0]} ${sentences[1]}`;
  return short.length <= DESCRIPTION_CUT ? short : cut(short, DESCRIPTION_CUT, '…\u00a0');
}

/** The first `length` characters, without trailing spaces, then `mark`, as the scraper cut them. */
function cut(text: string, length: number, mark: string): string {
  return `${text.slice(0, length).trimEnd()}${mark}`;
}

/** Nine distinct tags of the category, comma-joined without spaces as the scraper stored them. */
export function makeTags(random: Random, text: CategoryText): string {
  return random.sample(text.tags, 9).join(',');
}

/** A poster (account) name: a known blog, a person, a "Name | tagline" or a made-up blog name. */
export function makePosterName(random: Random, category: string, text: CategoryText): string {
  const roll = random.next();
  if (roll < 0.15) return random.pick(text.posters);
  if (roll < 0.45) return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const word = random.pick(CATEGORY_WORDS[category] ?? ['Pin']);
  const blog = `${random.pick(BLOG_PREFIXES)} ${word} ${random.pick(BLOG_NOUNS)}`;
  if (roll < 0.65)
    return `${random.chance(0.5) ? random.pick(FIRST_NAMES) : blog} | ${random.pick(TAGLINES)}`;
  return blog;
}
