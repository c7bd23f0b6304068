/**
 * Small timing helpers shared by the benchmarks.
 */
import { performance } from 'node:perf_hooks';

/** Runs `fn` `repeat` times (after one warm-up unless `warmup` is false) and returns the fastest run in ms. */
export const bestOf = async (
  repeat: number,
  fn: () => unknown,
  { warmup = true }: { warmup?: boolean } = {},
): Promise<number> => {
  if (warmup) await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
};

/** Items per second for `count` items processed in `ms` milliseconds, rounded. */
export const perSecond = (count: number, ms: number): number => Math.round((count * 1000) / ms);

/** A ratio rounded to two decimals. */
export const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/**
 * Times several contenders fairly on a shared, busy machine: after one warm-up each, runs them in
 * turn `repeat` times (so a burst of load hits all alike) and returns each one's fastest run in ms.
 */
export const bestOfEach = async <N extends string>(
  repeat: number,
  contenders: Record<N, () => unknown>,
): Promise<Record<N, number>> => {
  const names = Object.keys(contenders) as N[];
  const best = Object.fromEntries(names.map((name) => [name, Number.POSITIVE_INFINITY])) as Record<N, number>;
  for (const name of names) await contenders[name]();
  for (let i = 0; i < repeat; i++) {
    for (const name of names) {
      const start = performance.now();
      await contenders[name]();
      best[name] = Math.min(best[name], performance.now() - start);
    }
  }
  return best;
};
