/** Produce, Fetch and ListOffsets bodies (the data path). */
import { field as f, type MessageSchema } from '../schema';

/** A partition's record batches in a Produce request. */
interface ProducePartitionData {
  readonly index: number;
  readonly records: Buffer | null;
}

/** A topic's data in a Produce request. */
interface ProduceTopicData {
  readonly name: string;
  readonly partitionData: readonly ProducePartitionData[];
}

/** Produce request. */
export interface ProduceRequest {
  readonly transactionalId?: string | null;
  readonly acks: number;
  readonly timeoutMs: number;
  readonly topicData: readonly ProduceTopicData[];
}

/** A batch the broker refused within a partition (v8+). */
interface ProduceRecordError {
  readonly batchIndex: number;
  readonly batchIndexErrorMessage: string | null;
}

/** A partition's outcome in a Produce response. */
export interface ProducePartitionResponse {
  readonly index: number;
  readonly errorCode: number;
  readonly baseOffset: bigint;
  readonly logAppendTimeMs?: bigint;
  readonly logStartOffset?: bigint;
  readonly recordErrors?: readonly ProduceRecordError[];
  readonly errorMessage?: string | null;
}

/** A topic in a Produce response. */
interface ProduceTopicResponse {
  readonly name: string;
  readonly partitionResponses: readonly ProducePartitionResponse[];
}

/** Produce response (none is sent for acks=0). */
export interface ProduceResponse {
  readonly responses: readonly ProduceTopicResponse[];
  readonly throttleTimeMs?: number;
}

