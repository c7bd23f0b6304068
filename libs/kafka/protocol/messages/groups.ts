/**
 * OffsetCommit and OffsetFetch bodies: a consumer group's committed offsets (transcribed from Kafka's
 * OffsetCommitRequest/Response.json and OffsetFetchRequest/Response.json; the single-group versions).
 */
import { field as f, type MessageSchema } from '../schema';

/** A partition's offset to commit. */
interface OffsetCommitRequestPartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch?: number;
  readonly committedMetadata: string | null;
}

/** OffsetCommit request. */
export interface OffsetCommitRequest {
  readonly groupId: string;
  readonly generationIdOrMemberEpoch: number;
  readonly memberId: string;
  readonly groupInstanceId?: string | null;
  readonly retentionTimeMs?: bigint;
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly OffsetCommitRequestPartition[];
  }[];
}

/** A partition's outcome in an OffsetCommit response. */
interface OffsetCommitResponsePartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
}

/** A topic in an OffsetCommit response. */
export interface OffsetCommitResponseTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitResponsePartition[];
}

/** OffsetCommit response. */
export interface OffsetCommitResponse {
  readonly throttleTimeMs?: number;
  readonly topics: readonly OffsetCommitResponseTopic[];
}

/** OffsetCommit (key 8): stores a group's next offset to read for partitions (no membership here). */
export const OffsetCommit: MessageSchema<OffsetCommitRequest, OffsetCommitResponse> = {
  name: 'OffsetCommit',
  apiKey: 8,
  minVersion: 2,
  maxVersion: 8,
  flexibleFrom: 8,
  request: [
    f('groupId', 'string', '0+'),
    f('generationIdOrMemberEpoch', 'int32', '1+'),
    f('memberId', 'string', '1+'),
    f('groupInstanceId', 'string', '7+', '7+'),
    f('retentionTimeMs', 'int64', '2-4'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('committedOffset', 'int64', '0+'),
            f('committedLeaderEpoch', 'int32', '6+'),
            f('committedMetadata', 'string', '0+', '0+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
  response: [
    f('throttleTimeMs', 'int32', '3+'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f('partitions', [f('partitionIndex', 'int32', '0+'), f('errorCode', 'int16', '0+')], '0+'),
      ],
      '0+',
    ),
  ],
};

/** A topic's partitions asked about in an OffsetFetch request. */
export interface OffsetFetchRequestTopic {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

/** OffsetFetch request; `topics` null (v2+) asks for every topic the group committed. */
export interface OffsetFetchRequest {
  readonly groupId: string;
  readonly topics: readonly OffsetFetchRequestTopic[] | null;
  readonly requireStable?: boolean;
}

/** A partition's committed offset in an OffsetFetch response. */
interface OffsetFetchResponsePartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch?: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

/** A topic in an OffsetFetch response. */
export interface OffsetFetchResponseTopic {
  readonly name: string;
  readonly partitions: readonly OffsetFetchResponsePartition[];
}

/** OffsetFetch response. */
export interface OffsetFetchResponse {
  readonly throttleTimeMs?: number;
  readonly topics: readonly OffsetFetchResponseTopic[];
  readonly errorCode?: number;
}

/** OffsetFetch (key 9): a group's committed offsets for partitions (-1 where it never committed). */
export const OffsetFetch: MessageSchema<OffsetFetchRequest, OffsetFetchResponse> = {
  name: 'OffsetFetch',
  apiKey: 9,
  minVersion: 1,
  maxVersion: 7,
  flexibleFrom: 6,
  request: [
    f('groupId', 'string', '0-7'),
    f('topics', [f('name', 'string', '0-7'), f('partitionIndexes', 'int32[]', '0-7')], '0-7', '2-7'),
    f('requireStable', 'bool', '7+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '3+'),
    f(
      'topics',
      [
        f('name', 'string', '0-7'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0-7'),
            f('committedOffset', 'int64', '0-7'),
            f('committedLeaderEpoch', 'int32', '5-7'),
            f('metadata', 'string', '0-7', '0-7'),
            f('errorCode', 'int16', '0-7'),
          ],
          '0-7',
        ),
      ],
      '0-7',
    ),
    f('errorCode', 'int16', '2-7'),
  ],
};
