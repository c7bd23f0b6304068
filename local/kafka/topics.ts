/** The broker's topics: names, ids and partition logs, created explicitly or on first use. */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../libs/kafka/protocol/errors';
import { PartitionLog } from './partition-log';

/** One topic and its partition logs. */
export interface Topic {
  readonly name: string;
  /** Topic id as 32 hex digits (a random UUID's bytes). */
  readonly id: string;
  readonly partitions: readonly PartitionLog[];
}

/** Raised when a topic cannot be created; `code` is the Kafka error code to answer with. */
export class TopicError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'TopicError';
    this.code = code;
  }
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Every topic of the broker by name. */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();

  has(name: string): boolean {
    return this.topics.has(name);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  all(): Topic[] {
    return [...this.topics.values()];
  }

  /** Checks a name against Kafka's rules; returns the reason it is invalid, or undefined. */
  static invalidName(name: string): string | undefined {
    if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
      return `topic name "${name}" is invalid (1-249 of [a-zA-Z0-9._-], not "." or "..")`;
    }
    return undefined;
  }

  /** Creates a topic; throws {@link TopicError} with INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS or TOPIC_ALREADY_EXISTS. */
  create(name: string, partitionCount: number): Topic {
    const invalid = TopicRegistry.invalidName(name);
    if (invalid) throw new TopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, invalid);
    if (!Number.isInteger(partitionCount) || partitionCount < 1 || partitionCount > 1000) {
      throw new TopicError(
        ErrorCode.INVALID_PARTITIONS,
        `topic "${name}": partition count ${partitionCount} is not between 1 and 1000`,
      );
    }
    if (this.topics.has(name))
      throw new TopicError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic "${name}" already exists`);
    const partitions = Array.from({ length: partitionCount }, (_, p) => new PartitionLog(`${name}-${p}`));
    const topic: Topic = { name, id: randomBytes(16).toString('hex'), partitions };
    this.topics.set(name, topic);
    return topic;
  }
}
