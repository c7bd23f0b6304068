/**
 * Failure on purpose: `maybeFail(step)` throws a {@link ChaosError} with the probability put in force
 * by {@link setChaos} (a function's `CHAOS` setting, or `--chaos` locally), so the retries and
 * exactly-once paths run under the same crashes Lambda can produce. Without it nothing fails.
 */
import { PinlakeError } from '../errors';

/** Thrown by {@link maybeFail} at a named step; a retry of the same work is expected to succeed. */
export class ChaosError extends PinlakeError {
  override readonly name: string = 'ChaosError';
  override readonly code: string = 'CHAOS';
  /** A retry of the same work is expected to succeed. */
  override readonly retriable: boolean = true;

  readonly step: string;

  constructor(step: string) {
    super(`chaos: failing on purpose at step "${step}"`);
    this.step = step;
  }
}

let override: { probability: number; random: () => number } | undefined;

/**
 * Sets the failure probability (and optionally the random source) for this process; `undefined` or 0
 * turns failures off. A function's runtime calls it with its `CHAOS` setting, the local stack with
 * `--chaos`.
 */
export function setChaos(probability: number | undefined, random: () => number = Math.random): void {
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new RangeError(`chaos probability must be between 0 and 1, got ${probability}`);
  }
  override = probability === undefined ? undefined : { probability, random };
}

/** The failure probability in force (0 until {@link setChaos} sets one). */
function chaosProbability(): number {
  return override?.probability ?? 0;
}

/**
 * Throws a {@link ChaosError} naming `step` with the probability in force; otherwise does nothing.
 * With probability 0 (the default) it never throws and never reads the random source.
 */
export function maybeFail(step: string): void {
  const probability = chaosProbability();
  if (probability <= 0) return;
  const random = override?.random ?? Math.random;
  if (random() < probability) throw new ChaosError(step);
}
