/**
 * A small Kafka consumer for one reader per partition: topic layout from Metadata, offsets from
 * ListOffsets, records from Fetch, and a consumer group's committed offsets with OffsetFetch and
 * OffsetCommit, over the same connections, versions and SASL/OAUTHBEARER as the producer. It keeps no
 * group membership (no JoinGroup/SyncGroup): the caller owns its partitions, as Lambda's event
 * source mapping does, and the single-node brokers it is used against coordinate every group.
 */
import { Cluster } from './cluster';
import { errorCodeName, KafkaResponseError } from './errors';
import { ErrorCode } from './protocol/errors';
import * as M from './protocol/messages';
import { type OffsetRecord, recordsFrom } from './protocol/record-batch';

/** How a {@link KafkaConsumer} reaches its cluster. */
export interface KafkaConsumerOptions {
  readonly clientId: string;
  /** The bootstrap brokers as host:port. */
  readonly bootstrap: readonly string[];
  /** TLS to the brokers; default false. */
  readonly tls?: boolean;
  /** Signs an OAUTHBEARER token (MSK IAM) for each new connection; without it no SASL. */
  readonly token?: () => Promise<string>;
  /** Limit for connecting and for each request, in milliseconds; default 10,000. */
  readonly timeoutMs?: number;
}

/** Which end of a partition {@link KafkaConsumer.listOffset} asks for. */
export type OffsetSpec = 'earliest' | 'latest';

/** A topic of a reply: `name` in most APIs, `topic` in Fetch. */
interface ReplyTopic<P> {
  readonly name?: string | null;
  readonly topic?: string;
  readonly partitions: readonly P[];
}

/** A partition of a reply: every one the consumer reads carries an index and an error code. */
interface ReplyPartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
}

/** Reads partitions and keeps a group's offsets; every failure is a Kafka*Error naming the partition. */
export class KafkaConsumer {
  private readonly cluster: Cluster;

  constructor(options: KafkaConsumerOptions) {
    this.cluster = new Cluster({
      clientId: options.clientId,
      bootstrap: async () => options.bootstrap,
      tls: options.tls ?? false,
      ...(options.token ? { token: options.token } : {}),
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  /** The number of partitions of `topic`; throws UnknownTopicError when the cluster has no such topic. */
  async partitionCount(topic: string): Promise<number> {
    return (await this.cluster.topic(topic)).partitions;
  }

  /** The first offset the partition holds (`earliest`) or the offset its next record will get (`latest`). */
  async listOffset(topic: string, partition: number, spec: OffsetSpec): Promise<number> {
    const connection = await this.cluster.leader(topic, partition);
    const reply = await connection.request(M.ListOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: topic,
          partitions: [
            { partitionIndex: partition, currentLeaderEpoch: -1, timestamp: spec === 'latest' ? -1n : -2n },
          ],
        },
      ],
    });
    const answer = this.partitionOf(reply.topics, undefined, 'ListOffsets', topic, partition);
    return Number(answer.offset);
  }

  /**
   * The records of the partition from `offset` on, as many as the broker sends within `maxBytes` (at
   * least the first whole batch), at most `maxRecords`; none when `offset` is the end of the log.
   */
  async fetch(topic: string, partition: number, offset: number, maxBytes: number, maxRecords: number) {
    const connection = await this.cluster.leader(topic, partition);
    const reply = await connection.request(M.Fetch, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic,
          partitions: [
            {
              partition,
              currentLeaderEpoch: -1,
              fetchOffset: BigInt(offset),
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: maxBytes,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const answer = this.partitionOf(reply.responses, reply.errorCode, 'Fetch', topic, partition);
    const where = `Fetch of ${topic}-${partition} at ${offset}`;
    return recordsFrom(answer.records ?? Buffer.alloc(0), offset, where, maxRecords) as OffsetRecord[];
  }

  /** The group's committed offset of the partition (its next offset to read), or undefined if none. */
  async committedOffset(group: string, topic: string, partition: number): Promise<number | undefined> {
    const connection = await this.cluster.anyConnection();
    const reply = await connection.request(M.OffsetFetch, {
      groupId: group,
      topics: [{ name: topic, partitionIndexes: [partition] }],
      requireStable: false,
    });
    const what = `OffsetFetch for group ${group}`;
    const answer = this.partitionOf(reply.topics, reply.errorCode, what, topic, partition);
    return answer.committedOffset < 0n ? undefined : Number(answer.committedOffset);
  }

  /** Stores `offset` as the group's next offset to read of the partition; resolves once the broker has. */
  async commitOffset(group: string, topic: string, partition: number, offset: number): Promise<void> {
    const connection = await this.cluster.anyConnection();
    const reply = await connection.request(M.OffsetCommit, {
      groupId: group,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: topic,
          partitions: [
            {
              partitionIndex: partition,
              committedOffset: BigInt(offset),
              committedLeaderEpoch: -1,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    this.partitionOf(reply.topics, undefined, `OffsetCommit for group ${group}`, topic, partition);
  }

  /** Closes every connection. */
  close(): Promise<void> {
    return this.cluster.close();
  }

  // The reply's entry for the one partition asked about (in `topics`, the reply's top-level error code
  // `topError` where it has one); its error code, if any, as a KafkaResponseError.
  private partitionOf<P extends ReplyPartition>(
    topics: readonly ReplyTopic<P>[],
    topError: number | undefined,
    what: string,
    topic: string,
    partition: number,
  ): P {
    const entry = topics
      .find((t) => (t.name ?? t.topic) === topic)
      ?.partitions.find((p) => p.partitionIndex === partition);
    const top = topError ?? ErrorCode.NONE;
    const missing = top === ErrorCode.NONE ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : top;
    const code = entry === undefined ? missing : entry.errorCode;
    if (code !== ErrorCode.NONE || entry === undefined) {
      const error = new KafkaResponseError(
        code,
        `${what} of ${topic}-${partition} failed: ${errorCodeName(code)}`,
      );
      if (error.retriable) this.cluster.forgetTopic(topic);
      throw error;
    }
    return entry;
  }
}
