/**
 * The object store behind the lake: one interface for `file://` and `s3://`. Keys are relative to
 * the store's root and always use `/`.
 */
import { PinlakeError } from '../errors';

/** One object found by {@link ObjectStore.list}. */
export interface ObjectInfo {
  /** Key relative to the store root, e.g. `tables/stream/pin/_delta_log/00000000000000000000.json`. */
  readonly key: string;
  readonly size: number;
  /** Last modification, milliseconds since the epoch. */
  readonly lastModified: number;
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** Only keys after this one (S3's `StartAfter`): a log's tail without listing its head. */
  readonly startAfter?: string;
  /** At most this many keys, the first in key order (one S3 page holds up to 1,000). */
  readonly limit?: number;
}

/** An object store rooted at a URI (a local directory or an S3 bucket and prefix). */
export interface ObjectStore {
  /** The root URI, e.g. `file:///home/me/lake` or `s3://bucket/prefix`. */
  readonly uri: string;
  /** The object's bytes, or `undefined` when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes (or replaces) an object. */
  put(key: string, body: Uint8Array | string): Promise<void>;
  /**
   * Creates the object only if no object has that key. Resolves `true` when this call created it,
   * `false` when the key already existed (another writer won). Never overwrites.
   */
  putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean>;
  /** Every object whose key starts with `prefix` (and comes after `startAfter`), sorted by key. */
  list(prefix: string, options?: ListOptions): Promise<ObjectInfo[]>;
  /**
   * The folders one level below `prefix` (which ends with `/`), each as a key prefix ending with `/`,
   * sorted: S3's delimiter listing, so the objects inside them are not listed.
   */
  listFolders(prefix: string): Promise<string[]>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/** Raised when the store fails for a reason other than a missing key or a lost create race. */
export class StorageError extends PinlakeError {
  override readonly name: string = 'StorageError';
  override readonly code: string = 'STORAGE';
}
