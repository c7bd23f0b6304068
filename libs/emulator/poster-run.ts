import { setMaxListeners } from 'node:events';
import type { Kind } from '../records/tables';
import type { EmulateOptions, EmulateSummary, RecordFailure } from './poster';
import { type ConnectionPool, judgeReply, type Verdict } from './poster-http';
import { backoffDelay, type Clock, type RetryPolicy, type TokenBucket } from './poster-rate';
import type { SourcePost } from './sources';

/** Where one record of a post goes: a topic (batch) or a stream, its request line and URL. */
export interface Target {
  readonly kind: Kind;
  readonly batch: boolean;
  readonly method: 'POST' | 'PUT';
  readonly url: URL;
  readonly label: string;
  readonly name: string;
}

const KEPT_FAILURES = 10;
const BATCH_TYPE = 'application/vnd.kafka.json.v2+json';

/** The post's id: the pin's `index`, else a record's `ind`; undefined when none has one. */
function idOf(post: SourcePost): unknown {
  const records = post as unknown as Record<Kind, Record<string, unknown>>;
  return records.pin.index ?? records.geo.ind ?? records.user.ind;
}

/**
 * One emulation run, shared by its workers (internal to `emulatePosts`): reads the source one post
 * at a time, sends each post's records in order with retries, and keeps the tallies the summary
 * reports. An abort of `options.signal` stops new posts at once and cuts requests after `graceMs`.
 */
export class PostingRun {
  private readonly iterator: AsyncIterator<SourcePost> | Iterator<SourcePost>;
  private pulling: Promise<unknown> = Promise.resolve();
  private exhausted = false;
  private sourceError: string | null = null;
  private readonly hard = new AbortController();
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted with the caller's signal; workers wait on it, so it carries one listener per worker. */
  private readonly softController = new AbortController();
  private readonly soft = this.softController.signal;
  private readonly onAbort = () => {
    this.softController.abort();
    this.graceTimer = setTimeout(() => this.hard.abort(), this.options.graceMs ?? 5000);
  };
  private pulled = 0;
  private posts = 0;
  private postsComplete = 0;
  private recordsSent = 0;
  private recordsFailed = 0;
  private retries = 0;
  private readonly requests: Record<string, number> = {};
  private readonly failures: RecordFailure[] = [];

  constructor(
    private readonly options: EmulateOptions,
    private readonly targets: readonly Target[],
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly pool: ConnectionPool,
  ) {
    const source = options.source;
    this.iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    // Every request in flight listens on `hard` and every waiting worker on `soft`: no leak, by design.
    setMaxListeners(0, this.hard.signal, this.soft);
    if (options.signal?.aborted) this.onAbort();
    else options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** One worker: takes posts from the source one at a time until it runs out or the run stops. */
  async work(bucket: TokenBucket | undefined): Promise<void> {
    while (!this.exhausted && this.sourceError === null && !this.soft.aborted) {
      const next = await this.pull();
      if (next === undefined) return;
      await bucket?.acquire(this.soft);
      if (this.soft.aborted) return;
      this.posts++;
      await this.sendPost(next.post, next.position);
    }
  }

  // Source reads are serialised, so posts are numbered in source order.
  private pull(): Promise<{ post: SourcePost; position: number } | undefined> {
    const next = this.pulling.then(async () => {
      if (this.exhausted || this.sourceError !== null || this.soft.aborted) return undefined;
      try {
        const result = await this.iterator.next();
        if (result.done) this.exhausted = true;
        return result.done ? undefined : { post: result.value, position: ++this.pulled };
      } catch (error) {
        this.sourceError = error instanceof Error ? error.message : String(error);
        return undefined;
      }
    });
    this.pulling = next;
    return next;
  }

  private async sendPost(post: SourcePost, position: number): Promise<void> {
    const id = idOf(post);
    const partitionKey = typeof id === 'number' || typeof id === 'string' ? String(id) : `post-${position}`;
    let complete = true;
    for (const target of this.targets) {
      const record = post[target.kind];
      const failure = this.hard.signal.aborted
        ? { attempts: 0, error: 'not sent: the run was aborted' }
        : await this.sendRecord(target, record, partitionKey);
      if (failure === undefined) {
        this.recordsSent++;
        continue;
      }
      complete = false;
      this.recordsFailed++;
      if (this.failures.length < KEPT_FAILURES) {
        this.failures.push({ post: position, id, kind: target.kind, request: target.label, ...failure });
      }
    }
    if (complete) this.postsComplete++;
    this.options.onProgress?.({
      posts: this.posts,
      postsComplete: this.postsComplete,
      recordsSent: this.recordsSent,
      recordsFailed: this.recordsFailed,
    });
  }

  /** Sends one record with retries; undefined when it was accepted, else what finally went wrong. */
  private async sendRecord(target: Target, record: object, partitionKey: string) {
    const body = target.batch
      ? JSON.stringify({ records: [{ value: record }] })
      : JSON.stringify({ StreamName: target.name, Data: record, PartitionKey: partitionKey });
    const headers: Record<string, string> = {
      'Content-Type': target.batch ? BATCH_TYPE : 'application/json',
      Accept: 'application/json',
      ...(this.options.apiKey === undefined ? {} : { 'x-api-key': this.options.apiKey }),
    };
    for (let attempt = 1; ; attempt++) {
      let verdict: Verdict;
      let retryAfterMs: number | undefined;
      try {
        const reply = await this.pool.send(target.method, target.url, headers, body, this.hard.signal);
        this.count(String(reply.status));
        verdict = judgeReply(target.batch, reply);
        retryAfterMs = reply.retryAfterMs;
      } catch (error) {
        this.count('network');
        verdict = { ok: false, retry: true, error: error instanceof Error ? error.message : String(error) };
      }
      if (verdict.ok) return undefined;
      if (!verdict.retry || attempt >= this.policy.maxAttempts)
        return { attempts: attempt, error: verdict.error };
      if (this.soft.aborted)
        return { attempts: attempt, error: `${verdict.error} (not retried: the run was aborted)` };
      this.retries++;
      await this.clock.sleep(backoffDelay(this.policy, attempt, Math.random(), retryAfterMs), this.soft);
    }
  }

  private count(key: string): void {
    this.requests[key] = (this.requests[key] ?? 0) + 1;
  }

  /** Closes the source (a MySQL connection, a file) and the connection pool. */
  async finish(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    clearTimeout(this.graceTimer);
    this.pool.close();
    await this.pulling.catch(() => undefined);
    try {
      await this.iterator.return?.();
    } catch {
      // The source's own clean-up failing does not change what was sent.
    }
  }

  summary(durationMs: number): EmulateSummary {
    const stoppedBy = this.sourceError !== null ? 'source-error' : this.exhausted ? 'end' : 'abort';
    return {
      mode: this.options.mode,
      posts: this.posts,
      postsComplete: this.postsComplete,
      postsIncomplete: this.posts - this.postsComplete,
      records: { sent: this.recordsSent, failed: this.recordsFailed },
      requests: Object.fromEntries(Object.entries(this.requests).sort(([a], [b]) => a.localeCompare(b))),
      retries: this.retries,
      failures: this.failures,
      stoppedBy,
      sourceError: this.sourceError,
      durationMs: Math.round(durationMs),
      postsPerSecond: durationMs > 0 ? Math.round((this.posts * 1000 * 10) / durationMs) / 10 : 0,
    };
  }
}
