/** Time as the poster sees it: a clock and an abortable sleep, injected by tests. */
import { backoffDelay as exponentialDelay } from '../retry';
export interface Clock {
  /** Milliseconds from an arbitrary origin, never going back. */
  now(): number;
  /** Resolves after `ms` milliseconds, or at once when `signal` is (or becomes) aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()` and timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * A token bucket that spaces posts to `rate` per second, allowing bursts of `capacity` (default a
 * tenth of a second's worth, at least 1, so timer jitter does not lower the rate). Each
 * {@link TokenBucket.take} reserves the next token, even one that has not been earned yet, so
 * concurrent callers queue in call order and the long-run rate never exceeds `rate`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly capacity: number = Math.max(1, Math.floor(rate / 10)),
    private readonly clock: Clock = systemClock,
  ) {
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new RangeError(`rate must be a positive number, got ${rate}`);
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Reserves one token and returns how many milliseconds to wait before using it (0: use it now). */
  take(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.rate;
  }

  /** Waits for a token (returns early when `signal` aborts). */
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.take();
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
}

/** Settings of the retry of one record. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts: number;
  /** Delay before the second attempt; it doubles each time (default 100 ms). */
  readonly baseDelayMs: number;
  /** Longest delay between attempts, a `Retry-After` included (default 5 s). */
  readonly maxDelayMs: number;
}

/** The default {@link RetryPolicy}: 5 attempts, 100 ms doubling up to 5 s. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * The delay before attempt `attempt + 1` after `attempt` failed: exponential with "equal jitter"
 * (half fixed, half random, `random` in [0, 1)), at least a server's `Retry-After`, at most the cap.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: number,
  retryAfterMs?: number,
): number {
  const backoff = { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: 'equal' } as const;
  return exponentialDelay(backoff, attempt, random, retryAfterMs ?? 0);
}
