/**
 * One entry point for every path: raw bytes or a parsed value of a known kind → row or quarantine.
 */
import { cleanGeo } from './clean-geo';
import { cleanPin } from './clean-pin';
import type { CleanMeta, CleanResult } from './clean-types';
import { cleanUser } from './clean-user';
import { MAX_RECORD_BYTES, parseRecordBytes, RecordParseError } from './parse';
import { quarantine } from './record-shape';
import type { Kind } from './tables';

const CLEANERS: { readonly [K in Kind]: (raw: unknown, meta: CleanMeta) => CleanResult<K> } = {
  pin: cleanPin,
  geo: cleanGeo,
  user: cleanUser,
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
  let value = bytesOrValue;
  if (bytesOrValue instanceof Uint8Array) {
    if (bytesOrValue.byteLength > MAX_RECORD_BYTES) {
      return quarantine('too large', `${bytesOrValue.byteLength} bytes, the limit is ${MAX_RECORD_BYTES}`);
    }
    try {
      value = parseRecordBytes(bytesOrValue, meta.source);
    } catch (error) {
      if (!(error instanceof RecordParseError)) throw error;
      const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
      return quarantine('not JSON', cause);
    }
  }
  return (CLEANERS[kind] as (raw: unknown, meta: CleanMeta) => CleanResult<K>)(value, meta);
};
