/**
 * The generator's own pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator) seeded through the murmur3 finaliser. Only 32-bit integer arithmetic, exact division
 * by 2^32, multiplication and `Math.sqrt` are used anywhere in the emulator, so the same seed gives
 * the same numbers on every machine and Node version (unlike `Math.random`, `Math.exp` or `Math.pow`).
 */

const TWO_TO_32 = 4294967296;
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Scrambles a 32-bit integer so that nearby inputs give unrelated outputs (murmur3 fmix32). */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seeded random stream. `next()` returns a float in [0, 1) with 32 random bits; the other
 * methods derive integers, picks and weighted picks from it.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds the stream from a seed and up to two more keys (e.g. a pool row and a purpose). */
  constructor(seed: number, key1 = 0, key2 = 0) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(Math.imul(key1 + 0x632be5ab, 0x85ebca6b) ^ this.a);
    this.c = mix32(Math.imul(key2 + 0x2545f491, 0xc2b2ae35) ^ this.b);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** The next 32 random bits as an unsigned integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.next32() / TWO_TO_32;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** `count` distinct elements of a list (all of it, shuffled, when it is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i);
      const swap = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = swap;
    }
    return copy.slice(0, n);
  }

  /** Eight lowercase hex digits. */
  hex8(): string {
    const v = this.next32();
    return (
      (HEX_BYTES[v >>> 24] as string) +
      (HEX_BYTES[(v >>> 16) & 255] as string) +
      (HEX_BYTES[(v >>> 8) & 255] as string) +
      (HEX_BYTES[v & 255] as string)
    );
  }
}

/** Cumulative weights, ready for {@link pickWeighted}. */
export interface WeightTable<T> {
  readonly values: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

/** Builds a weight table from `[value, weight]` pairs (weights need not sum to 1). */
export function weightTable<T>(pairs: readonly (readonly [T, number])[]): WeightTable<T> {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of pairs) {
    total += weight;
    cumulative.push(total);
  }
  return { values: pairs.map(([value]) => value), cumulative, total };
}

/**
 * The value whose weight band holds `u` (in [0, 1)), and where in that band `u` fell (in [0, 1)).
 * The mapping is monotone: a smaller `u` never picks a later value.
 */
export function pickWeighted<T>(table: WeightTable<T>, u: number): { value: T; within: number } {
  const target = u * table.total;
  let lo = 0;
  let hi = table.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((table.cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  const end = table.cumulative[lo] as number;
  const start = lo === 0 ? 0 : (table.cumulative[lo - 1] as number);
  return { value: table.values[lo] as T, within: Math.min((target - start) / (end - start), 1 - 2 ** -32) };
}
