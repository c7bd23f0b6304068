/** Metadata (key 3): brokers (this one), topics and partitions; auto-creates topics when allowed. */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import { type Topic, TopicRegistry } from '../topics';
import type { BrokerContext } from './context';

function describeTopic(ctx: BrokerContext, topic: Topic): M.MetadataTopic {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.id,
    isInternal: false,
    partitions: topic.partitions.map((_, p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: ctx.nodeId,
      leaderEpoch: 0,
      replicaNodes: [ctx.nodeId],
      isrNodes: [ctx.nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  };
}

/** A topic the reply names only with an error (isInternal false, no partitions). */
const failedTopic = (errorCode: number, name: string | null, topicId?: string): M.MetadataTopic => ({
  errorCode,
  name,
  ...(topicId === undefined ? {} : { topicId }),
  isInternal: false,
  partitions: [],
});

function findOrCreate(ctx: BrokerContext, name: string, allowCreate: boolean): M.MetadataTopic {
  const existing = ctx.topics.get(name);
  if (existing) return describeTopic(ctx, existing);
  const invalid = TopicRegistry.invalidName(name);
  if (invalid) return failedTopic(ErrorCode.INVALID_TOPIC_EXCEPTION, name);
  if (allowCreate && ctx.autoCreateTopics) {
    ctx.log(`auto-created topic ${name} with ${ctx.defaultPartitions} partitions`);
    return describeTopic(ctx, ctx.topics.create(name, ctx.defaultPartitions));
  }
  return failedTopic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
}

export function handleMetadata(
  ctx: BrokerContext,
  request: M.MetadataRequest,
  version: number,
): M.MetadataResponse {
  // Before v4 there is no flag and a named topic is auto-created, as a broker with auto-create on does.
  const allowCreate = version < 4 || request.allowAutoTopicCreation !== false;
  const byId = new Map(ctx.topics.all().map((t) => [t.id, t]));
  const topics =
    request.topics === null
      ? ctx.topics.all().map((t) => describeTopic(ctx, t))
      : request.topics.map((t) => {
          if (t.name !== null) return findOrCreate(ctx, t.name, allowCreate);
          const topic = t.topicId ? byId.get(t.topicId) : undefined;
          return topic ? describeTopic(ctx, topic) : failedTopic(ErrorCode.UNKNOWN_TOPIC_ID, null, t.topicId);
        });
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: ctx.nodeId, host: ctx.host, port: ctx.port, rack: null }],
    clusterId: ctx.clusterId,
    controllerId: ctx.nodeId,
    topics,
    clusterAuthorizedOperations: -2147483648,
  };
}
