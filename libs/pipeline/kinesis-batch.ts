/**
 * A Kinesis event as the stream path sees it: one shard of one stream, and its records with their
 * sequence numbers as big integers, their bytes and their arrival times.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { KinesisBatchError } from './errors';

/** One record of a Kinesis batch, decoded from the event. */
export interface KinesisBatchRecord {
  /** The sequence number as Kinesis gives it (a decimal string, up to 128 bits). */
  readonly sequenceNumber: string;
  /** The same number, for comparisons. */
  readonly sequence: bigint;
  /** The record's data, decoded from base64. */
  readonly bytes: Buffer;
  /** `approximateArrivalTimestamp`, in milliseconds since the epoch. */
  readonly arrivalMs: number;
}

/** A Kinesis batch: the records of one shard of one stream, in event order. */
export interface KinesisBatch {
  readonly stream: string;
  readonly shardId: string;
  readonly records: readonly KinesisBatchRecord[];
}

/** The stream name an event source ARN names: `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
export function streamOfArn(arn: string): string | undefined {
  const match = /^arn:[^:]*:kinesis:[^:]*:[^:]*:stream\/([^/]+)$/.exec(arn);
  return match?.[1];
}

/**
 * Reads a Kinesis event into a {@link KinesisBatch}. Throws a {@link KinesisBatchError} when the
 * event is empty, when a record's ARN or event id cannot be read, or when the records come from
 * more than one stream or shard (Lambda never mixes them).
 */
export function readKinesisBatch(event: KinesisStreamEvent): KinesisBatch {
  const first = event.Records?.[0];
  if (first === undefined) throw new KinesisBatchError('the Kinesis event has no records');
  const stream = streamOfArn(first.eventSourceARN);
  if (stream === undefined) {
    throw new KinesisBatchError(
      `record ${first.eventID}: cannot read a stream name from ${first.eventSourceARN}`,
    );
  }
  const shardId = shardOf(first.eventID);
  const records = event.Records.map((record): KinesisBatchRecord => {
    const { kinesis } = record;
    if (record.eventSourceARN !== first.eventSourceARN || shardOf(record.eventID) !== shardId) {
      throw new KinesisBatchError(
        `record ${record.eventID} is not from ${stream}/${shardId} like the rest of the batch`,
      );
    }
    let sequence: bigint;
    try {
      sequence = BigInt(kinesis.sequenceNumber);
    } catch (error) {
      throw new KinesisBatchError(
        `record ${record.eventID}: sequence number ${kinesis.sequenceNumber} is not an integer`,
        {
          cause: error,
        },
      );
    }
    return {
      sequenceNumber: kinesis.sequenceNumber,
      sequence,
      bytes: Buffer.from(kinesis.data, 'base64'),
      arrivalMs: Math.round(kinesis.approximateArrivalTimestamp * 1000),
    };
  });
  return { stream, shardId, records };
}

function shardOf(eventId: string): string {
  const at = eventId.indexOf(':');
  if (at <= 0) throw new KinesisBatchError(`event id ${eventId} does not start with a shard id`);
  return eventId.slice(0, at);
}
