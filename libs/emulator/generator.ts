import { GeneratorError } from './errors';
import { generatePoolRow } from './pool-row';
import type { Post } from './post-types';
import { Random } from './random';
import { POOL_SIZE } from './shares';

/** What {@link generatePosts} makes. */
export interface GenerateOptions {
  /** How many posts to yield (a non-negative integer). */
  posts: number;
  /** The seed, an integer in [0, 2^32); the same seed always yields the same posts. */
  seed: number;
  /** Rows in the emulated source tables; ids run 0..poolSize-1. Defaults to the seed's 11,001. */
  poolSize?: number;
}

const DRAW_STREAM = 3;
const MAX_SEED = 2 ** 32 - 1;

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new GeneratorError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

function* draw(posts: number, seed: number, poolSize: number): Generator<number> {
  const random = new Random(seed, 0, DRAW_STREAM);
  for (let i = 0; i < posts; i++) yield random.int(poolSize);
}

/**
 * The pool-row ids the emulator picks, one per post, drawn with replacement as the seed's
 * `random.randint(0, 11000)` does, so ids repeat. Checks the options at once (throwing
 * {@link GeneratorError}), then yields lazily as it is iterated.
 */
export function drawRowIds(options: GenerateOptions): Generator<number> {
  const poolSize = options.poolSize ?? POOL_SIZE;
  checkInteger('posts', options.posts, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('seed', options.seed, 0, MAX_SEED);
  checkInteger('poolSize', poolSize, 1, MAX_SEED);
  return draw(options.posts, options.seed, poolSize);
}

/**
 * Realistic posts `{ pin, geo, user }` with the raw fields and values the seed's MySQL emulator
 * sends, drawn with replacement from a pool whose rows are derived from (seed, id) on demand:
 * memory stays flat however many posts are drawn, and a repeated id yields identical records
 * (fresh objects each time). Same options ⇒ same posts, on every machine and Node version.
 * Throws {@link GeneratorError} for a bad count, seed or pool size.
 */
export function generatePosts(options: GenerateOptions): Generator<Post> {
  const ids = drawRowIds(options);
  return (function* posts() {
    for (const id of ids) yield generatePoolRow(options.seed, id);
  })();
}
