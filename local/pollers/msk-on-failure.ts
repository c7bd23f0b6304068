import type { MSKEvent } from 'aws-lambda';
import type { ObjectStore } from '../../libs/storage';
import type { StoredRecord } from '../kafka';

/** An MSK batch given up on after its retries. */
export interface FailedMskBatch {
  readonly functionName: string;
  readonly functionArn: string;
  readonly clusterArn: string;
  readonly bootstrapServers: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly StoredRecord[];
  readonly event: MSKEvent;
  /** Invocations the batch's records went through. */
  readonly invokeCount: number;
  /** Why the last invocation failed. */
  readonly reason: string;
  readonly requestId: string;
}

/**
 * The on-failure record Lambda writes to an S3 destination for a Kafka batch it gave up on: request
 * and response context, `KafkaBatchInfo` (the topic-partition and offset range to re-read) and, as
 * S3 destinations get, the invocation payload itself.
 */
export function toMskOnFailureRecord(batch: FailedMskBatch, now: Date) {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
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
    KafkaBatchInfo: {
      batchSize: batch.records.length,
      eventSourceArn: batch.clusterArn,
      bootstrapServers: batch.bootstrapServers,
      topic: batch.topic,
      partition: batch.partition,
      firstRecordOffset: first?.offset ?? null,
      lastRecordOffset: last?.offset ?? null,
      firstRecordTimestamp: first?.timestamp ?? null,
      lastRecordTimestamp: last?.timestamp ?? null,
    },
    payload: batch.event,
  };
}

/**
 * Writes the on-failure record under `quarantine/onfailure/<function>/<yyyy-mm-dd>/` and resolves its
 * key, `<topic>-<partition>-<first offset>-<last offset>.json`, so writing the same batch twice (a
 * retry after a crash) replaces the same object.
 */
export async function writeMskOnFailureRecord(store: ObjectStore, batch: FailedMskBatch, now = new Date()) {
  const record = toMskOnFailureRecord(batch, now);
  const { firstRecordOffset, lastRecordOffset } = record.KafkaBatchInfo;
  const day = now.toISOString().slice(0, 10);
  const key = `quarantine/onfailure/${batch.functionName}/${day}/${batch.topic}-${batch.partition}-${firstRecordOffset}-${lastRecordOffset}.json`;
  await store.put(key, `${JSON.stringify(record, null, 2)}\n`);
  return key;
}
