import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PostSourceError } from './errors';
import { generatePosts } from './generator';
import { parseMysqlUrl, readMysqlPosts } from './mysql';

/**
 * A post as a source yields it: the three raw records, sent as they are. Records from the generator
 * and MySQL are the seed's raw rows; records from a file are whatever objects the file holds (the
 * pipeline, not the client, decides what is clean).
 */
export interface SourcePost {
  readonly pin: object;
  readonly geo: object;
  readonly user: object;
}

/** A line of a posts file that is not a post, with its 1-based line number. */
export interface SkippedLine {
  readonly line: number;
  readonly reason: string;
}

/** Settings of {@link openPostSource}. */
export interface PostSourceOptions {
  /** Posts to yield: required for the generator and MySQL; a file yields at most this many (all by default). */
  readonly posts?: number;
  /** Seed of the generator, or of MySQL's row offsets (default 1). */
  readonly seed?: number;
  /** Called for each malformed line of a posts file, as it is skipped. */
  readonly onSkip?: (skipped: SkippedLine) => void;
}

/** Posts from one source, iterated once. */
export interface PostSource extends AsyncIterable<SourcePost> {
  /** What is read, for summaries: `generator (seed 1)`, `file posts.ndjson`, `mysql://root@host:3306/db`. */
  readonly name: string;
  /** Malformed file lines skipped so far: their count and the first ten. */
  readonly skipped: { readonly count: number; readonly first: readonly SkippedLine[] };
}

const KEPT_SKIPS = 10;
const DEFAULT_SEED = 1;

/**
 * Opens a post source: `generator` (the deterministic generator, `posts` posts from `seed`), a
 * `mysql://user:pass@host:port/db` URL (the seed's three tables, read as its emulator did), or the
 * path of a posts NDJSON file (one `{"pin","geo","user"}` object per line, streamed). A malformed
 * file line — not JSON, or not an object whose pin, geo and user are objects — is reported through
 * `onSkip` with its line number, counted in `skipped` and passed over: the emulator is a client, so
 * it reports bad input rather than quarantining it. Blank lines are ignored. Throws
 * {@link PostSourceError} for a missing file or a missing post count; errors while reading surface
 * from the iteration (a `MysqlSourceError` for MySQL).
 */
export async function openPostSource(spec: string, options: PostSourceOptions = {}): Promise<PostSource> {
  const seed = options.seed ?? DEFAULT_SEED;
  const skipped = { count: 0, first: [] as SkippedLine[] };
  if (spec === 'generator' || spec.startsWith('mysql://')) {
    const posts = options.posts;
    if (posts === undefined) throw new PostSourceError(`the source ${spec} needs a number of posts`);
    if (spec === 'generator') {
      const generated = generatePosts({ posts, seed });
      return { name: `generator (seed ${seed})`, skipped, [Symbol.asyncIterator]: () => toAsync(generated) };
    }
    const name = parseMysqlUrl(spec).display;
    return { name, skipped, [Symbol.asyncIterator]: () => readMysqlPosts(spec, { posts, seed }) };
  }
  try {
    await access(spec);
  } catch (error) {
    throw new PostSourceError(`cannot read the posts file ${spec}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const onSkip = (line: number, reason: string) => {
    const entry = { line, reason };
    skipped.count++;
    if (skipped.first.length < KEPT_SKIPS) skipped.first.push(entry);
    options.onSkip?.(entry);
  };
  return {
    name: `file ${spec}`,
    skipped,
    [Symbol.asyncIterator]: () => readPostsFile(spec, options.posts, onSkip),
  };
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** The post on one line, or the reason it is not one. */
export function parsePostLine(text: string): SourcePost | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return 'not a post: expected an object with "pin", "geo" and "user" objects';
  const record = value as Record<string, unknown>;
  const missing = ['pin', 'geo', 'user'].filter((kind) => !isObject(record[kind]));
  if (missing.length > 0) return `not a post: "${missing.join('", "')}" missing or not an object`;
  return { pin: record.pin as object, geo: record.geo as object, user: record.user as object };
}

async function* readPostsFile(
  path: string,
  limit: number | undefined,
  onSkip: (line: number, reason: string) => void,
): AsyncGenerator<SourcePost> {
  if (limit === 0) return;
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let yielded = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      if (text.trim() === '') continue;
      const post = parsePostLine(text);
      if (typeof post === 'string') {
        onSkip(lineNumber, post);
        continue;
      }
      yield post;
      yielded++;
      if (limit !== undefined && yielded >= limit) return;
    }
  } catch (error) {
    throw new PostSourceError(`cannot read the posts file ${path} at line ${lineNumber + 1}`, {
      cause: error,
    });
  } finally {
    lines.close();
    input.destroy();
  }
}
