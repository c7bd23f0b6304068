export { FileStore } from './file-store';
export { openStore } from './open-store';
export { parseS3Uri, S3Store, type S3StoreOptions, s3ClientConfig, s3ClientFor } from './s3-store';
export { type ListOptions, type ObjectInfo, type ObjectStore, StorageError } from './types';
