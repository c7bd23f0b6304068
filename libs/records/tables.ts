/**
 * The clean tables of DESIGN §1.1: their columns, in order, with Delta types, and the row types
 * the cleaning rules produce. This is the one definition every writer (Parquet, Delta schema),
 * reader and query relies on.
 */

/** The three record kinds of a post. */
export type Kind = 'pin' | 'geo' | 'user';

/** Every kind, in the order posts list them. */
export const KINDS: readonly Kind[] = ['pin', 'geo', 'user'];

/** The Delta (Spark SQL) types the clean tables use. */
export type ColumnType = 'long' | 'integer' | 'string' | 'timestamp' | 'array<double>';

/** One column of a clean table. Every clean column is nullable except `ind` and `source`. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/** A pin row: the post itself. Timestamps are JavaScript Dates (UTC). */
export interface PinRow {
  ind: number;
  unique_id: string | null;
  title: string | null;
  description: string | null;
  follower_count: number | null;
  poster_name: string | null;
  tag_list: string | null;
  is_image_or_video: string | null;
  image_src: string | null;
  save_location: string | null;
  category: string | null;
  source: string;
  ingested_at: Date;
}

/** A geo row: where and when the post was made; coordinates are [latitude, longitude]. */
export interface GeoRow {
  ind: number;
  country: string | null;
  coordinates: [number, number] | null;
  timestamp: Date | null;
  source: string;
  ingested_at: Date;
}

/** A user row: who made the post. */
export interface UserRow {
  ind: number;
  user_name: string | null;
  age: number | null;
  date_joined: Date | null;
  source: string;
  ingested_at: Date;
}

/** The row type of each kind's clean table. */
export interface RowOf {
  pin: PinRow;
  geo: GeoRow;
  user: UserRow;
}

const col = (name: string, type: ColumnType, nullable = true): Column => ({ name, type, nullable });

/** The columns of each clean table, in the contract's order. */
export const TABLE_COLUMNS: { readonly [K in Kind]: readonly Column[] } = {
  pin: [
    col('ind', 'long', false),
    col('unique_id', 'string'),
    col('title', 'string'),
    col('description', 'string'),
    col('follower_count', 'long'),
    col('poster_name', 'string'),
    col('tag_list', 'string'),
    col('is_image_or_video', 'string'),
    col('image_src', 'string'),
    col('save_location', 'string'),
    col('category', 'string'),
    col('source', 'string', false),
    col('ingested_at', 'timestamp', false),
  ],
  geo: [
    col('ind', 'long', false),
    col('country', 'string'),
    col('coordinates', 'array<double>'),
    col('timestamp', 'timestamp'),
    col('source', 'string', false),
    col('ingested_at', 'timestamp', false),
  ],
  user: [
    col('ind', 'long', false),
    col('user_name', 'string'),
    col('age', 'integer'),
    col('date_joined', 'timestamp'),
    col('source', 'string', false),
    col('ingested_at', 'timestamp', false),
  ],
};
