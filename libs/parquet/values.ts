/**
 * One value → its PLAIN Parquet bytes, checked against the column's type, with the column's
 * bounds kept on the way. Numbers stay numbers: a long is written from a safe integer (or a bigint)
 * without a BigInt per value, a timestamp from its Date's milliseconds.
 */
import type { ByteSink } from './byte-sink';
import type { PrimitiveType } from './schema';
import { StringBounds } from './stats';

const TWO_32 = 4_294_967_296;
const DAY_MS = 86_400_000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT_RANGES: Record<'integer' | 'short' | 'byte', readonly [number, number]> = {
  integer: [-2_147_483_648, 2_147_483_647],
  short: [-32_768, 32_767],
  byte: [-128, 127],
};

/** Parquet physical type codes. */
const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6 } as const;

/** The physical type each Delta primitive is stored as. */
export const PHYSICAL_TYPE: Record<PrimitiveType, number> = {
  long: PhysicalType.INT64,
  integer: PhysicalType.INT32,
  short: PhysicalType.INT32,
  byte: PhysicalType.INT32,
  double: PhysicalType.DOUBLE,
  float: PhysicalType.FLOAT,
  boolean: PhysicalType.BOOLEAN,
  string: PhysicalType.BYTE_ARRAY,
  timestamp: PhysicalType.INT64,
  date: PhysicalType.INT32,
};

/**
 * The bounds and null count of a column chunk. Bounds are kept in a cheap form: longs as numbers or
 * bigints, timestamps as epoch milliseconds, dates as days, strings in code point order.
 */
export class ValueStats {
  nullCount = 0;
  /** True when a NaN was seen: Spark orders NaN above every number, so no bound is exact. */
  hasNaN = false;
  readonly strings: StringBounds | undefined;
  /**
   * The bounds of the values given as numbers, in fields that only ever hold doubles (V8 then updates
   * them in place; a field that may hold a bigint or undefined boxed every new bound, a heap number per
   * row for a rising column such as ingested_at). Nothing seen while the low bound is above the high one.
   */
  private low = Number.POSITIVE_INFINITY;
  private high = Number.NEGATIVE_INFINITY;
  /** The bounds of the values given as bigints (longs beyond 2^53), when any. */
  private bigLow: bigint | undefined;
  private bigHigh: bigint | undefined;

  /** Empty stats for a column of `type`. */
  constructor(readonly type: PrimitiveType) {
    this.strings = type === 'string' ? new StringBounds() : undefined;
  }

  /** Takes a numeric value (long, int, date days, timestamp millis, double) into the bounds. */
  number(value: number | bigint): void {
    if (typeof value === 'number') {
      if (value < this.low) this.low = value;
      if (value > this.high) this.high = value;
      return;
    }
    if (this.bigLow === undefined || value < this.bigLow) this.bigLow = value;
    if (this.bigHigh === undefined || value > this.bigHigh) this.bigHigh = value;
  }

  /** The least numeric value, undefined when none. */
  get min(): number | bigint | undefined {
    const number = this.low <= this.high ? this.low : undefined;
    if (this.bigLow === undefined) return number;
    return number !== undefined && number < this.bigLow ? number : this.bigLow;
  }

  /** The greatest numeric value, undefined when none. */
  get max(): number | bigint | undefined {
    const number = this.low <= this.high ? this.high : undefined;
    if (this.bigHigh === undefined) return number;
    return number !== undefined && number > this.bigHigh ? number : this.bigHigh;
  }

  /** The string bounds, or the numeric ones. */
  bounds(): { min: number | bigint | string | undefined; max: number | bigint | string | undefined } {
    return this.strings ? { min: this.strings.min, max: this.strings.max } : { min: this.min, max: this.max };
  }
}

/** Where a Date decoded from Parquet keeps the microseconds below its millisecond (0–999). */
const SUB_MILLI_MICROS = Symbol('pinlake.subMilliMicros');

/**
 * The instant `micros` (since the epoch) as a Date that keeps its microseconds: a JS Date holds
 * milliseconds, so the remainder rides along (non-enumerable) and the encoder writes it back, and
 * rewriting another engine's file (compaction) loses no precision.
 */
export function dateFromMicros(micros: bigint): Date {
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const date = new Date(Number(ms));
  const rest = Number(micros - ms * 1000n);
  if (rest !== 0) Object.defineProperty(date, SUB_MILLI_MICROS, { value: rest });
  return date;
}

