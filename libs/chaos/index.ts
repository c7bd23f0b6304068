/**
 * Failure on purpose: `maybeFail(step)` throws a {@link ChaosError} with the configured probability,
 * so the retries and exactly-once paths run under the same crashes Lambda can produce.
 */
import { getConfig } from '../config';

/** Thrown by {@link maybeFail} at a named step; a retry of the same work is expected to succeed. */
export class ChaosError extends Error {
  readonly step: string;

  constructor(step: string) {
    super(`chaos: failing on purpose at step "${step}"`);
    this.name = 'ChaosError';
    this.step = step;
  }
}

let override: { probability: number; random: () => number } | undefined;

/**
 * Sets the failure probability (and optionally the random source) for this process, replacing the
 * `CHAOS` setting; `undefined` goes back to the configuration. The local stack calls this for `--chaos`.
 */
export function setChaos(probability: number | undefined, random: () => number = Math.random): void {
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new RangeError(`chaos probability must be between 0 and 1, got ${probability}`);
  }
  override = probability === undefined ? undefined : { probability, random };
}

/** The failure probability in force: the {@link setChaos} override, else the `CHAOS` setting. */
export function chaosProbability(): number {
  return override?.probability ?? getConfig().chaos;
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
