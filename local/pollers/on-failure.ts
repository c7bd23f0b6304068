import type { KinesisStreamEvent } from 'aws-lambda';
import type { ObjectStore } from '../../libs/storage';
import type { ShardRecord } from './kinesis-event';

/** What went wrong with a batch that is given up on. */
export interface FailedBatch {
  readonly functionName: string;
  readonly functionArn: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly records: readonly ShardRecord[];
  readonly event: KinesisStreamEvent;
  /** Invocations the batch's records went through. */
  readonly invokeCount: number;
  /** Why the last invocation failed. */
  readonly reason: string;
  readonly requestId: string;
}

/**
 * The on-failure record Lambda writes to an S3 destination for a Kinesis batch given up on after its
 * retries: request and response context, `KinesisBatchInfo` (the shard and sequence range to re-read
 * with AT_SEQUENCE_NUMBER) and, as S3 destinations get, the invocation payload itself.
 */
export function toOnFailureRecord(batch: FailedBatch, now: Date) {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  const arrival = (record: ShardRecord | undefined) =>
    record?.ApproximateArrivalTimestamp?.toISOString() ?? null;
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: now.toISOString(),
    reason: batch.reason,
    KinesisBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first?.SequenceNumber ?? null,
      endSequenceNumber: last?.SequenceNumber ?? null,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
    payload: batch.event,
  };
}

/**
 * Writes the on-failure record under `quarantine/onfailure/<function>/<yyyy-mm-dd>/` and resolves
 * its key. The name is the shard and sequence range, so writing the same batch twice (a retry after a
 * crash) replaces the same object instead of adding one.
 */
export async function writeOnFailureRecord(store: ObjectStore, batch: FailedBatch, now = new Date()) {
  const record = toOnFailureRecord(batch, now);
  const { startSequenceNumber, endSequenceNumber } = record.KinesisBatchInfo;
  const day = now.toISOString().slice(0, 10);
  const key = `quarantine/onfailure/${batch.functionName}/${day}/${batch.shardId}-${startSequenceNumber}-${endSequenceNumber}.json`;
  await store.put(key, `${JSON.stringify(record, null, 2)}\n`);
  return key;
}
