/** CreateTopics (key 19): creates topics with N partitions on this single broker (replication 1). */
import { ErrorCode, type Struct } from '../../../libs/kafka/protocol';
import { TopicError } from '../errors';
import type { BrokerContext } from './context';

interface CreateTopicsRequest {
  topics: { name: string; numPartitions: number; replicationFactor: number; assignments: unknown[] }[];
  validateOnly?: boolean;
}

export function handleCreateTopics(ctx: BrokerContext, body: Struct): Struct {
  const request = body as unknown as CreateTopicsRequest;
  const topics = request.topics.map((t) => {
    const partitions =
      t.assignments.length > 0
        ? t.assignments.length
        : t.numPartitions === -1
          ? ctx.defaultPartitions
          : t.numPartitions;
    const base = { name: t.name, numPartitions: partitions, replicationFactor: 1, configs: null };
    if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
      const errorMessage = `topic "${t.name}": replication factor ${t.replicationFactor} is larger than the 1 broker`;
      ctx.log(`rejected: ${errorMessage}`);
      return { ...base, errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage };
    }
    try {
      if (request.validateOnly) {
        if (ctx.topics.has(t.name))
          throw new TopicError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic "${t.name}" already exists`);
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
      }
      const topic = ctx.topics.create(t.name, partitions);
      ctx.log(`created topic ${t.name} with ${partitions} partitions`);
      return { ...base, topicId: topic.id, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (error) {
      if (!(error instanceof TopicError)) throw error;
      ctx.log(`rejected: ${error.message}`);
      return { ...base, errorCode: error.kafkaCode, errorMessage: error.message };
    }
  });
  return { throttleTimeMs: 0, topics };
}