/** The microseconds below the millisecond a Date from {@link dateFromMicros} carries, else 0. */
function subMilliMicros(date: Date): number {
  return (date as Date & { [SUB_MILLI_MICROS]?: number })[SUB_MILLI_MICROS] ?? 0;
}

/** The micros of a Date's milliseconds (plus `extra` micros, 0–999) as int64 words, exactly, without BigInt. */
export function writeMicros(out: ByteSink, ms: number, extra = 0): void {
  const high = Math.floor(ms / TWO_32);
  const lowProduct = (ms - high * TWO_32) * 1000 + extra;
  const carry = Math.floor(lowProduct / TWO_32);
  out.i64(lowProduct - carry * TWO_32, high * 1000 + carry);
}

/** A long (safe integer or int64 bigint) as int64 words. */
export function writeLong(out: ByteSink, value: number | bigint): void {
  if (typeof value === 'number') out.safeInt64(value);
  else out.i64(Number(BigInt.asUintN(32, value)), Number(BigInt.asIntN(32, value >> 32n)));
}

/**
 * Writes a non-null value as PLAIN bytes of one type (booleans excepted: see {@link writeBooleans})
 * and updates `stats`. Returns what was expected when the value does not fit the type, else undefined.
 */
export type PlainWriter = (out: ByteSink, value: unknown, stats: ValueStats) => string | undefined;

function intWriter(type: 'integer' | 'short' | 'byte'): PlainWriter {
  const [low, high] = INT_RANGES[type];
  return (out, value, stats) => {
    const n = typeof value === 'bigint' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < low || n > high) {
      return `an ${type} in [${low}, ${high}]`;
    }
    out.i32(n);
    stats.number(n);
    return undefined;
  };
}

/** Takes a double or float into the bounds: a NaN leaves them inexact (Spark orders NaN above all). */
function floatStats(stats: ValueStats, n: number): void {
  if (Number.isNaN(n)) stats.hasNaN = true;
  else stats.number(n);
}

/**
 * The PLAIN writer of each type: a column takes its own once, so a value costs one call of a small
 * function instead of a switch over the type's name.
 */
export const PLAIN_WRITERS: { readonly [T in PrimitiveType]: PlainWriter } = {
  string: (out, value, stats) => {
    if (typeof value !== 'string') return 'a string';
    stats.strings!.add(value, out.lengthPrefixedUtf8(value) === value.length);
    return undefined;
  },
  long: (out, value, stats) => {
    if (typeof value === 'number' ? !Number.isSafeInteger(value) : !isInt64(value)) {
      return 'a long (a safe integer or an int64 bigint)';
    }
    writeLong(out, value as number | bigint);
    stats.number(value as number | bigint);
    return undefined;
  },
  timestamp: (out, value, stats) => {
    const ms = value instanceof Date ? value.getTime() : Number.NaN;
    if (Number.isNaN(ms)) return 'a valid Date';
    const extra = subMilliMicros(value as Date);
    writeMicros(out, ms, extra);
    stats.number(ms);
    // Bounds are kept in milliseconds: a sub-millisecond value widens the max to the next one.
    if (extra !== 0) stats.number(ms + 1);
    return undefined;
  },
  date: (out, value, stats) => {
    const ms = value instanceof Date ? value.getTime() : Number.NaN;
    if (Number.isNaN(ms)) return 'a valid Date';
    const days = Math.floor(ms / DAY_MS);
    out.i32(days);
    stats.number(days);
    return undefined;
  },
  integer: intWriter('integer'),
  short: intWriter('short'),
  byte: intWriter('byte'),
  double: (out, value, stats) => {
    if (typeof value !== 'number') return 'a number';
    out.f64(value);
    floatStats(stats, value);
    return undefined;
  },
  float: (out, value, stats) => {
    if (typeof value !== 'number') return 'a number';
    const n = Math.fround(value);
    out.f32(n);
    floatStats(stats, n);
    return undefined;
  },
  boolean: (_out, value) => (typeof value === 'boolean' ? undefined : 'a boolean'),
};

function isInt64(value: unknown): boolean {
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
}

/** Packs booleans LSB first, as PLAIN BOOLEAN is written. */
export function writeBooleans(out: ByteSink, values: readonly boolean[]): void {
  const size = Math.ceil(values.length / 8);
  out.ensure(size);
  out.bytes.fill(0, out.length, out.length + size);
  for (let i = 0; i < values.length; i++) {
    if (values[i]) out.bytes[out.length + (i >> 3)]! |= 1 << (i & 7);
  }
  out.length += size;
}
