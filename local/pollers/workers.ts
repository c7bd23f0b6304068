import { pause } from '../../libs/retry';
import { PollerError } from './errors';
import type { SourceWorker } from './source-worker';

/** The running workers of one mapping: every shard or every partition of one stream or topic. */
export interface RunningWorkers {
  /** Resolves once every worker has caught up since the call; rejects with a {@link PollerError} after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  /** Stops reading (after the invocations under way) and resolves when every worker has ended. */
  stop(): Promise<void>;
}

/** Runs `workers` until stopped; `what` names the stream or topic in errors. */
export function runWorkers<R, E>(workers: readonly SourceWorker<R, E>[], what: string): RunningWorkers {
  const abort = new AbortController();
  const loops = workers.map((worker) => worker.run(abort.signal));
  return {
    drain: (timeoutMs) => waitCaughtUp(workers, what, timeoutMs),
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

// Polls the workers' state (cheap, in memory) until each has caught up since the call, or times out.
async function waitCaughtUp<R, E>(workers: readonly SourceWorker<R, E>[], what: string, timeoutMs: number) {
  const since = Date.now();
  const deadline = since + timeoutMs;
  const caughtUp = () =>
    workers.every((w) => w.closed || (w.caughtUpAt !== undefined && w.caughtUpAt >= since));
  while (!caughtUp()) {
    if (Date.now() > deadline) throw new PollerError(`${what} did not drain within ${timeoutMs} ms`);
    await pause(5);
  }
}
