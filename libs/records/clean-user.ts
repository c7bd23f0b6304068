/**
 * The user cleaning rules (DESIGN §1.1).
 */
import type { CleanMeta, CleanResult } from './clean-types';
import { readUserFields } from './raw-read';
import { checkRecord } from './record-shape';
import type { UserRow } from './tables';
import { cleanText } from './text';
import { parseTimestamp } from './timestamps';

const joinName = (first: string | null, last: string | null): string | null => {
  if (first === null) return last;
  return last === null ? first : `${first} ${last}`;
};

/**
 * Cleans a parsed raw user record into a user row, or says why it must be quarantined (not an
 * object, not a user record, no integer `ind`). user_name is `first last`, one alone when the
 * other is missing or blank, null when both are; age is a 32-bit integer or null. Pure.
 */
export const cleanUser = (raw: unknown, meta: CleanMeta): CleanResult<'user'> =>
  cleanUserWithTimestamp(raw, meta, Number.NaN);

/**
 * {@link cleanUser} for a record whose `date_joined` the flat reader has already parsed from its bytes
 * (`timestampMs`, its `timestampMs` right after reading the record; NaN when it did not): that instant
 * is taken instead of parsing the text again. For `cleanAsciiRecord` only, which passes the reader's
 * value for the very record it read.
 */
export const cleanUserWithTimestamp = (
  raw: unknown,
  meta: CleanMeta,
  timestampMs: number,
): CleanResult<'user'> => {
  const checked = checkRecord(raw, 'user');
  if (!('o' in checked)) return checked;
  const { o } = checked;
  const f = readUserFields(o, checked.id);
  const row: UserRow = {
    ind: f.ind,
    user_name: joinName(cleanText(f.first_name), cleanText(f.last_name)),
    age: f.age,
    date_joined: Number.isNaN(timestampMs) ? parseTimestamp(f.date_joined) : new Date(timestampMs),
    source: meta.source,
    ingested_at: meta.ingestedAt,
  };
  const nulled: string[] = [];
  if (row.user_name === null && (o.first_name != null || o.last_name != null)) nulled.push('user_name');
  if (row.age === null && o.age != null) nulled.push('age');
  if (row.date_joined === null && o.date_joined != null) nulled.push('date_joined');
  return { ok: true, row, nulled };
};
