import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { BatchOutcome } from './event-source';

/** Where a batch comes from: the names every record of a Kinesis event carries. */
export interface EventSource {
  readonly streamArn: string;
  readonly shardId: string;
  readonly region: string;
  /** The role the function runs as (`invokeIdentityArn`). */
  readonly roleArn: string;
}

/** A record read from a shard, with the fields an event needs. */
export interface ShardRecord {
  readonly SequenceNumber: string;
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
  readonly ApproximateArrivalTimestamp?: Date | undefined;
}

/**
 * The Kinesis event Lambda hands a function for a batch of one shard's records: `eventID`
 * `shardId-…:<sequence number>`, data base64, `approximateArrivalTimestamp` in epoch seconds.
 */
export function toKinesisEvent(records: readonly ShardRecord[], source: EventSource): KinesisStreamEvent {
  return { Records: records.map((record) => toEventRecord(record, source)) };
}

function toEventRecord(record: ShardRecord, source: EventSource): KinesisStreamRecord {
  const arrival = record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey,
      sequenceNumber: record.SequenceNumber,
      data: Buffer.from(record.Data).toString('base64'),
      approximateArrivalTimestamp: arrival / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${source.shardId}:${record.SequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.roleArn,
    awsRegion: source.region,
    eventSourceARN: source.streamArn,
  };
}

/**
 * Reads a handler's answer as Lambda does. Without ReportBatchItemFailures any answer is success.
 * With it: no answer, no `batchItemFailures` or an empty list is success; a list of valid
 * `itemIdentifier`s is a partial failure at the lowest one; an empty, missing or unknown identifier,
 * or a list that is not a list, fails the whole batch.
 */
export function interpretResponse(
  response: unknown,
  sequenceNumbers: readonly string[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!reportBatchItemFailures || response === undefined || response === null) return { kind: 'success' };
  if (typeof response !== 'object') return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'error', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const positions = new Map(sequenceNumbers.map((sequence, index) => [sequence, index]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' ? positions.get(id) : undefined;
    if (index === undefined) {
      return {
        kind: 'error',
        reason: `batchItemFailures names ${JSON.stringify(id)}, not a record of the batch`,
      };
    }
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', failedIndex: lowest };
}
