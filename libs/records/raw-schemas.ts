/**
 * The raw record shapes as the seed's sources send them (docs/design.md §1.1): the documented contract
 * for producers. Extra keys are allowed and ignored; every field but the id may be missing or null
 * (the older pin schema has no poster_name). The cleaning hot path checks the same field types by
 * hand (see `raw-read.ts`), and tests prove both agree field by field.
 */
// zod/mini: the same schemas, tree-shakable, so the functions that import this module stay small.
import * as z from 'zod/mini';

const text = z.nullish(z.string());
const timestamp = z.nullish(z.union([z.string(), z.number()]));

/** The fields of a raw pin, each with its documented type. */
export const PIN_RAW_FIELDS = {
  index: z.int(),
  unique_id: text,
  title: text,
  description: text,
  poster_name: text,
  follower_count: z.nullish(z.union([z.string(), z.int().check(z.nonnegative())])),
  tag_list: text,
  is_image_or_video: text,
  image_src: text,
  downloaded: z.nullish(z.union([z.literal(0), z.literal(1)])),
  save_location: text,
  category: text,
};

/** The fields of a raw geo record, each with its documented type. */
export const GEO_RAW_FIELDS = {
  ind: z.int(),
  timestamp,
  latitude: z.nullish(z.number().check(z.minimum(-90), z.maximum(90))),
  longitude: z.nullish(z.number().check(z.minimum(-180), z.maximum(180))),
  country: text,
};

/** The fields of a raw user record, each with its documented type. */
export const USER_RAW_FIELDS = {
  ind: z.int(),
  first_name: text,
  last_name: text,
  age: z.nullish(z.int32()),
  date_joined: timestamp,
};

/**
 * A raw pin (`<id>.pin` topic, `streaming-<id>-pin` stream): `index` is a safe integer,
 * `follower_count` text such as `26k` (or a whole number), `downloaded` 0 or 1.
 */
export const PinRawSchema = z.looseObject(PIN_RAW_FIELDS);
/**
 * A raw geo record: `timestamp` text in any form `parseTimestamp` reads, or an epoch number;
 * latitude within ±90 and longitude within ±180.
 */
export const GeoRawSchema = z.looseObject(GEO_RAW_FIELDS);
/** A raw user record: `age` a 32-bit integer, `date_joined` like geo's `timestamp`. */
export const UserRawSchema = z.looseObject(USER_RAW_FIELDS);
