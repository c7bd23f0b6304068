/**
 * Hand-written field type checks for the hot path, equal field by field to the zod schemas in
 * `raw-schemas.ts` (proven in tests/unit/records/raw-read.test.ts): a field of the wrong type reads
 * as null, exactly where the zod field schema would reject it.
 */

/** A parsed JSON object whose fields are still unchecked. */
export type RawObject = Record<string, unknown>;

/** A raw pin's fields after type checks; `downloaded` is dropped by cleaning and not read. */
export interface PinFields {
  index: number;
  unique_id: string | null;
  title: string | null;
  description: string | null;
  poster_name: string | null;
  follower_count: string | number | null;
  tag_list: string | null;
  is_image_or_video: string | null;
  image_src: string | null;
  save_location: string | null;
  category: string | null;
}

/** A raw geo record's fields after type checks. */
export interface GeoFields {
  ind: number;
  timestamp: string | number | null;
  latitude: number | null;
  longitude: number | null;
  country: string | null;
}

/** A raw user record's fields after type checks. */
export interface UserFields {
  ind: number;
  first_name: string | null;
  last_name: string | null;
  age: number | null;
  date_joined: string | number | null;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The value when it is a string, else null. */
const readText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The value when it is a string or a finite number, else null (timestamps). */
const readTimestamp = (value: unknown): string | number | null =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;

/** The value when it is a finite number within [min, max], else null (coordinates). */
const readNumberIn = (value: unknown, min: number, max: number): number | null =>
  typeof value === 'number' && value >= min && value <= max ? value : null;

/** The value when it is a 32-bit integer, else null (age). */
const readInt32 = (value: unknown): number | null =>
  Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX
    ? (value as number)
    : null;

/** The value when it is a string or a non-negative safe integer, else null (follower_count). */
const readFollowerCount = (value: unknown): string | number | null =>
  typeof value === 'string' || (Number.isSafeInteger(value) && (value as number) >= 0)
    ? (value as string | number)
    : null;

/** Reads a pin's fields; `index` must already be known to be a safe integer. */
export const readPinFields = (o: RawObject, index: number): PinFields => ({
  index,
  unique_id: readText(o.unique_id),
  title: readText(o.title),
  description: readText(o.description),
  poster_name: readText(o.poster_name),
  follower_count: readFollowerCount(o.follower_count),
  tag_list: readText(o.tag_list),
  is_image_or_video: readText(o.is_image_or_video),
  image_src: readText(o.image_src),
  save_location: readText(o.save_location),
  category: readText(o.category),
});

/** Reads a geo record's fields; `ind` must already be known to be a safe integer. */
export const readGeoFields = (o: RawObject, ind: number): GeoFields => ({
  ind,
  timestamp: readTimestamp(o.timestamp),
  latitude: readNumberIn(o.latitude, -90, 90),
  longitude: readNumberIn(o.longitude, -180, 180),
  country: readText(o.country),
});

/** Reads a user record's fields; `ind` must already be known to be a safe integer. */
export const readUserFields = (o: RawObject, ind: number): UserFields => ({
  ind,
  first_name: readText(o.first_name),
  last_name: readText(o.last_name),
  age: readInt32(o.age),
  date_joined: readTimestamp(o.date_joined),
});
