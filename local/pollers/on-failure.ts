import { onFailureKey } from '../../libs/lake';
import type { ObjectStore } from '../../libs/storage';
import type { BatchInfo } from './event-source';

/** Why Lambda gave up on records: its retries ran out, or the records grew older than the maximum age. */
export type GiveUpCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** A batch given up on, as the on-failure destination receives it. */
export interface FailedBatch {
  readonly functionName: string;
  readonly functionArn: string;
  readonly condition: GiveUpCondition;
  /** The source's description of the records (shard and sequence range, or topic-partition and offsets). */
  readonly batch: BatchInfo;
  /** The invocation payload: the event of the records given up on. */
  readonly event: unknown;
  /** Invocations the records went through. */
  readonly invokeCount: number;
  /** Why the last invocation failed, or why the records were not invoked. */
  readonly reason: string;
  readonly requestId: string;
}

/**
 * The on-failure record Lambda writes to an S3 destination for a batch of a stream or topic it gave up
 * on: request and response context, the source's batch info (`KinesisBatchInfo`: the shard and
 * sequence range to re-read; `KafkaBatchInfo`: the topic-partition and offsets) and, as S3
 * destinations get, the invocation payload itself.
 */
function toOnFailureRecord(failed: FailedBatch, now: Date) {
  return {
    requestContext: {
      requestId: failed.requestId,
      functionArn: failed.functionArn,
      condition: failed.condition,
      approximateInvokeCount: failed.invokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: now.toISOString(),
    reason: failed.reason,
    [failed.batch.field]: failed.batch.info,
    payload: failed.event,
  };
}

/**
 * Writes the on-failure record under `quarantine/onfailure/<function>/<yyyy-mm-dd>/<name>.json` and
 * resolves its key. The name is the shard or partition and the record range, so writing the same batch
 * twice (a retry after a crash) replaces the same object instead of adding one.
 */
export async function writeOnFailureRecord(store: ObjectStore, failed: FailedBatch, now = new Date()) {
  const key = onFailureKey(failed.functionName, now, failed.batch.name);
  await store.put(key, `${JSON.stringify(toOnFailureRecord(failed, now), null, 2)}\n`);
  return key;
}
