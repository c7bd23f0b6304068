/**
 * Delta's per-file statistics (`add.stats`, the Delta protocol's "Per-file Statistics" section), gathered while the
 * columns are built: min, max and null count per column, in the JSON shape Spark and delta-rs write.
 */
import type { PrimitiveType } from './schema';

/** A min or max value in Delta stats: numbers for numeric columns, strings for the rest. */
export type StatValue = number | string;

/** Delta's `add.stats` object for one data file (serialise it with `JSON.stringify`). */
export interface FileStats {
  numRecords: number;
  minValues: Record<string, StatValue>;
  maxValues: Record<string, StatValue>;
  nullCount: Record<string, number>;
}

/** Delta (Spark's `dataSkippingStringPrefixLength`) keeps 32 characters of a string bound. */
const STRING_PREFIX_LENGTH = 32;

/**
 * Compares strings in code point order, which is UTF-8 byte order: the order Spark, delta-rs and
 * Parquet use. JavaScript's `<` compares UTF-16 units, which puts U+10000 and above before U+E000.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate === ySurrogate) return x - y;
    return xSurrogate ? 1 : -1;
  }
  return a.length - b.length;
}

/**
 * The text as its UTF-8 bytes hold it: a lone surrogate is written as U+FFFD, so bounds are kept on
 * that text (with the lone surrogate, a min could sort above a max the file holds).
 */
export function asWritten(value: string): string {
  return value.isWellFormed() ? value : value.toWellFormed();
}

const SPECIAL = /[\uD800-\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const HIGH_BMP = /[\uE000-\uFFFF]/;

/**
 * The code point min and max of a string column, fast: JavaScript's native `<` decides, and the
 * exact {@link compareCodePoints} runs only when the two orders can disagree. They disagree only
 * where a surrogate (U+D800–U+DFFF) meets a character in U+E000–U+FFFF, so each bound remembers
 * whether it holds either, and a value is re-checked only against a bound that does.
 */
export class StringBounds {
  min: string | undefined;
  max: string | undefined;
  private minHasSurrogate = false;
  private minHasHighBmp = false;
  private maxHasSurrogate = false;
  private maxHasHighBmp = false;

  /** Takes a value into the bounds; `ascii` may say the value is known to be ASCII, saving scans. */
  add(text: string, ascii = false): void {
    const value = ascii ? text : asWritten(text);
    if (this.min === undefined || this.max === undefined) {
      this.setMin(value, ascii);
      this.setMax(value, ascii);
      return;
    }
    // Natively below the min: code point order agrees unless the min holds U+E000–U+FFFF text.
    if (value < this.min) {
      if (!this.minHasHighBmp || compareCodePoints(value, this.min) < 0) this.setMin(value, ascii);
    } else if (this.minHasSurrogate && compareCodePoints(value, this.min) < 0) this.setMin(value, ascii);
    if (value > this.max) {
      if (!this.maxHasSurrogate || compareCodePoints(value, this.max) > 0) this.setMax(value, ascii);
    } else if (this.maxHasHighBmp && compareCodePoints(value, this.max) > 0) this.setMax(value, ascii);
  }

  private setMin(value: string, ascii: boolean): void {
    this.min = value;
    const special = !ascii && SPECIAL.test(value);
    this.minHasSurrogate = special && SURROGATE.test(value);
    this.minHasHighBmp = special && HIGH_BMP.test(value);
  }

  private setMax(value: string, ascii: boolean): void {
    this.max = value;
    const special = !ascii && SPECIAL.test(value);
    this.maxHasSurrogate = special && SURROGATE.test(value);
    this.maxHasHighBmp = special && HIGH_BMP.test(value);
  }
}

/** The first `STRING_PREFIX_LENGTH` code points of a string: a valid lower bound. */
function truncateMin(value: string): string {
  if (value.length <= STRING_PREFIX_LENGTH) return value;
  const points = Array.from(value);
  return points.length <= STRING_PREFIX_LENGTH ? value : points.slice(0, STRING_PREFIX_LENGTH).join('');
}

/**
 * A string of at most `STRING_PREFIX_LENGTH` code points that is ≥ `value`: the value itself when
 * short enough, else its prefix with the last incrementable code point raised by one. `undefined`
 * when no such bound exists (every code point is U+10FFFF).
 */
function truncateMax(value: string): string | undefined {
  if (value.length <= STRING_PREFIX_LENGTH) return value;
  const points = Array.from(value);
  if (points.length <= STRING_PREFIX_LENGTH) return value;
  const prefix = points.slice(0, STRING_PREFIX_LENGTH);
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix[i]!.codePointAt(0)!;
    if (code === 0x10ffff) continue;
    // Skip the surrogate block: a lone surrogate is not a character and encodes as U+FFFD.
    const next = code === 0xd7ff ? 0xe000 : code + 1;
    return prefix.slice(0, i).join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** ISO-8601 UTC text with milliseconds and `Z`, as Delta writes timestamp stats. */
function isoFromMicros(micros: bigint): string {
  // Floor to milliseconds so the bound never moves past a pre-1970 value.
  const millis = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  return new Date(Number(millis)).toISOString();
}

function isoDateFromDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Turns a column's physical min or max into its Delta stats value, or `undefined` when the bound
 * must be left out (a long JavaScript cannot carry exactly, a non-finite double, no short max).
 */
export function statValueOf(
  type: PrimitiveType,
  value: unknown,
  bound: 'min' | 'max',
): StatValue | undefined {
  switch (type) {
    case 'long': {
      const n = Number(value as bigint);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'timestamp':
      return isoFromMicros(value as bigint);
    case 'date':
      return isoDateFromDays(value as number);
    case 'string':
      return bound === 'min' ? truncateMin(value as string) : truncateMax(value as string);
    case 'double':
    case 'float':
      return Number.isFinite(value) ? (value as number) : undefined;
    case 'integer':
    case 'short':
    case 'byte':
      return value as number;
    case 'boolean':
      return undefined;
  }
}
