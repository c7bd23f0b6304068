import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { TaskTimedOutError } from './errors';

/** What to call the function and how long it may run. */
export interface LambdaContextOptions {
  readonly functionName: string;
  readonly region?: string;
  readonly accountId?: string;
  /** The function's timeout (default 30 s): `getRemainingTimeInMillis` counts down from it. */
  readonly timeoutMs?: number;
  readonly memoryLimitInMB?: number;
  /** The invocation's request id (default a fresh UUID). */
  readonly awsRequestId?: string;
}

/**
 * A Lambda `Context` for one in-process invocation, shaped like the real one (names, ARN, log
 * group, a countdown from the timeout), so handlers and middlewares (middy, Powertools) run unchanged.
 */
export function createLambdaContext(options: LambdaContextOptions): Context {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const name = options.functionName;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 1024),
    awsRequestId: options.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * Resolves as `work` does, or rejects with a {@link TaskTimedOutError} after `ms`, as Lambda ends an
 * invocation at its timeout (the in-process handler cannot be killed, only abandoned).
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TaskTimedOutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
