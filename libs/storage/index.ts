export { FileStore } from './file-store';
export { type ObjectInfo, type ObjectStore, StorageError } from './types';
