/**
 * OffsetCommit (key 8) and OffsetFetch (key 9): a consumer group's committed offsets. This single
 * broker is every group's coordinator and keeps no group membership: a commit is accepted from any
 * client (as Kafka accepts a commit with generation -1 for a group without members, the "simple
 * consumer" of Lambda's event source mappings), and stored before the reply.
 */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import type { BrokerContext } from './context';

const exists = (ctx: BrokerContext, topic: string, partition: number) =>
  ctx.topics.get(topic)?.partitions[partition] !== undefined;

export function handleOffsetCommit(
  ctx: BrokerContext,
  { groupId, topics }: M.OffsetCommitRequest,
): M.OffsetCommitResponse {
  return {
    throttleTimeMs: 0,
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const offset = Number(p.committedOffset);
        if (!exists(ctx, t.name, p.partitionIndex)) {
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        ctx.groups.commit(groupId, t.name, p.partitionIndex, offset);
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
      }),
    })),
  };
}

export function handleOffsetFetch(
  ctx: BrokerContext,
  { groupId, topics }: M.OffsetFetchRequest,
): M.OffsetFetchResponse {
  const asked: readonly M.OffsetFetchRequestTopic[] =
    topics ??
    [...new Set(ctx.groups.all().flatMap(([group, topic]) => (group === groupId ? [topic] : [])))].map(
      (name) => ({
        name,
        partitionIndexes: ctx.topics.get(name)?.partitions.map((_, p) => p) ?? [],
      }),
    );
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    topics: asked.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: BigInt(ctx.groups.get(groupId, t.name, partitionIndex) ?? -1),
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: exists(ctx, t.name, partitionIndex)
          ? ErrorCode.NONE
          : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })),
    })),
  };
}
