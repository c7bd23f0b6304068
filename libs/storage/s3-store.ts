import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { backoffDelay, pause } from '../retry';
import { type ListOptions, type ObjectInfo, type ObjectStore, StorageError } from './types';

/** How to reach S3: the defaults reach AWS with the Lambda's role; an endpoint reaches a stand-in. */
export interface S3StoreOptions {
  /** Endpoint override, e.g. `http://127.0.0.1:4569` for s3rver; implies path-style addressing. */
  readonly endpoint?: string;
  /** AWS region; default from the environment (`AWS_REGION`), else `us-east-1`. */
  readonly region?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default true with an endpoint, false without. */
  readonly forcePathStyle?: boolean;
  /** Static credentials, for stand-ins; default is the SDK's provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** An S3 client to use instead of the shared one for these options. */
  readonly client?: S3Client;
  /** Attempts of a conditional put that meets 409 ConditionalRequestConflict; default 6. */
  readonly conflictAttempts?: number;
  /** First pause after a 409, doubled each time; default 50 ms. */
  readonly conflictBackoffMs?: number;
}

/**
 * The S3 client configuration for these options: region, path style, and with an endpoint the
 * checksum mode stand-ins accept. Pure; {@link s3ClientFor} builds (and keeps) the client.
 */
export function s3ClientConfig(options: S3StoreOptions = {}): S3ClientConfig {
  const { endpoint, credentials } = options;
  const config: S3ClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
  };
  if (endpoint) {
    config.endpoint = endpoint;
    // Stand-ins such as s3rver predate the SDK's default CRC32 checksums on every request.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  if (credentials) config.credentials = { ...credentials };
  return config;
}

const clients = new Map<string, S3Client>();

/**
 * The S3 client for these options (or `options.client`), built once per distinct configuration and
 * reused, so a Lambda keeps it and its connection pool across invocations.
 */
export function s3ClientFor(options: S3StoreOptions = {}): S3Client {
  if (options.client) return options.client;
  const config = s3ClientConfig(options);
  const cacheKey = JSON.stringify([
    config.endpoint,
    config.region,
    config.forcePathStyle,
    options.credentials?.accessKeyId,
  ]);
  const cached = clients.get(cacheKey);
  if (cached) return cached;
  const client = new S3Client(config);
  clients.set(cacheKey, client);
  return client;
}

/** Splits `s3://bucket/prefix/` into the bucket and the key prefix (no trailing slash). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new StorageError(`not an S3 URI: ${uri} (expected s3://bucket/prefix)`);
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/\/+$/, '') };
}

interface ServiceErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function errorShape(error: unknown): ServiceErrorShape {
  return typeof error === 'object' && error !== null ? (error as ServiceErrorShape) : {};
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = errorShape(error);
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

function isPreconditionFailed(error: unknown): boolean {
  const { name, Code, $metadata } = errorShape(error);
  return name === 'PreconditionFailed' || Code === 'PreconditionFailed' || $metadata?.httpStatusCode === 412;
}

function isConditionalConflict(error: unknown): boolean {
  const { name, Code, $metadata } = errorShape(error);
  return (
    name === 'ConditionalRequestConflict' ||
    Code === 'ConditionalRequestConflict' ||
    $metadata?.httpStatusCode === 409
  );
}

function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/**
 * An object store in an S3 bucket under a key prefix. `putIfAbsent` is S3's conditional write
 * (`If-None-Match: *`): 412 means another writer won; 409 ConditionalRequestConflict (a concurrent
 * conditional write to the key is in flight) is retried after a short backoff, since its outcome
 * decides ours. Other failures raise a {@link StorageError} naming the key.
 */
export class S3Store implements ObjectStore {
  readonly uri: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly options: S3StoreOptions;

  constructor(uri: string, options: S3StoreOptions = {}) {
    const { bucket, prefix } = parseS3Uri(uri);
    this.bucket = bucket;
    this.prefix = prefix;
    this.uri = prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`;
    this.client = s3ClientFor(options);
    this.options = options;
  }

  private keyOf(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const reply = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }),
      );
      return reply.Body ? await reply.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new StorageError(`cannot read ${key} from ${this.uri}`, { cause: error });
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), Body: body }));
    } catch (error) {
      throw new StorageError(`cannot write ${key} to ${this.uri}`, { cause: error });
    }
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    const attempts = this.options.conflictAttempts ?? 6;
    const backoff = { baseMs: this.options.conflictBackoffMs ?? 50, maxMs: 5_000, jitter: 'equal' } as const;
    const input = { Bucket: this.bucket, Key: this.keyOf(key), Body: body, IfNoneMatch: '*' };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new PutObjectCommand(input));
        return true;
      } catch (error) {
        if (isPreconditionFailed(error)) return this.createdByUs(key, body, error);
        if (isConditionalConflict(error) && attempt < attempts) {
          await pause(backoffDelay(backoff, attempt));
          continue;
        }
        throw new StorageError(`cannot create ${key} in ${this.uri}`, { cause: error });
      }
    }
  }

  /**
   * After a 412: when the SDK sent the request more than once, the object may be our own earlier
   * attempt whose reply was lost, so the key counts as ours if it holds exactly our bytes.
   */
  private async createdByUs(key: string, body: Uint8Array | string, error: unknown): Promise<boolean> {
    if ((errorShape(error).$metadata?.attempts ?? 1) <= 1) return false;
    const existing = await this.get(key);
    return existing !== undefined && sameBytes(existing, bytesOf(body));
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    const { limit, startAfter } = options;
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyOf(prefix),
            ContinuationToken: token,
            ...(token === undefined && startAfter !== undefined
              ? { StartAfter: this.keyOf(startAfter) }
              : {}),
            ...(limit !== undefined ? { MaxKeys: Math.min(1000, limit - found.length) } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          found.push({
            key: object.Key.slice(strip),
            size: object.Size ?? 0,
            lastModified: object.LastModified?.getTime() ?? 0,
          });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && (limit === undefined || found.length < limit));
    } catch (error) {
      throw new StorageError(`cannot list ${prefix} in ${this.uri}`, { cause: error });
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listFolders(prefix: string): Promise<string[]> {
    const folders: string[] = [];
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyOf(prefix),
            Delimiter: '/',
            ContinuationToken: token,
          }),
        );
        for (const common of page.CommonPrefixes ?? []) {
          if (common.Prefix !== undefined) folders.push(common.Prefix.slice(strip));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw new StorageError(`cannot list the folders of ${prefix} in ${this.uri}`, { cause: error });
    }
    return folders.sort();
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw new StorageError(`cannot delete ${key} from ${this.uri}`, { cause: error });
    }
  }
}
