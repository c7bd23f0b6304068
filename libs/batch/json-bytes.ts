/**
 * JSON text given as UTF-8 bytes → its value, without first turning the bytes into one string. Raw
 * index objects are ~175 KB of numbers per 10,000 records; as one string each took a fresh
 * large-object allocation (`toString` alone cost as much as `JSON.parse`), read for every raw file.
 */

/** Digits a number may have to be read here exactly (below 2^53); longer ones go to `JSON.parse`. */
const MAX_DIGITS = 15;

/** Thrown inside the scanner for what it does not read itself; never escapes this module. */
class NotSimple extends Error {}
const NOT_SIMPLE = new NotSimple();

/**
 * The value of the JSON text in `bytes` (UTF-8), exactly as `JSON.parse` of the decoded text gives it
 * (and the same `SyntaxError` for text that is not JSON). Text made of objects, arrays, integers of at
 * most 15 digits, `true`, `false`, `null` and ASCII strings without escapes is read straight from the
 * bytes; anything else (fractions, exponents, escapes, other characters, a `__proto__` key) is
 * decoded and handed to `JSON.parse`.
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    const scanner = new Scanner(bytes);
    const value = scanner.value();
    scanner.end();
    return value;
  } catch (error) {
    if (!(error instanceof NotSimple)) throw error;
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  }
}

class Scanner {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  value(): unknown {
    const c = this.next();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.integer();
    if (c === 0x6e) return this.word('null', null);
    if (c === 0x74) return this.word('true', true);
    if (c === 0x66) return this.word('false', false);
    throw NOT_SIMPLE;
  }

  /** Only white space may follow the value. */
  end(): void {
    if (this.at < this.bytes.length && this.next() !== -1) throw NOT_SIMPLE;
  }

  // The next byte that is not JSON white space (the scanner stays on it), or -1 at the end.
  private next(): number {
    const { bytes } = this;
    while (this.at < bytes.length) {
      const c = bytes[this.at]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
      this.at++;
    }
    return -1;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    if (this.next() === 0x7d) {
      this.at++;
      return out;
    }
    for (;;) {
      if (this.next() !== 0x22) throw NOT_SIMPLE;
      const key = this.string();
      // Assigning `__proto__` would set the prototype, where JSON.parse makes an own property.
      if (key === '__proto__') throw NOT_SIMPLE;
      if (this.next() !== 0x3a) throw NOT_SIMPLE;
      this.at++;
      out[key] = this.value();
      const c = this.next();
      this.at++;
      if (c === 0x7d) return out;
      if (c !== 0x2c) throw NOT_SIMPLE;
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    if (this.next() === 0x5d) {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.isDigit() ? this.integer() : this.value());
      const c = this.next();
      this.at++;
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw NOT_SIMPLE;
    }
  }

  // Printable ASCII without escapes only; the scanner is on the opening quote.
  private string(): string {
    const { bytes } = this;
    const start = ++this.at;
    for (let at = start; at < bytes.length; at++) {
      const c = bytes[at]!;
      if (c === 0x22) {
        this.at = at + 1;
        return Buffer.from(bytes.buffer, bytes.byteOffset + start, at - start).toString('latin1');
      }
      if (c === 0x5c || c < 0x20 || c > 0x7e) throw NOT_SIMPLE;
    }
    throw NOT_SIMPLE;
  }

  // Arrays of indexes are long runs of integers: those skip the dispatch of `value`.
  private isDigit(): boolean {
    const c = this.next();
    return c >= 0x30 && c <= 0x39;
  }

  // `-`? then `0` or a digit 1–9 and more digits, and no fraction or exponent.
  private integer(): number {
    const { bytes } = this;
    const negative = bytes[this.at] === 0x2d;
    const start = negative ? this.at + 1 : this.at;
    let at = start;
    let n = 0;
    while (at < bytes.length) {
      const c = bytes[at]!;
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
      at++;
    }
    const digits = at - start;
    const c = at < bytes.length ? bytes[at]! : -1;
    if (
      digits === 0 ||
      digits > MAX_DIGITS ||
      (digits > 1 && bytes[start] === 0x30) ||
      c === 0x2e ||
      c === 0x65 ||
      c === 0x45
    ) {
      throw NOT_SIMPLE;
    }
    this.at = at;
    return negative ? -n : n;
  }

  private word<T>(word: string, value: T): T {
    const { bytes } = this;
    for (let i = 0; i < word.length; i++) {
      if (bytes[this.at + i] !== word.charCodeAt(i)) throw NOT_SIMPLE;
    }
    this.at += word.length;
    return value;
  }
}