/** Produce (key 0): record batches for partitions, answered with base offsets. */
export const Produce: MessageSchema<ProduceRequest, ProduceResponse> = {
  name: 'Produce',
  apiKey: 0,
  // v0-2 are listed because librdkafka enables gzip/snappy only for brokers that list them; their
  // old message formats are then refused per batch (UNSUPPORTED_FOR_MESSAGE_FORMAT).
  minVersion: 0,
  maxVersion: 11,
  flexibleFrom: 9,
  request: [
    f('transactionalId', 'string', '3+', '3+'),
    f('acks', 'int16', '0+'),
    f('timeoutMs', 'int32', '0+'),
    f(
      'topicData',
      [
        f('name', 'string', '0+'),
        f('partitionData', [f('index', 'int32', '0+'), f('records', 'records', '0+', '0+')], '0+'),
      ],
      '0+',
    ),
  ],
  response: [
    f(
      'responses',
      [
        f('name', 'string', '0+'),
        f(
          'partitionResponses',
          [
            f('index', 'int32', '0+'),
            f('errorCode', 'int16', '0+'),
            f('baseOffset', 'int64', '0+'),
            f('logAppendTimeMs', 'int64', '2+'),
            f('logStartOffset', 'int64', '5+'),
            f(
              'recordErrors',
              [f('batchIndex', 'int32', '8+'), f('batchIndexErrorMessage', 'string', '8+', '8+')],
              '8+',
            ),
            f('errorMessage', 'string', '8+', '8+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
    f('throttleTimeMs', 'int32', '1+'),
  ],
};

/** A partition to fetch from. */
interface FetchRequestPartition {
  readonly partition: number;
  readonly currentLeaderEpoch?: number;
  readonly fetchOffset: bigint;
  readonly lastFetchedEpoch?: number;
  readonly logStartOffset?: bigint;
  readonly partitionMaxBytes: number;
}

/** A topic to fetch from. */
interface FetchRequestTopic {
  readonly topic: string;
  readonly partitions: readonly FetchRequestPartition[];
}

/** Fetch request. */
export interface FetchRequest {
  readonly replicaId: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes?: number;
  readonly isolationLevel?: number;
  readonly sessionId?: number;
  readonly sessionEpoch?: number;
  readonly topics: readonly FetchRequestTopic[];
  readonly forgottenTopicsData?: readonly {
    readonly topic: string;
    readonly partitions: readonly number[];
  }[];
  readonly rackId?: string;
}

/** An aborted transaction in a Fetch response (v4+). */
interface FetchAbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** A partition's data in a Fetch response. */
export interface FetchResponsePartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly lastStableOffset?: bigint;
  readonly logStartOffset?: bigint;
  readonly abortedTransactions?: readonly FetchAbortedTransaction[] | null;
  readonly preferredReadReplica?: number;
  readonly records: Buffer | null;
}

/** A topic in a Fetch response. */
export interface FetchResponseTopic {
  readonly topic: string;
  readonly partitions: readonly FetchResponsePartition[];
}

/** Fetch response. */
export interface FetchResponse {
  readonly throttleTimeMs?: number;
  readonly errorCode?: number;
  readonly sessionId?: number;
  readonly responses: readonly FetchResponseTopic[];
}

/** Fetch (key 1): stored batches from an offset (served by the embedded broker). */
export const Fetch: MessageSchema<FetchRequest, FetchResponse> = {
  name: 'Fetch',
  apiKey: 1,
  minVersion: 0,
  maxVersion: 12,
  flexibleFrom: 12,
  request: [
    f('replicaId', 'int32', '0-14'),
    f('maxWaitMs', 'int32', '0+'),
    f('minBytes', 'int32', '0+'),
    f('maxBytes', 'int32', '3+'),
    f('isolationLevel', 'int8', '4+'),
    f('sessionId', 'int32', '7+'),
    f('sessionEpoch', 'int32', '7+'),
    f(
      'topics',
      [
        f('topic', 'string', '0-12'),
        f(
          'partitions',
          [
            f('partition', 'int32', '0+'),
            f('currentLeaderEpoch', 'int32', '9+'),
            f('fetchOffset', 'int64', '0+'),
            f('lastFetchedEpoch', 'int32', '12+'),
            f('logStartOffset', 'int64', '5+'),
            f('partitionMaxBytes', 'int32', '0+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
    f('forgottenTopicsData', [f('topic', 'string', '7-12'), f('partitions', 'int32[]', '7+')], '7+'),
    f('rackId', 'string', '11+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '7+'),
    f('sessionId', 'int32', '7+'),
    f(
      'responses',
      [
        f('topic', 'string', '0-12'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('errorCode', 'int16', '0+'),
            f('highWatermark', 'int64', '0+'),
            f('lastStableOffset', 'int64', '4+'),
            f('logStartOffset', 'int64', '5+'),
            f(
              'abortedTransactions',
              [f('producerId', 'int64', '4+'), f('firstOffset', 'int64', '4+')],
              '4+',
              '4+',
            ),
            f('preferredReadReplica', 'int32', '11+'),
            f('records', 'records', '0+', '0+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
};

/** A partition asked about in a ListOffsets request. */
interface ListOffsetsRequestPartition {
  readonly partitionIndex: number;
  readonly currentLeaderEpoch?: number;
  readonly timestamp: bigint;
  readonly maxNumOffsets?: number;
}

/** ListOffsets request. */
export interface ListOffsetsRequest {
  readonly replicaId: number;
  readonly isolationLevel?: number;
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly ListOffsetsRequestPartition[];
  }[];
}

/** A partition's offset in a ListOffsets response. */
export interface ListOffsetsResponsePartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly oldStyleOffsets?: readonly bigint[];
  readonly timestamp: bigint;
  readonly offset: bigint;
  readonly leaderEpoch?: number;
}

/** A topic in a ListOffsets response. */
export interface ListOffsetsResponseTopic {
  readonly name: string;
  readonly partitions: readonly ListOffsetsResponsePartition[];
}

/** ListOffsets response. */
export interface ListOffsetsResponse {
  readonly throttleTimeMs?: number;
  readonly topics: readonly ListOffsetsResponseTopic[];
}

/** ListOffsets (key 2): offsets by time, earliest and latest. */
export const ListOffsets: MessageSchema<ListOffsetsRequest, ListOffsetsResponse> = {
  name: 'ListOffsets',
  apiKey: 2,
  minVersion: 1,
  maxVersion: 9,
  flexibleFrom: 6,
  request: [
    f('replicaId', 'int32', '0+'),
    f('isolationLevel', 'int8', '2+'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('currentLeaderEpoch', 'int32', '4+'),
            f('timestamp', 'int64', '0+'),
            f('maxNumOffsets', 'int32', '0'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
  response: [
    f('throttleTimeMs', 'int32', '2+'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('errorCode', 'int16', '0+'),
            f('oldStyleOffsets', 'int64[]', '0'),
            f('timestamp', 'int64', '1+'),
            f('offset', 'int64', '1+'),
            f('leaderEpoch', 'int32', '4+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
};
