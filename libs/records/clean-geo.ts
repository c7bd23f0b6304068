/**
 * The geo cleaning rules (DESIGN §1.1).
 */
import type { CleanMeta, CleanResult } from './clean-types';
import { readGeoFields } from './raw-read';
import { checkRecord } from './record-shape';
import type { GeoRow } from './tables';
import { cleanText } from './text';
import { parseTimestamp } from './timestamps';

/**
 * Cleans a parsed raw geo record into a geo row, or says why it must be quarantined (not an
 * object, not a geo record, no integer `ind`). coordinates are [latitude, longitude], null when
 * either is missing or not a number in range; garbage becomes null and is listed in `nulled`. Pure.
 */
export const cleanGeo = (raw: unknown, meta: CleanMeta): CleanResult<'geo'> =>
  cleanGeoWithTimestamp(raw, meta, Number.NaN);

/**
 * {@link cleanGeo} for a record whose `timestamp` the flat reader has already parsed from its bytes
 * (`timestampMs`, its `timestampMs` right after reading the record; NaN when it did not): that instant
 * is taken instead of parsing the text again. For `cleanAsciiRecord` only, which passes the reader's
 * value for the very record it read.
 */
export const cleanGeoWithTimestamp = (
  raw: unknown,
  meta: CleanMeta,
  timestampMs: number,
): CleanResult<'geo'> => {
  const checked = checkRecord(raw, 'geo');
  if (!('o' in checked)) return checked;
  const { o } = checked;
  const f = readGeoFields(o, checked.id);
  const row: GeoRow = {
    ind: f.ind,
    country: cleanText(f.country),
    coordinates: f.latitude === null || f.longitude === null ? null : [f.latitude, f.longitude],
    timestamp: Number.isNaN(timestampMs) ? parseTimestamp(f.timestamp) : new Date(timestampMs),
    source: meta.source,
    ingested_at: meta.ingestedAt,
  };
  const nulled: string[] = [];
  if (row.country === null && o.country != null) nulled.push('country');
  if (row.coordinates === null && (o.latitude != null || o.longitude != null)) nulled.push('coordinates');
  if (row.timestamp === null && o.timestamp != null) nulled.push('timestamp');
  return { ok: true, row, nulled };
};
