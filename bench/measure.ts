/**
 * Small timing helpers shared by the benchmarks.
 */
import { execFileSync } from 'node:child_process';
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

/** The median of some numbers (the mean of the middle two for an even count). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Times contenders taking turns, as {@link bestOfEach} does (`warmups` warm-up rounds, then `rounds`
 * rounds in which each runs once), and returns every round's wall time and CPU time (this process, all
 * threads: in-process DuckDB included) in ms per contender, so the caller can take medians and ranges
 * instead of a lucky best run, and the warm-up rounds' wall times apart. CPU time varies much less than
 * wall time when other processes share the cores. `before` runs ahead of each round, untimed.
 */
export const roundsOfEach = async <N extends string>(
  rounds: number,
  contenders: Record<N, () => unknown>,
  before: () => unknown = () => {},
  warmups = 1,
): Promise<{ wall: Record<N, number[]>; cpu: Record<N, number[]>; warmupWall: Record<N, number[]> }> => {
  const names = Object.keys(contenders) as N[];
  const empty = () => Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<N, number[]>;
  const wall = empty();
  const cpu = empty();
  const warmupWall = empty();
  for (let i = 0; i < warmups + rounds; i++) {
    await before();
    for (const name of names) {
      const startCpu = process.cpuUsage();
      const start = performance.now();
      await contenders[name]();
      const ms = performance.now() - start;
      if (i < warmups) {
        warmupWall[name].push(ms);
        continue;
      }
      wall[name].push(ms);
      const used = process.cpuUsage(startCpu);
      cpu[name].push((used.user + used.system) / 1000);
    }
  }
  return { wall, cpu, warmupWall };
};

/**
 * Runs `fn` with this process and every process it starts on one core (`taskset`, Linux), then gives
 * the process back the cores it had. Both contenders of a comparison then share that core: on this
 * project's machine the two virtual cores take turns being slowed by their neighbours for seconds at a
 * time, which moved a run's ratio by ±0.3 when each side could land on either core; on one core such a
 * spell slows both alike. It is also the shape of the deployed functions' CPU (a 1,024 MB Lambda has
 * less than one core) and of DuckDB's `threads=1`: V8's and DuckDB's helper threads share the core too.
 * `pinned` is false where `taskset` is missing or refused (the run is then on every core).
 */
export const onOneCore = async <T>(
  fn: () => Promise<T>,
  core = Number(process.env.BENCH_CORE ?? 0),
): Promise<{ value: T; pinned: boolean }> => {
  const pid = String(process.pid);
  let previous: string | undefined;
  try {
    const shown = execFileSync('taskset', ['-c', '-p', pid], { encoding: 'utf8' });
    previous = /:\s*([\d,-]+)\s*$/.exec(shown.trim())?.[1];
    if (previous !== undefined)
      execFileSync('taskset', ['-a', '-c', '-p', String(core), pid], { stdio: 'ignore' });
  } catch {
    previous = undefined;
  }
  try {
    return { value: await fn(), pinned: previous !== undefined };
  } finally {
    if (previous !== undefined)
      execFileSync('taskset', ['-a', '-c', '-p', previous, pid], { stdio: 'ignore' });
  }
};
