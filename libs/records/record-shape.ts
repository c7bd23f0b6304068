/**
 * The checks that decide whether a value can be cleaned at all (DESIGN §1.1): it must be an
 * object, of the expected kind, with an integer id. Anything else is quarantined with a reason
 * whose text before the first colon is its class.
 */
import type { RawObject } from './raw-read';
import type { Kind } from './tables';

/** The classes of quarantine reasons: a reason's text starts with its class and a colon. */
export type QuarantineClass =
  | 'too large'
  | 'not JSON'
  | 'not an object'
  | 'wrong kind'
  | 'missing id'
  | 'non-integer id'
  /** The Kafka or Kinesis record around the value cannot be read: its offset, partition or timestamp. */
  | 'bad envelope';

/** A record that cannot be cleaned, with the reason written next to its raw bytes. */
export interface Quarantined {
  ok: false;
  reason: string;
}

/** The field names that only each kind has (`ind` is shared by geo and user, so it is not here). */
const KIND_FIELDS: { readonly [K in Kind]: readonly string[] } = {
  pin: [
    'index',
    'unique_id',
    'title',
    'description',
    'poster_name',
    'follower_count',
    'tag_list',
    'is_image_or_video',
    'image_src',
    'downloaded',
    'save_location',
    'category',
  ],
  geo: ['timestamp', 'latitude', 'longitude', 'country'],
  user: ['first_name', 'last_name', 'age', 'date_joined'],
};

/** The field holding each kind's id: the pin calls it `index`. */
export const ID_FIELD: { readonly [K in Kind]: string } = { pin: 'index', geo: 'ind', user: 'ind' };

/** Builds a quarantine result of a class. */
export const quarantine = (reasonClass: QuarantineClass, detail: string): Quarantined => ({
  ok: false,
  reason: `${reasonClass}: ${detail}`,
});

/** A short, single-line preview of a value for a reason message. */
const preview = (value: unknown): string => {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  else if (Array.isArray(value)) text = `an array of ${value.length}`;
  else if (value !== null && typeof value === 'object') text = 'an object';
  else text = String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

// Named property reads (not o[name] in a loop) keep these checks monomorphic: they run per record.
const HAS_FIELDS: { readonly [K in Kind]: (o: RawObject) => boolean } = {
  pin: (o) =>
    o.index !== undefined ||
    o.unique_id !== undefined ||
    o.title !== undefined ||
    o.description !== undefined ||
    o.poster_name !== undefined ||
    o.follower_count !== undefined ||
    o.tag_list !== undefined ||
    o.is_image_or_video !== undefined ||
    o.image_src !== undefined ||
    o.downloaded !== undefined ||
    o.save_location !== undefined ||
    o.category !== undefined,
  geo: (o) =>
    o.timestamp !== undefined ||
    o.latitude !== undefined ||
    o.longitude !== undefined ||
    o.country !== undefined,
  user: (o) =>
    o.first_name !== undefined ||
    o.last_name !== undefined ||
    o.age !== undefined ||
    o.date_joined !== undefined,
};

const OTHER_KINDS: { readonly [K in Kind]: readonly Kind[] } = {
  pin: ['geo', 'user'],
  geo: ['pin', 'user'],
  user: ['pin', 'geo'],
};

const countFields = (o: RawObject, kind: Kind): number =>
  KIND_FIELDS[kind].reduce((n, name) => (o[name] !== undefined ? n + 1 : n), 0);

/**
 * Returns why `o` is not a record of `kind`, or undefined when it is one: it must carry at least one
 * field of its kind, and more of its kind's fields than of any other kind's. A stray field of another
 * kind in an otherwise whole record is field-level noise (ignored, as unknown keys are), not a reason
 * to quarantine; a record of another kind on this stream or topic is.
 */
const wrongKind = (o: RawObject, kind: Kind): Quarantined | undefined => {
  for (const other of OTHER_KINDS[kind]) {
    // The common case, no field of another kind, costs only these checks.
    if (HAS_FIELDS[other](o) && countFields(o, other) >= countFields(o, kind)) {
      const found = KIND_FIELDS[other].filter((name) => o[name] !== undefined).join(', ');
      return quarantine('wrong kind', `expected a ${kind} record, found ${other} fields ${found}`);
    }
  }
  if (HAS_FIELDS[kind](o)) return undefined;
  return quarantine('wrong kind', `expected a ${kind} record, found none of the ${kind} fields`);
};

/**
 * Narrows a parsed value to a record object of `kind` with an integer id, returning the object
 * and its id, or the quarantine reason. A JSON string holding a JSON object (the double encoding
 * seed clients produce when they send `Data` as a string) is decoded once first.
 */
export const checkRecord = (value: unknown, kind: Kind): { o: RawObject; id: number } | Quarantined => {
  let v = value;
  if (typeof v === 'string' && v.trimStart().startsWith('{')) {
    try {
      v = JSON.parse(v);
    } catch {
      return quarantine('not an object', `a string that is not an encoded JSON object: ${preview(value)}`);
    }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return quarantine('not an object', `the ${kind} record is ${preview(v)}`);
  }
  const o = v as RawObject;
  const mismatch = wrongKind(o, kind);
  if (mismatch !== undefined) return mismatch;
  const idField = ID_FIELD[kind];
  const id = kind === 'pin' ? o.index : o.ind;
  if (id === undefined || id === null)
    return quarantine('missing id', `the ${kind} record has no "${idField}"`);
  if (!Number.isSafeInteger(id)) {
    return quarantine('non-integer id', `the ${kind} record's "${idField}" is ${preview(id)}`);
  }
  return { o, id: id as number };
};
