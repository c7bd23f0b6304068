/**
 * The lake as one function sees it on AWS: every object store call is evaluated against the
 * function's role first, with the S3 action, resource and condition keys the real S3 request
 * (libs/storage/s3-store.ts) would carry: GetObject, PutObject (also for conditional creates),
 * DeleteObject on `arn:aws:s3:::<bucket>/<key>`, ListBucket on the bucket with `s3:prefix`. A read of a
 * missing key also needs ListBucket on the bucket (S3 answers 403 instead of 404 without it; no
 * `s3:prefix` is part of that check). A denied call fails as S3Store fails on a 403: a StorageError
 * whose cause is the AccessDenied.
 */
import { type ListOptions, type ObjectInfo, type ObjectStore, StorageError } from '../../libs/storage';
import type { IamEnforcer } from './enforcer';

/** Whose calls, and which bucket the store stands for (its keys are the bucket's keys after `prefix`). */
export interface IamStoreOptions {
  readonly functionName: string;
  readonly bucket: string;
  /** Key prefix of the store's root inside the bucket (none for a lake at the bucket's root). */
  readonly prefix?: string;
}

/** Wraps `store` so that each call is allowed by `functionName`'s role before it runs. */
export function enforceIamOnStore(
  store: ObjectStore,
  iam: IamEnforcer,
  options: IamStoreOptions,
): ObjectStore {
  const { functionName, bucket } = options;
  const keyOf = (key: string) => (options.prefix ? `${options.prefix}/${key}` : key);
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const require = async (
    action: string,
    resource: string,
    failure: string,
    context?: Record<string, string>,
  ) => {
    try {
      await iam.require({ functionName, action, resource, ...(context ? { context } : {}) });
    } catch (error) {
      throw new StorageError(`${failure} (${(error as Error).message})`, { cause: error });
    }
  };
  const object = (key: string) => `${bucketArn}/${keyOf(key)}`;
  return {
    uri: store.uri,
    async get(key: string): Promise<Uint8Array | undefined> {
      await require('s3:GetObject', object(key), `cannot read ${key} from ${store.uri}`);
      const body = await store.get(key);
      if (body !== undefined) return body;
      // Absent: S3 says 404 only to a caller that may list the bucket, else 403 on the GetObject. The
      // check is recorded and a denial reported like any other, so code that relies on a 404 shows.
      const listing = await iam.evaluate({ functionName, action: 's3:ListBucket', resource: bucketArn });
      if (listing.allowed) return undefined;
      const denied = iam.reportDenied({ functionName, action: 's3:GetObject', resource: object(key) });
      throw new StorageError(`cannot read ${key} from ${store.uri} (absent, and ${denied.message})`, {
        cause: denied,
      });
    },
    async put(key: string, body: Uint8Array | string): Promise<void> {
      await require('s3:PutObject', object(key), `cannot write ${key} to ${store.uri}`);
      return store.put(key, body);
    },
    async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
      await require('s3:PutObject', object(key), `cannot create ${key} in ${store.uri}`);
      return store.putIfAbsent(key, body);
    },
    async list(prefix: string, listOptions?: ListOptions): Promise<ObjectInfo[]> {
      await require('s3:ListBucket', bucketArn, `cannot list ${prefix} in ${store.uri}`, {
        's3:prefix': keyOf(prefix),
      });
      return store.list(prefix, listOptions);
    },
    async listFolders(prefix: string): Promise<string[]> {
      await require('s3:ListBucket', bucketArn, `cannot list ${prefix} in ${store.uri}`, {
        's3:prefix': keyOf(prefix),
        's3:delimiter': '/',
      });
      return store.listFolders(prefix);
    },
    async delete(key: string): Promise<void> {
      await require('s3:DeleteObject', object(key), `cannot delete ${key} from ${store.uri}`);
      return store.delete(key);
    },
  };
}
