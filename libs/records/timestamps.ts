/**
 * Timestamp parsing for geo.timestamp and user.date_joined (docs/design.md §1.1).
 * Written by hand over character codes: it runs once per geo and user record on the hot path.
 */

/** Below this magnitude an epoch number is read as seconds, above it as milliseconds (year 5138). */
const EPOCH_SECONDS_LIMIT = 1e11;
/** The largest time a JavaScript Date can hold, in milliseconds either side of the epoch. */
const MAX_DATE_MS = 8.64e15;

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, by integer arithmetic over 400-year eras
 * (146,097 days each) with March-based years, so February comes last. Several times faster than
 * Date.UTC, and right for years 1-99, which Date.UTC would read as 1901-1999.
 */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The value of the two ASCII digits of `s` at `at`, or -1 when either is not a digit (also past the end
 * of the text, where charCodeAt gives NaN). Every field is read two digits at a time, years as two
 * pairs: without a loop over a field's digits the common form parses ~1.6× as fast.
 */
const twoDigits = (s: string, at: number): number => {
  const high = s.charCodeAt(at) - 48;
  const low = s.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
};

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Milliseconds since the epoch for valid UTC fields, or null when a field is out of range. */
const utcMillis = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) => {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  if (d > (DAYS_IN_MONTH[mo - 1] ?? 0) || (mo === 2 && d === 29 && !isLeapYear(y))) return null;
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
};

/**
 * Reads the optional `.fraction` and zone that follow the seconds at `at`, returning the offset
 * to subtract in minutes and the milliseconds, or null when the rest of the text is not a zone.
 */
const readFractionAndZone = (s: string, at: number): { ms: number; offsetMinutes: number } | null => {
  let i = at;
  let ms = 0;
  if (s.charCodeAt(i) === 46 /* . */ || s.charCodeAt(i) === 44 /* , */) {
    i++;
    const start = i;
    let scale = 100;
    for (; i < s.length; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    if (i === start) return null;
    ms = Math.floor(ms + 1e-9);
  }
  if (i === s.length) return { ms, offsetMinutes: 0 };
  const zone = s.charCodeAt(i);
  if ((zone === 90 /* Z */ || zone === 122) /* z */ && i + 1 === s.length) return { ms, offsetMinutes: 0 };
  if (zone !== 43 /* + */ && zone !== 45 /* - */) return null;
  const rest = s.length - i - 1;
  const hours = twoDigits(s, i + 1);
  let minutes = 0;
  if (rest === 5 && s.charCodeAt(i + 3) === 58 /* : */) minutes = twoDigits(s, i + 4);
  else if (rest === 4) minutes = twoDigits(s, i + 3);
  else if (rest !== 2) return null;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
  const offset = hours * 60 + minutes;
  return { ms, offsetMinutes: zone === 45 ? -offset : offset };
};

/**
 * `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.f][zone]`, `YYYY-MM-DDTHH:MM:SS…` and `YYYY:MM:DD HH:MM:SS`. Its
 * common form is also read from bytes by {@link parseCommonTimestamp}, which must agree with it.
 */
const parseYearFirst = (s: string): number | null => {
  const sep = s.charCodeAt(4);
  if ((sep !== 45 && sep !== 58) || s.charCodeAt(7) !== sep) return null;
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (century < 0 || yearOfCentury < 0 || mo < 0 || d < 0) return null;
  const y = century * 100 + yearOfCentury;
  if (s.length === 10) return sep === 45 ? utcMillis(y, mo, d, 0, 0, 0, 0) : null;
  const t = s.charCodeAt(10);
  if (t !== 32 && t !== 84 && t !== 116) return null; // ' ', 'T', 't'
  if (s.charCodeAt(13) !== 58) return null;
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  let at = 16;
  let sec = 0;
  if (s.charCodeAt(16) === 58) {
    sec = twoDigits(s, 17);
    at = 19;
  }
  if (h < 0 || mi < 0 || sec < 0) return null;
  if (at === s.length) return utcMillis(y, mo, d, h, mi, sec, 0); // the common form, without a tail
  const tail = readFractionAndZone(s, at);
  if (tail === null) return null;
  const local = utcMillis(y, mo, d, h, mi, sec, tail.ms);
  return local === null ? null : local - tail.offsetMinutes * 60_000;
};

/** `MM/DD/YYYY, HH:MM:SS` (Python's `%m/%d/%Y, %H:%M:%S`), read as UTC. */
const parseMonthFirst = (s: string): number | null => {
  if (s.length !== 20 || s.charCodeAt(5) !== 47 || s.charCodeAt(10) !== 44 || s.charCodeAt(11) !== 32) {
    return null;
  }
  if (s.charCodeAt(14) !== 58 || s.charCodeAt(17) !== 58) return null;
  const mo = twoDigits(s, 0);
  const d = twoDigits(s, 3);
  const century = twoDigits(s, 6);
  const yearOfCentury = twoDigits(s, 8);
  const h = twoDigits(s, 12);
  const mi = twoDigits(s, 15);
  const sec = twoDigits(s, 18);
  if (mo < 0 || d < 0 || century < 0 || yearOfCentury < 0 || h < 0 || mi < 0 || sec < 0) return null;
  return utcMillis(century * 100 + yearOfCentury, mo, d, h, mi, sec, 0);
};

/**
 * Parses a raw timestamp into a Date, or null when it cannot be read.
 *
 * Accepts `YYYY-MM-DD HH:MM:SS`, ISO 8601 (`T`, optional seconds, fractions, `Z` or `±HH:MM`,
 * `±HHMM`, `±HH`; a date alone is midnight), the seed's outliers `%m/%d/%Y, %H:%M:%S` and
 * `%Y:%m:%d %H:%M:%S`, and epoch numbers (seconds below 1e11, milliseconds above). Text without a
 * zone is UTC. Out-of-range fields (month 13, 31 April, hour 24, second 60) give null. Never throws.
 */
export const parseTimestamp = (value: unknown): Date | null => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const ms = Math.abs(value) < EPOCH_SECONDS_LIMIT ? value * 1000 : value;
    return Math.abs(ms) <= MAX_DATE_MS ? new Date(Math.floor(ms)) : null;
  }
  if (typeof value !== 'string' || value.length < 10 || value.length > 40) return null;
  const ms = value.charCodeAt(2) === 47 ? parseMonthFirst(value) : parseYearFirst(value);
  return ms === null || Math.abs(ms) > MAX_DATE_MS ? null : new Date(ms);
};

