import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { ChaosError } from '../../libs/chaos';
import { onFailureFolder, onFailureKey } from '../../libs/lake';
import type { ObjectStore } from '../../libs/storage';
import { createLambdaContext } from '../pollers';
import { ScheduledRunError } from './errors';

/** A scheduled function: an EventBridge event in, a summary out. */
export type ScheduledHandler<R> = (event: Record<string, never>, context: Context) => Promise<R>;

/**
 * Runs a scheduled function now, as its EventBridge rule would, and resolves its answer. A failure
 * on purpose ({@link ChaosError}) is retried, up to `maxAttempts` invocations in all (the scheduled
 * jobs resume from their last commit, so a retry is safe); any other failure rejects at once. When
 * it gives up, the asynchronous invocation record goes to `onFailure` (the function's on-failure
 * destination, written with its role) under `quarantine/onfailure/<function>/<day>/`, as Lambda
 * writes it to an S3 destination.
 */
export async function runScheduled<R>(
  functionName: string,
  handler: ScheduledHandler<R>,
  maxAttempts: number,
  onFailure?: ObjectStore,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const context = createLambdaContext({ functionName, timeoutMs: 900_000 });
    try {
      return await handler({}, context);
    } catch (error) {
      if (error instanceof ChaosError && attempt < maxAttempts) continue;
      const reason = error instanceof Error ? error.message : String(error);
      const failure = new ScheduledRunError(`${functionName} failed on attempt ${attempt}: ${reason}`, {
        cause: error,
      });
      if (onFailure) await writeInvocationRecord(onFailure, functionName, context, attempt, error);
      throw failure;
    }
  }
}

// Lambda's invocation record for an asynchronous invocation that failed all its attempts.
async function writeInvocationRecord(
  store: ObjectStore,
  functionName: string,
  context: Context,
  attempts: number,
  error: unknown,
): Promise<void> {
  const now = new Date();
  const requestId = context.awsRequestId || randomUUID();
  const record = {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId,
      functionArn: `${context.invokedFunctionArn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: attempts,
    },
    requestPayload: {},
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: error instanceof Error ? error.name : 'Error',
      errorMessage: error instanceof Error ? error.message : String(error),
    },
  };
  const folder = onFailureFolder(functionName, now);
  // Lambda's S3 destination needs s3:ListBucket on the bucket as well as s3:PutObject.
  await store.list(folder);
  await store.put(onFailureKey(functionName, now, requestId), `${JSON.stringify(record)}\n`);
}
