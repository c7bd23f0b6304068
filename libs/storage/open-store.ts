import { resolve } from 'node:path';
import { FileStore } from './file-store';
import { S3Store, type S3StoreOptions } from './s3-store';
import { type ObjectStore, StorageError } from './types';

/** Options for {@link openStore}; they only matter for `s3://` URIs. */
export type OpenStoreOptions = S3StoreOptions;

/**
 * The object store a lake URI names: `s3://bucket/prefix` → {@link S3Store}, `file://…` or a plain
 * path (relative to the working directory) → {@link FileStore}. Throws a {@link StorageError} for
 * any other scheme. Opening touches no storage; the first call on the store does.
 */
export function openStore(uri: string, options: OpenStoreOptions = {}): ObjectStore {
  if (uri.startsWith('s3://')) return new S3Store(uri, options);
  if (uri.startsWith('file:')) return new FileStore(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new StorageError(`unsupported lake URI ${uri} (expected s3://bucket/prefix, file://… or a path)`);
  }
  if (uri === '') throw new StorageError('the lake URI is empty');
  return new FileStore(resolve(uri));
}
