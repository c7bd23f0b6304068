import type { Context } from 'aws-lambda';
import { ChaosError } from '../../libs/chaos';
import { createLambdaContext } from '../pollers';

/** A scheduled function: an EventBridge event in, a summary out. */
export type ScheduledHandler<R> = (event: Record<string, never>, context: Context) => Promise<R>;

/** Raised when a scheduled function still fails after its attempts; names the function. */
export class ScheduledRunError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScheduledRunError';
  }
}

/**
 * Runs a scheduled function now, as its EventBridge rule would, and resolves its answer. A failure
 * on purpose ({@link ChaosError}) is retried, up to `maxAttempts` invocations in all (the scheduled
 * jobs resume from their last commit, so a retry is safe); any other failure rejects at once.
 */
export async function runScheduled<R>(
  functionName: string,
  handler: ScheduledHandler<R>,
  maxAttempts: number,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const context = createLambdaContext({ functionName, timeoutMs: 900_000 });
    try {
      return await handler({}, context);
    } catch (error) {
      if (error instanceof ChaosError && attempt < maxAttempts) continue;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ScheduledRunError(`${functionName} failed on attempt ${attempt}: ${reason}`, {
        cause: error,
      });
    }
  }
}
