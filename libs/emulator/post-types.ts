/**
 * A post as the seed's MySQL emulator sends it: three raw records with the source tables' field
 * names, order and value types (docs/design.md §1.1, docs/emulator.md). Timestamps are "YYYY-MM-DD HH:MM:SS" strings,
 * follower_count is a string ("26k", "2M", "437", "User Info Error").
 */

/** A row of `pinterest_data`, fields in table order. */
export interface RawPin {
  index: number;
  unique_id: string;
  title: string;
  description: string;
  poster_name: string;
  follower_count: string;
  tag_list: string;
  is_image_or_video: string;
  image_src: string;
  downloaded: number;
  save_location: string;
  category: string;
}

/** A row of `geolocation_data`, fields in table order. */
export interface RawGeo {
  ind: number;
  timestamp: string;
  latitude: number;
  longitude: number;
  country: string;
}

/** A row of `user_data`, fields in table order. */
export interface RawUser {
  ind: number;
  first_name: string;
  last_name: string;
  age: number;
  date_joined: string;
}

/** One emulated post: the three records sharing one id. */
export interface Post {
  pin: RawPin;
  geo: RawGeo;
  user: RawUser;
}
