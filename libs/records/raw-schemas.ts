/**
 * The raw record shapes as the seed's sources send them (seed facts §1): the documented contract
 * for producers. Extra keys are allowed and ignored; every field but the id may be missing or null
 * (the older pin schema has no poster_name). The cleaning hot path checks the same field types by
 * hand (see `raw-read.ts`), and tests prove both agree field by field.
 */
import { z } from 'zod';

const text = z.string().nullish();
const timestamp = z.union([z.string(), z.number()]).nullish();

/** The fields of a raw pin, each with its documented type. */
export const PIN_RAW_FIELDS = {
  index: z.int(),
  unique_id: text,
  title: text,
  description: text,
  poster_name: text,
  follower_count: z.union([z.string(), z.int().nonnegative()]).nullish(),
  tag_list: text,
  is_image_or_video: text,
  image_src: text,
  downloaded: z.union([z.literal(0), z.literal(1)]).nullish(),
  save_location: text,
  category: text,
};

/** The fields of a raw geo record, each with its documented type. */
export const GEO_RAW_FIELDS = {
  ind: z.int(),
  timestamp,
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  country: text,
};

/** The fields of a raw user record, each with its documented type. */
export const USER_RAW_FIELDS = {
  ind: z.int(),
  first_name: text,
  last_name: text,
  age: z.int32().nullish(),
  date_joined: timestamp,
};

/**
 * A raw pin (`<id>.pin` topic, `streaming-<id>-pin` stream): `index` is a safe integer,
 * `follower_count` text such as `26k` (or a whole number), `downloaded` 0 or 1.
 */
export const PinRawSchema = z.looseObject(PIN_RAW_FIELDS);
/** A raw pin as validated by {@link PinRawSchema}. */
export type PinRaw = z.infer<typeof PinRawSchema>;

/**
 * A raw geo record: `timestamp` text in any form `parseTimestamp` reads, or an epoch number;
 * latitude within ±90 and longitude within ±180.
 */
export const GeoRawSchema = z.looseObject(GEO_RAW_FIELDS);
/** A raw geo record as validated by {@link GeoRawSchema}. */
export type GeoRaw = z.infer<typeof GeoRawSchema>;

/** A raw user record: `age` a 32-bit integer, `date_joined` like geo's `timestamp`. */
export const UserRawSchema = z.looseObject(USER_RAW_FIELDS);
/** A raw user record as validated by {@link UserRawSchema}. */
export type UserRaw = z.infer<typeof UserRawSchema>;
