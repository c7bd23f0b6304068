/**
 * The streaming API's operations on Kinesis: what each route does once its request is validated.
 * Replies keep Kinesis' own field names, as the seed's API Gateway–Kinesis integration returns them.
 */
import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { NotFoundError, TooManyRequestsError } from '../http';
import {
  type PutRecordsOutcome,
  putRecordsWithRetry,
  type RecordEntry,
  type RetryOptions,
} from './put-records';

/** The reply of `PUT /streams/{stream}/record`. */
export interface PutRecordReply {
  readonly SequenceNumber: string;
  readonly ShardId: string;
}

/** The reply of `GET /streams`: the pipeline's streams that exist. */
export interface ListStreamsReply {
  readonly StreamNames: string[];
  readonly HasMoreStreams: false;
}

/** The reply of `GET /streams/{stream}`. */
export interface DescribeStreamReply {
  readonly StreamDescriptionSummary: {
    readonly StreamName: string;
    readonly StreamARN: string;
    readonly StreamStatus: string;
    readonly RetentionPeriodHours: number;
    /** ISO 8601. */
    readonly StreamCreationTimestamp: string | null;
    readonly OpenShardCount: number;
    readonly EncryptionType: string;
  };
}

/** Puts one record; resolves where it landed. Kinesis errors become 404/429 (see {@link withKinesisErrors}). */
export async function putOneRecord(
  client: KinesisClient,
  stream: string,
  entry: RecordEntry,
): Promise<PutRecordReply> {
  const output = await withKinesisErrors(stream, () =>
    client.send(new PutRecordCommand({ StreamName: stream, ...entry })),
  );
  return { SequenceNumber: output.SequenceNumber ?? '', ShardId: output.ShardId ?? '' };
}

/** Puts many records with partial failures retried; resolves the PutRecords result in request order. */
export function putManyRecords(
  client: KinesisClient,
  stream: string,
  entries: readonly RecordEntry[],
  retry: RetryOptions,
): Promise<PutRecordsOutcome> {
  return withKinesisErrors(stream, () => putRecordsWithRetry(client, stream, entries, retry));
}

/** Lists which of `streams` exist in Kinesis, in the given order. */
export async function listExistingStreams(
  client: KinesisClient,
  streams: readonly string[],
): Promise<ListStreamsReply> {
  const existing = new Set<string>();
  let start: string | undefined;
  for (;;) {
    const page = await client.send(new ListStreamsCommand({ ExclusiveStartStreamName: start, Limit: 100 }));
    const names = page.StreamNames ?? [];
    for (const name of names) existing.add(name);
    if (!page.HasMoreStreams || names.length === 0) break;
    start = names[names.length - 1];
  }
  return { StreamNames: streams.filter((name) => existing.has(name)), HasMoreStreams: false };
}

/** Describes one stream (DescribeStreamSummary). A stream that does not exist becomes a 404. */
export async function describeOneStream(client: KinesisClient, stream: string): Promise<DescribeStreamReply> {
  const output = await withKinesisErrors(stream, () =>
    client.send(new DescribeStreamSummaryCommand({ StreamName: stream })),
  );
  const summary = output.StreamDescriptionSummary;
  return {
    StreamDescriptionSummary: {
      StreamName: summary?.StreamName ?? stream,
      StreamARN: summary?.StreamARN ?? '',
      StreamStatus: summary?.StreamStatus ?? 'UNKNOWN',
      RetentionPeriodHours: summary?.RetentionPeriodHours ?? 0,
      StreamCreationTimestamp: summary?.StreamCreationTimestamp?.toISOString() ?? null,
      OpenShardCount: summary?.OpenShardCount ?? 0,
      EncryptionType: summary?.EncryptionType ?? 'NONE',
    },
  };
}

/**
 * Runs a Kinesis call, turning the errors a caller can act on into HTTP errors: a missing stream into
 * a 404 naming it, throttling into a 429. Anything else is rethrown (and becomes a 500).
 */
async function withKinesisErrors<T>(stream: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'ResourceNotFoundException') {
      throw new NotFoundError(`stream "${stream}" does not exist in Kinesis`, { cause: error });
    }
    if (name === 'ProvisionedThroughputExceededException' || name === 'LimitExceededException') {
      throw new TooManyRequestsError(`stream "${stream}" is over its throughput; retry later`, {
        cause: error,
      });
    }
    throw error;
  }
}
