/**
 * One entry point for every path: raw bytes or a parsed value of a known kind → row or quarantine.
 */
import { cleanGeo, cleanGeoWithTimestamp } from './clean-geo';
import { cleanPin } from './clean-pin';
import type { CleanMeta, CleanResult } from './clean-types';
import { cleanUser, cleanUserWithTimestamp } from './clean-user';
import { RecordParseError } from './errors';
import { FlatRecordReader } from './flat-json';
import { decodeUtf8, MAX_RECORD_BYTES, parseRecordText } from './parse';
import { type Quarantined, quarantine } from './record-shape';
import type { Kind } from './tables';

type Cleaner<K extends Kind> = (raw: unknown, meta: CleanMeta) => CleanResult<K>;

const CLEANERS: { readonly [K in Kind]: Cleaner<K> } = {
  pin: cleanPin,
  geo: cleanGeo,
  user: cleanUser,
};

/** A cleaner of records read by a {@link FlatRecordReader}, given the timestamp the reader parsed (NaN: none). */
type ReadCleaner<K extends Kind> = (raw: unknown, meta: CleanMeta, timestampMs: number) => CleanResult<K>;

const READ_CLEANERS: { readonly [K in Kind]?: ReadCleaner<K> } = {
  geo: cleanGeoWithTimestamp,
  user: cleanUserWithTimestamp,
};

/**
 * Cleans one record of `kind`. `bytesOrValue` is either the raw bytes (a Buffer or Uint8Array of
 * UTF-8 JSON) or an already parsed value (anything else, strings included). Returns the row with
 * the columns cleaning nulled, or `{ ok: false, reason }` for a record to quarantine: larger than
 * {@link MAX_RECORD_BYTES}, not JSON, not an object, the wrong kind, or without an integer id.
 * Never throws for any input.
 */
export const cleanRecord = <K extends Kind>(
  kind: K,
  bytesOrValue: unknown,
  meta: CleanMeta,
): CleanResult<K> => {
  if (!(bytesOrValue instanceof Uint8Array)) {
    return (CLEANERS[kind] as Cleaner<K>)(bytesOrValue, meta);
  }
  // Checked before decoding, so a huge record is never turned into text.
  if (bytesOrValue.byteLength > MAX_RECORD_BYTES) return tooLarge(bytesOrValue.byteLength);
  return cleanRecordText(kind, decodeUtf8(bytesOrValue), bytesOrValue.byteLength, meta);
};

const tooLarge = (byteLength: number): Quarantined =>
  quarantine('too large', `${byteLength} bytes, the limit is ${MAX_RECORD_BYTES}`);

/**
 * Cleans one record of `kind` given as its text, already decoded from `byteLength` bytes of UTF-8
 * (invalid sequences as U+FFFD): what {@link cleanRecord} does with bytes, for callers that decode
 * a whole batch at once. Never throws for any input.
 */
export const cleanRecordText = <K extends Kind>(
  kind: K,
  text: string,
  byteLength: number,
  meta: CleanMeta,
): CleanResult<K> => {
  if (byteLength > MAX_RECORD_BYTES) return tooLarge(byteLength);
  let value: unknown;
  try {
    value = parseRecordText(text, meta.source);
  } catch (error) {
    if (!(error instanceof RecordParseError)) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    return quarantine('not JSON', cause);
  }
  return (CLEANERS[kind] as Cleaner<K>)(value, meta);
};

/**
 * The readers of the flat shape of geo and user records ({@link FlatRecordReader}); a pin is parsed by
 * JSON.parse (its long texts often hold escapes, and V8 copies a long string faster than a loop reads it).
 */
export const FLAT_READERS: { readonly [K in Kind]?: FlatRecordReader } = {
  geo: new FlatRecordReader(
    (v) => ({
      ind: v[0],
      timestamp: v[1],
      latitude: v[2],
      longitude: v[3],
      country: v[4],
    }),
    'timestamp',
  ),
  user: new FlatRecordReader(
    (v) => ({
      ind: v[0],
      first_name: v[1],
      last_name: v[2],
      age: v[3],
      date_joined: v[4],
    }),
    'date_joined',
  ),
};

/**
 * Cleans one record whose bytes `bytes[start, end)` are all ASCII, given with a Latin-1 text of the
 * same bytes from byte `textStart` on (as the stream and batch paths decode a group of records at a
 * time): what {@link cleanRecordText} does with the record's text, with the common shape of geo and
 * user records read without JSON.parse. Never throws for any input.
 */
export const cleanAsciiRecord = <K extends Kind>(
  kind: K,
  bytes: Uint8Array,
  start: number,
  end: number,
  text: string,
  textStart: number,
  meta: CleanMeta,
): CleanResult<K> => {
  const reader = FLAT_READERS[kind];
  const clean = READ_CLEANERS[kind] as ReadCleaner<K> | undefined;
  if (reader !== undefined && clean !== undefined && end - start <= MAX_RECORD_BYTES) {
    const raw = reader.read(bytes, start, end, text, textStart);
    if (raw !== undefined) return clean(raw, meta, reader.timestampMs);
  }
  return cleanRecordText(kind, text.slice(start - textStart, end - textStart), end - start, meta);
};
