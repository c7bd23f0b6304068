/**
 * Helpers of the stream-to-delta tests: the handler with a quiet logger, Kinesis events built from
 * records, and a clean table read back sorted by `source`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamEvent } from 'aws-lambda';
import { loadSnapshot, readRows, type TableRow } from '../../../libs/delta';
import type { Kind } from '../../../libs/records';
import { type ListOptions, type ObjectStore, StorageError } from '../../../libs/storage';
import {
  createStreamToDeltaHandler,
  type StreamBatchResponse,
  type StreamCommitMode,
} from '../../../libs/stream-to-delta';
import { createLambdaContext } from '../../../local/pollers';

/**
 * The stream-to-delta handler on `store`, logging nothing; metrics go to `metrics` (disabled by
 * default); `commitMode` as the function's `STREAM_COMMIT_MODE` (default direct).
 */
export function quietHandler(store: ObjectStore, metrics?: Metrics, commitMode?: StreamCommitMode) {
  const handler = createStreamToDeltaHandler({
    store,
    pipelineId: 'pinlake',
    commitMode,
    logger: silentLogger(),
    metrics: metrics ?? disabledMetrics(),
  });
  return (event: KinesisStreamEvent): Promise<StreamBatchResponse> =>
    handler(
      event,
      createLambdaContext({ functionName: 'stream-to-delta', region: 'us-east-1', timeoutMs: 60_000 }),
    );
}

/** A Powertools logger that prints nothing. */
export const silentLogger = () => new Logger({ serviceName: 'stream-to-delta', logLevel: 'SILENT' });

function disabledMetrics(): Metrics {
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'pinlake', serviceName: 'stream-to-delta', logger: silentLogger() });
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = saved;
  }
}

/** A record to put in an event: its sequence number and data (an object is sent as JSON). */
export interface TestRecord {
  readonly seq: bigint | string;
  readonly data: unknown;
  /** Arrival, epoch seconds (default 1763806530.5). */
  readonly arrival?: number;
}

/** A Kinesis event of one shard of `streaming-pinlake-<kind>`, as Lambda builds it. */
export function kinesisEvent(
  kind: Kind,
  shardId: string,
  records: readonly TestRecord[],
): KinesisStreamEvent {
  const arn = `arn:aws:kinesis:us-east-1:123456789012:stream/streaming-pinlake-${kind}`;
  return {
    Records: records.map((r) => {
      const bytes = r.data instanceof Uint8Array ? Buffer.from(r.data) : Buffer.from(JSON.stringify(r.data));
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'key',
          sequenceNumber: String(r.seq),
          data: bytes.toString('base64'),
          approximateArrivalTimestamp: r.arrival ?? 1763806530.5,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${r.seq}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/stream-to-delta',
        awsRegion: 'us-east-1',
        eventSourceARN: arn,
      };
    }),
  };
}

/** A user record (the smallest kind) with id `ind`. */
export const user = (ind: number) => ({
  ind,
  first_name: 'Ada',
  last_name: `Number${ind}`,
  age: 30,
  date_joined: '2016-01-02 03:04:05',
});

/** The rows of `tables/stream/<kind>`, sorted by `source`, and the table version. */
export async function readTable(
  store: ObjectStore,
  kind: Kind,
): Promise<{ version: number; rows: TableRow[] }> {
  const snapshot = await loadSnapshot(store, `tables/stream/${kind}`);
  const rows = await readRows(store, snapshot);
  rows.sort((a, b) => (String(a.source) < String(b.source) ? -1 : 1));
  return { version: snapshot.version, rows };
}

/**
 * The real file store with storage failures switched on at will: a put or get whose key matches
 * `failPut` / `failGet` / `failList` throws a `StorageError`, as a throttled or unreachable S3 would.
 */
export class FaultyStore implements ObjectStore {
  failPut: (key: string) => boolean = () => false;
  failGet: (key: string) => boolean = () => false;
  failList: (prefix: string) => boolean = () => false;

  constructor(private readonly inner: ObjectStore) {}

  get uri(): string {
    return this.inner.uri;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    if (this.failGet(key)) return Promise.reject(new StorageError(`injected failure reading ${key}`));
    return this.inner.get(key);
  }

  put(key: string, body: Uint8Array | string): Promise<void> {
    if (this.failPut(key)) return Promise.reject(new StorageError(`injected failure writing ${key}`));
    return this.inner.put(key, body);
  }

  putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    if (this.failPut(key)) return Promise.reject(new StorageError(`injected failure creating ${key}`));
    return this.inner.putIfAbsent(key, body);
  }

  list(prefix: string, options?: ListOptions) {
    if (this.failList(prefix)) return Promise.reject(new StorageError(`injected failure listing ${prefix}`));
    return this.inner.list(prefix, options);
  }

  listFolders(prefix: string) {
    return this.inner.listFolders(prefix);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}

/** A random source that returns `values` in turn, then 1 (never below a probability: no failure). */
export const scripted = (values: number[]) => () => values.shift() ?? 1;
