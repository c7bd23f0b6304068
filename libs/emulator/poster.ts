import { streamName, topicName } from '../naming';
import { KINDS, type Kind } from '../records/tables';
import { PosterError } from './errors';
import { openConnectionPool } from './poster-http';
import { type Clock, DEFAULT_RETRY, type RetryPolicy, systemClock, TokenBucket } from './poster-rate';
import { PostingRun, type Target } from './poster-run';
import type { SourcePost } from './sources';

/** Which API paths the poster feeds: Kafka (`batch`), Kinesis (`stream`) or both. */
export type EmulateMode = 'batch' | 'stream' | 'both';

/** Counts so far, passed to `onProgress` after each post. */
export interface EmulateProgress {
  readonly posts: number;
  readonly postsComplete: number;
  readonly recordsSent: number;
  readonly recordsFailed: number;
}

/** Settings of {@link emulatePosts}. */
export interface EmulateOptions {
  /** The API's base URL, stage included when it has one (`https://…/dev`, `http://127.0.0.1:3000`). */
  readonly api: string;
  /** Sent as `x-api-key` when given. */
  readonly apiKey?: string;
  readonly source: AsyncIterable<SourcePost> | Iterable<SourcePost>;
  readonly mode: EmulateMode;
  /** Posts per second at most (token bucket); unlimited when absent. */
  readonly rate?: number;
  /** Posts in flight at once (default 8); each post's records go one after another. */
  readonly concurrency?: number;
  /** Names the topics `<id>.<kind>` and streams `streaming-<id>-<kind>`. */
  readonly pipelineId: string;
  readonly onProgress?: (progress: EmulateProgress) => void;
  /** Stops the run: no new post starts, posts in flight finish (see `graceMs`), and all is reported. */
  readonly signal?: AbortSignal;
  readonly retry?: Partial<RetryPolicy>;
  /** Longest wait for one reply (default 30 s). */
  readonly timeoutMs?: number;
  /** After an abort, how long posts in flight may take to finish before their requests are cut (default 5 s). */
  readonly graceMs?: number;
  readonly clock?: Clock;
}

/** A record that was finally not accepted, naming its post and request. */
export interface RecordFailure {
  /** The post's 1-based position in the source. */
  readonly post: number;
  /** The post's id (`index`/`ind`), as the source gave it. */
  readonly id: unknown;
  readonly kind: Kind;
  /** `POST /topics/pinlake.pin` or `PUT /streams/streaming-pinlake-pin/record`. */
  readonly request: string;
  /** Attempts made; 0 when the record was not sent because the run was aborted. */
  readonly attempts: number;
  readonly error: string;
}

/** What {@link emulatePosts} did. */
export interface EmulateSummary {
  readonly mode: EmulateMode;
  /** Posts started; every one is either complete or counted in `postsIncomplete`. */
  readonly posts: number;
  /** Posts all of whose records were accepted. */
  readonly postsComplete: number;
  /** Posts with at least one record failed or not sent; each such record is a failure. */
  readonly postsIncomplete: number;
  readonly records: { readonly sent: number; readonly failed: number };
  /** Requests by HTTP status code; `network` counts requests that got no reply. */
  readonly requests: Readonly<Record<string, number>>;
  readonly retries: number;
  /** The first ten failures, in the order they happened (`records.failed` counts them all). */
  readonly failures: readonly RecordFailure[];
  /** `end`: the source ran out; `abort`: the signal stopped it; `source-error`: the source failed. */
  readonly stoppedBy: 'end' | 'abort' | 'source-error';
  readonly sourceError: string | null;
  readonly durationMs: number;
  readonly postsPerSecond: number;
}

function targetsOf(api: string, mode: EmulateMode, pipelineId: string): Target[] {
  let base: URL;
  try {
    base = new URL(api);
  } catch (error) {
    throw new PosterError(`--api is not a URL: "${api}"`, { cause: error });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new PosterError(`--api must be an http:// or https:// URL, got "${api}"`);
  }
  const root = base.href.replace(/\/+$/, '');
  const at = (path: string) => new URL(`${root}${path}`);
  const batch = KINDS.map((kind): Target => {
    const name = topicName(pipelineId, kind);
    const path = `/topics/${encodeURIComponent(name)}`;
    return { kind, batch: true, method: 'POST', url: at(path), label: `POST ${path}`, name };
  });
  const stream = KINDS.map((kind): Target => {
    const name = streamName(pipelineId, kind);
    const path = `/streams/${encodeURIComponent(name)}/record`;
    return { kind, batch: false, method: 'PUT', url: at(path), label: `PUT ${path}`, name };
  });
  return mode === 'batch' ? batch : mode === 'stream' ? stream : [...batch, ...stream];
}

function checkCount(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new PosterError(`${name} must be a positive integer, got ${n}`);
  return n;
}

/**
 * Sends posts to a pinlake API (local or deployed) as the seed's emulation scripts do: each record
 * on its own request, batch as `POST /topics/<id>.<kind>` with `{"records":[{"value":…}]}` (REST
 * Proxy v2), stream as `PUT /streams/streaming-<id>-<kind>/record` with
 * `{"StreamName","Data","PartitionKey"}` (the post id as partition key). A post's records go in a
 * fixed order (pin, geo, user; batch before stream in `both`); up to `concurrency` posts are in
 * flight over keep-alive connections, spaced by `rate`. 5xx, 429, Kafka's retriable 50003 and
 * network errors are retried with backoff (5 attempts by default); other answers fail at once. The
 * summary accounts for every post started, including after an abort. Throws {@link PosterError}
 * only for bad settings; a failing source ends the run with `stoppedBy: 'source-error'`.
 */
export async function emulatePosts(options: EmulateOptions): Promise<EmulateSummary> {
  const targets = targetsOf(options.api, options.mode, options.pipelineId);
  const concurrency = checkCount('concurrency', options.concurrency, 8);
  const timeoutMs = checkCount('timeoutMs', options.timeoutMs, 30_000);
  if (options.rate !== undefined && !(options.rate > 0 && Number.isFinite(options.rate))) {
    throw new PosterError(`rate must be a positive number of posts per second, got ${options.rate}`);
  }
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const clock = options.clock ?? systemClock;
  const bucket = options.rate === undefined ? undefined : new TokenBucket(options.rate, undefined, clock);
  const run = new PostingRun(options, targets, policy, clock, openConnectionPool(concurrency, timeoutMs));
  const started = clock.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, () => run.work(bucket)));
  } finally {
    await run.finish();
  }
  const durationMs = clock.now() - started;
  return run.summary(durationMs);
}
