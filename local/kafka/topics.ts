/**
 * The broker's topics: names, ids and partition logs, created explicitly or on first use, kept under
 * the broker's data directory (`topics.json` and one `<topic>-<partition>/` folder of segments each).
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../../libs/kafka/protocol';
import { TopicError } from './errors';
import { DEFAULT_LOG_SETTINGS, type LogSettings, PartitionLog } from './partition-log';
import { writeFileAtomic } from './state-file';

/** One topic and its partition logs. */
export interface Topic {
  readonly name: string;
  /** Topic id as 32 hex digits (a random UUID's bytes). */
  readonly id: string;
  readonly partitions: readonly PartitionLog[];
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

interface StoredTopic {
  readonly name: string;
  readonly id: string;
  readonly partitions: number;
}

/** Every topic of the broker by name, reopened from `dir` when it holds topics of an earlier run. */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly dir: string,
    private readonly settings: LogSettings = DEFAULT_LOG_SETTINGS,
  ) {
    const file = join(dir, 'topics.json');
    if (!existsSync(file)) return;
    for (const stored of JSON.parse(readFileSync(file, 'utf8')) as StoredTopic[]) {
      this.open(stored.name, stored.id, stored.partitions);
    }
  }

  private open(name: string, id: string, partitionCount: number): Topic {
    const partitions = Array.from(
      { length: partitionCount },
      (_, p) => new PartitionLog(`${name}-${p}`, join(this.dir, `${name}-${p}`), this.settings),
    );
    const topic: Topic = { name, id, partitions };
    this.topics.set(name, topic);
    return topic;
  }

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
    const topic = this.open(name, randomBytes(16).toString('hex'), partitionCount);
    writeFileAtomic(
      join(this.dir, 'topics.json'),
      JSON.stringify(this.all().map((t) => ({ name: t.name, id: t.id, partitions: t.partitions.length }))),
    );
    return topic;
  }

  /** Closes every partition log (flushing it). */
  async close(): Promise<void> {
    for (const topic of this.topics.values()) for (const log of topic.partitions) await log.close();
  }
}
