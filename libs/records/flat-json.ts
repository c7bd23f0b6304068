/**
 * A reader for the shape nearly every geo and user record has: one flat JSON object, all ASCII, whose
 * keys are the kind's own fields and whose values are strings without escapes, numbers or null. It
 * reads the values straight from the record's bytes, about twice as fast as `JSON.parse` on this shape
 * (no parser set up per call, no keys looked up in V8's string table, no object shaped key by key):
 * strings are slices of a Latin-1 text of the same bytes, which the stream and batch paths decode a
 * group of records at a time anyway.
 *
 * Anything else (escapes, other whitespace than spaces, other keys, a key twice, nesting, true or false,
 * a byte above 0x7F) is left to `JSON.parse`: the reader returns undefined. For every record it does
 * read, the object it returns holds exactly the values `JSON.parse` would (numbers rounded the same
 * way), so cleaning gives the same row (tests/unit/records/flat-json.test.ts compares the two on random
 * and mutated records).
 */
import type { RawObject } from './raw-read';
import { parseCommonTimestamp } from './timestamps';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const PLUS = 0x2b;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LETTER_N = 0x6e;
const LETTER_U = 0x75;
const LETTER_L = 0x6c;

/**
 * 1 for the bytes that end a plain string's text here: the quote, a backslash, control characters,
 * and any byte above 0x7F (the callers send only ASCII records, but the reader does not rely on it).
 */
const STRING_STOPS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOPS[c] = 1;
for (let c = 0x80; c < 0x100; c++) STRING_STOPS[c] = 1;
STRING_STOPS[QUOTE] = 1;
STRING_STOPS[BACKSLASH] = 1;

/** Powers of ten that a double holds exactly (10^22 is the last). */
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
/**
 * A number of at most this many significant digits, without an exponent and with at most 22 after the
 * point, is converted by hand: its digits as an integer are below 2^53, so exact, and one division by
 * an exact power of ten rounds correctly, as JSON.parse does. Any other number is converted by Number()
 * from its text, once its syntax is checked.
 */
const MAX_EXACT_DIGITS = 15;

/**
 * Reads one kind's flat records. `build` makes the record object from the values by key (undefined for
 * a key the record lacks); the keys are the ones it names, each with the place of its value, e.g.
 * `(v) => ({ ind: v[0], age: v[1] })`.
 */
export class FlatRecordReader {
  private readonly keys: Uint8Array[] = [];
  /** The values of the record being read, by key (undefined: the key is absent). */
  private readonly values: unknown[];
  /** The key most recently found at each place of a record, tried first at that place. */
  private readonly order: Int32Array;
  /** Where the last number read ended. */
  private numberEnd = 0;
  /** The place of the value read as a timestamp too (see {@link FlatRecordReader.timestampMs}), -1 for none. */
  private readonly timestampPlace: number = -1;
  private lastTimestampMs = Number.NaN;

  /** `timestampKey`, when given, names the key whose string value is also read as a timestamp. */
  constructor(
    private readonly build: (values: readonly unknown[]) => RawObject,
    timestampKey?: string,
  ) {
    // The keys and their places, read from what `build` makes of the places themselves.
    const places = build(Array.from({ length: 256 }, (_, i) => i));
    for (const [key, place] of Object.entries(places)) {
      if (!Number.isInteger(place) || this.keys[place as number] !== undefined) {
        throw new Error(`a flat record reader's key ${key} has no place of its own`);
      }
      this.keys[place as number] = Buffer.from(key, 'latin1');
    }
    for (let k = 0; k < this.keys.length; k++) {
      if (this.keys[k] === undefined) throw new Error(`a flat record reader's values leave out place ${k}`);
    }
    if (timestampKey !== undefined) {
      const place = places[timestampKey];
      if (!Number.isInteger(place)) throw new Error(`a flat record reader has no key ${timestampKey}`);
      this.timestampPlace = place as number;
    }
    this.values = this.keys.map(() => undefined);
    this.order = new Int32Array(this.keys.length).fill(-1);
  }

  /**
   * The timestamp of the record read last (the string under `timestampKey`) in ms since the epoch, parsed
   * from its bytes when it has the common form (`parseCommonTimestamp`); NaN otherwise (no such string, or
   * another form: the text is then for parseTimestamp). Meaningful only when that
   * {@link FlatRecordReader.read} returned the record, and until the next one.
   */
  get timestampMs(): number {
    return this.lastTimestampMs;
  }