/** Two ASCII digits of `bytes` at `at` as their value, or -1 when either is not a digit: {@link twoDigits} over bytes. */
const twoDigitBytes = (bytes: Uint8Array, at: number): number => {
  const high = bytes[at]! - 48;
  const low = bytes[at + 1]! - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
};

/**
 * The common form of a raw timestamp, `YYYY-MM-DD HH:MM:SS` (or with `T`), read from its ASCII bytes
 * `bytes[start, end)`: milliseconds since the epoch, as {@link parseTimestamp} gives for the same text,
 * or NaN for any other text (other forms, out-of-range fields), which is left to parseTimestamp. Reading
 * bytes costs a fraction of reading a string's characters, and geo and user records carry one each. It
 * repeats parseYearFirst's common form (a change to one is a change to both: tests/unit/records/
 * timestamps.test.ts compares them); a four-digit year is always within a Date's range.
 */
export const parseCommonTimestamp = (bytes: Uint8Array, start: number, end: number): number => {
  if (end - start !== 19) return Number.NaN;
  const t = bytes[start + 10];
  if (
    bytes[start + 4] !== 45 ||
    bytes[start + 7] !== 45 ||
    (t !== 32 && t !== 84 && t !== 116) ||
    bytes[start + 13] !== 58 ||
    bytes[start + 16] !== 58
  ) {
    return Number.NaN;
  }
  const century = twoDigitBytes(bytes, start);
  const yearOfCentury = twoDigitBytes(bytes, start + 2);
  const mo = twoDigitBytes(bytes, start + 5);
  const d = twoDigitBytes(bytes, start + 8);
  const h = twoDigitBytes(bytes, start + 11);
  const mi = twoDigitBytes(bytes, start + 14);
  const sec = twoDigitBytes(bytes, start + 17);
  if (century < 0 || yearOfCentury < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return Number.NaN;
  return utcMillis(century * 100 + yearOfCentury, mo, d, h, mi, sec, 0) ?? Number.NaN;
};
