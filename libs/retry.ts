/**
 * Waiting between attempts, the one way: a pause (Node's promise timer) and the exponential backoff
 * every retry loop uses, capped, with jitter so that many clients retrying together spread out.
 */
export { setTimeout as pause } from 'node:timers/promises';

/** How an exponential backoff grows. */
export interface Backoff {
  /** The delay before the second attempt, before jitter. */
  readonly baseMs: number;
  /** No delay is longer. */
  readonly maxMs: number;
  /**
   * `full` (default): uniform in [0, delay), the spread that best keeps racing clients apart.
   * `equal`: half fixed, half random, for a client that must also wait at least some time.
   */
  readonly jitter?: 'full' | 'equal';
}

/**
 * The delay before attempt `attempt + 1` after `attempt` (from 1) failed: `baseMs · 2^(attempt-1)`,
 * capped at `maxMs`, jittered with `random` in [0, 1); never shorter than `atLeastMs` (a server's
 * `Retry-After`), never longer than `maxMs`.
 */
export function backoffDelay(
  backoff: Backoff,
  attempt: number,
  random: number = Math.random(),
  atLeastMs = 0,
): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered =
    backoff.jitter === 'equal' ? exponential / 2 + (exponential / 2) * random : exponential * random;
  return Math.min(backoff.maxMs, Math.max(jittered, atLeastMs));
}