  /**
   * The record in `bytes[start, end)` (all ASCII) as the object `JSON.parse` would give, or undefined
   * when it is not of the shape this reader takes. `text` holds the same bytes as Latin-1 from byte
   * `textStart` on (its index i is byte `textStart + i`).
   */
  read(
    bytes: Uint8Array,
    start: number,
    end: number,
    text: string,
    textStart: number,
  ): RawObject | undefined {
    const { values } = this;
    this.lastTimestampMs = Number.NaN;
    if (end - start < 2 || bytes[start] !== OPEN || bytes[end - 1] !== CLOSE) return undefined;
    for (let k = 0; k < values.length; k++) values[k] = undefined;
    let i = this.skipSpaces(bytes, start + 1, end);
    if (bytes[i] === CLOSE) return i === end - 1 ? this.build(values) : undefined;
    for (let place = 0; ; place++) {
      // A key: plain ASCII, one of ours, not seen before in this record.
      if (bytes[i] !== QUOTE) return undefined;
      const k = this.keyAt(bytes, i + 1, end, place);
      if (k < 0 || values[k] !== undefined) return undefined;
      const keyEnd = i + 1 + this.keys[k]!.length;
      i = this.skipSpaces(bytes, keyEnd + 1, end);
      if (bytes[i] !== COLON) return undefined;
      i = this.skipSpaces(bytes, i + 1, end);
      // A value: a string, null or a number.
      const first = bytes[i];
      if (first === QUOTE) {
        const valueEnd = this.stringEnd(bytes, i + 1, end);
        if (valueEnd < 0) return undefined;
        values[k] = text.slice(i + 1 - textStart, valueEnd - textStart);
        if (k === this.timestampPlace) this.lastTimestampMs = parseCommonTimestamp(bytes, i + 1, valueEnd);
        i = valueEnd + 1;
      } else if (first === LETTER_N) {
        if (
          i + 4 > end ||
          bytes[i + 1] !== LETTER_U ||
          bytes[i + 2] !== LETTER_L ||
          bytes[i + 3] !== LETTER_L
        ) {
          return undefined;
        }
        values[k] = null;
        i += 4;
      } else {
        const value = this.number(bytes, i, end, text, textStart);
        if (value === undefined) return undefined;
        values[k] = value;
        i = this.numberEnd;
      }
      i = this.skipSpaces(bytes, i, end);
      const next = bytes[i];
      if (next === COMMA) i = this.skipSpaces(bytes, i + 1, end);
      else if (next === CLOSE) return i === end - 1 ? this.build(values) : undefined;
      else return undefined;
    }
  }

  private skipSpaces(bytes: Uint8Array, from: number, end: number): number {
    let i = from;
    while (i < end && bytes[i] === SPACE) i++;
    return i;
  }

  /** Where the string whose text starts at `from` closes, or -1 when it holds an escape or a control character, or does not close. */
  private stringEnd(bytes: Uint8Array, from: number, end: number): number {
    for (let i = from; i < end; i++) {
      const c = bytes[i]!;
      if (STRING_STOPS[c] !== 0) return c === QUOTE ? i : -1;
    }
    return -1;
  }

  /**
   * The index of the key whose text starts at `from` (after its opening quote), or -1 when it is none
   * of ours: the key met at this place in the last record is tried first.
   */
  private keyAt(bytes: Uint8Array, from: number, end: number, place: number): number {
    const guess = place < this.order.length ? this.order[place]! : -1;
    if (guess >= 0 && this.isKey(bytes, from, end, guess)) return guess;
    for (let k = 0; k < this.keys.length; k++) {
      if (k !== guess && this.isKey(bytes, from, end, k)) {
        if (place < this.order.length) this.order[place] = k;
        return k;
      }
    }
    return -1;
  }

  /** Whether the text from `from` is key k and its closing quote (a key's bytes are plain ASCII). */
  private isKey(bytes: Uint8Array, from: number, end: number, k: number): boolean {
    const key = this.keys[k]!;
    const length = key.length;
    if (from + length >= end || bytes[from + length] !== QUOTE) return false;
    for (let j = 0; j < length; j++) if (bytes[from + j] !== key[j]) return false;
    return true;
  }

  /**
   * The JSON number that starts at `start` (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`), its
   * end in {@link numberEnd}; undefined when no number starts there, or when digits follow a lone `0`.
   * What follows the number is the caller's to check.
   */
  private number(
    bytes: Uint8Array,
    start: number,
    end: number,
    text: string,
    textStart: number,
  ): number | undefined {
    let i = start;
    const negative = bytes[i] === MINUS;
    if (negative) i++;
    // Every digit goes into the mantissa; it is used only while exact (see MAX_EXACT_DIGITS).
    let mantissa = 0;
    let significantDigits = 0;
    let scale = 0;
    let c = bytes[i]!;
    if (c === ZERO) c = bytes[++i]!;
    else if (c > ZERO && c <= NINE) {
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        significantDigits++;
        c = bytes[++i]!;
      } while (i < end && c >= ZERO && c <= NINE);
    } else return undefined;
    if (i < end && c === DOT) {
      c = bytes[++i]!;
      if (!(i < end && c >= ZERO && c <= NINE)) return undefined;
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) significantDigits++;
        scale++;
        c = bytes[++i]!;
      } while (i < end && c >= ZERO && c <= NINE);
    }
    let exact = significantDigits <= MAX_EXACT_DIGITS && scale < EXACT_POWERS.length;
    if (i < end && (c === LOWER_E || c === UPPER_E)) {
      c = bytes[++i]!;
      if (c === PLUS || c === MINUS) c = bytes[++i]!;
      if (!(i < end && c >= ZERO && c <= NINE)) return undefined;
      do c = bytes[++i]!;
      while (i < end && c >= ZERO && c <= NINE);
      exact = false;
    }
    // Only after a lone leading zero can a digit follow here (`01`), which is not JSON.
    if (i < end && c >= ZERO && c <= NINE) return undefined;
    this.numberEnd = i;
    if (!exact) return Number(text.slice(start - textStart, i - textStart));
    const magnitude = scale === 0 ? mantissa : mantissa / EXACT_POWERS[scale]!;
    return negative ? -magnitude : magnitude;
  }
}
