/** CreateTopics (key 19): creates topics with N partitions on this single broker (replication 1). */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import { TopicError } from '../errors';
import type { BrokerContext } from './context';

export function handleCreateTopics(
  ctx: BrokerContext,
  request: M.CreateTopicsRequest,
): M.CreateTopicsResponse {
  const topics = request.topics.map((t): M.CreatableTopicResult => {
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
