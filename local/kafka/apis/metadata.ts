/** Metadata (key 3): brokers (this one), topics and partitions; auto-creates topics when allowed. */
import { ErrorCode, type Struct } from '../../../libs/kafka/protocol';
import { type Topic, TopicRegistry } from '../topics';
import type { BrokerContext } from './context';

interface MetadataRequest {
  topics: { name: string | null; topicId?: string }[] | null;
  allowAutoTopicCreation?: boolean;
}

function describeTopic(ctx: BrokerContext, topic: Topic): Struct {
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

function findOrCreate(ctx: BrokerContext, name: string, allowCreate: boolean): Struct {
  const existing = ctx.topics.get(name);
  if (existing) return describeTopic(ctx, existing);
  const invalid = TopicRegistry.invalidName(name);
  if (invalid) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] };
  if (allowCreate && ctx.autoCreateTopics) {
    ctx.log(`auto-created topic ${name} with ${ctx.defaultPartitions} partitions`);
    return describeTopic(ctx, ctx.topics.create(name, ctx.defaultPartitions));
  }
  return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
}

export function handleMetadata(ctx: BrokerContext, body: Struct, version: number): Struct {
  const request = body as unknown as MetadataRequest;
  // Before v4 there is no flag and a named topic is auto-created, as a broker with auto-create on does.
  const allowCreate = version < 4 || request.allowAutoTopicCreation !== false;
  const byId = new Map(ctx.topics.all().map((t) => [t.id, t]));
  const topics =
    request.topics === null
      ? ctx.topics.all().map((t) => describeTopic(ctx, t))
      : request.topics.map((t) => {
          if (t.name !== null) return findOrCreate(ctx, t.name, allowCreate);
          const topic = t.topicId ? byId.get(t.topicId) : undefined;
          return topic
            ? describeTopic(ctx, topic)
            : { errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: t.topicId, partitions: [] };
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
