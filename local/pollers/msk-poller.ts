import type { MSKEvent } from 'aws-lambda';
import { KafkaConsumer, UnknownTopicError } from '../../libs/kafka';
import { PollerError } from './errors';
import { type MappingOptions, mappingSettings } from './event-source';
import { MskPartition } from './msk-partition';
import { SourceWorker } from './source-worker';
import { runWorkers } from './workers';

/** A Lambda handler for MSK events; anything it resolves is success, a rejection fails the batch. */
export type MskHandler = MappingOptions<MSKEvent>['handler'];

/** The event source mapping of one function to one topic of an MSK cluster (Lambda's names). */
export interface MskPollerOptions extends MappingOptions<MSKEvent> {
  /** The cluster's brokers, `host:port,…` (what MSK events carry as `bootstrapServers`). */
  readonly bootstrapServers: string;
  /**
   * Signs the SASL/OAUTHBEARER token of each connection as the function's execution role (MSK IAM, as
   * Lambda's mapping connects); without it the poller connects without SASL.
   */
  readonly token?: () => Promise<string>;
  readonly topic: string;
  /** The consumer group (default `<functionName>-<topic>`); its committed offsets survive a restart. */
  readonly groupId?: string;
  /** The cluster ARN events carry (default a local one). */
  readonly clusterArn?: string;
  readonly region?: string;
}

/** A running MSK poller. */
export interface MskPoller {
  readonly topic: string;
  readonly partitions: number;
  /** The group's committed offset per partition (the next offset to deliver), as last committed. */
  committedOffsets(): number[];
  /**
   * Resolves once every partition is caught up: a read started after this call found nothing new and
   * nothing is in flight, so every record produced before the call has been handled. Rejects with a
   * {@link PollerError} after `timeoutMs` (default 60 s).
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops polling (after the invocations under way), closes its connections and resolves when done. */
  stop(): Promise<void>;
}

/**
 * Starts polling every partition of a topic for a handler, with Lambda's semantics (the event-source
 * core, source-worker.ts) over Kafka partitions: a consumer of the mapping's group reading over the
 * Kafka protocol, its offset committed only past handled records; the chaos step
 * `msk-poller:before-commit` re-delivers. Rejects with a {@link PollerError} when the topic does not
 * exist, and with the Kafka error when the cluster refuses the connection or the group.
 */
export async function startMskPoller(options: MskPollerOptions): Promise<MskPoller> {
  const { topic } = options;
  const region = options.region ?? 'us-east-1';
  const consumer = new KafkaConsumer({
    clientId: options.functionName,
    bootstrap: options.bootstrapServers.split(','),
    ...(options.token ? { token: options.token } : {}),
  });
  let partitions: MskPartition[];
  try {
    const count = await consumer.partitionCount(topic).catch((error: unknown) => {
      if (error instanceof UnknownTopicError)
        throw new PollerError(`topic ${topic} does not exist on the cluster`, { cause: error });
      throw error;
    });
    const source = {
      clusterArn: options.clusterArn ?? `arn:aws:kafka:${region}:000000000000:cluster/pinlake-local/local`,
      bootstrapServers: options.bootstrapServers,
      topic,
    };
    const groupId = options.groupId ?? `${options.functionName}-${topic}`;
    const start = options.startingPosition ?? 'TRIM_HORIZON';
    partitions = await Promise.all(
      Array.from({ length: count }, (_, partition) =>
        MskPartition.open(consumer, groupId, { ...source, partition }, start),
      ),
    );
  } catch (error) {
    await consumer.close();
    throw error;
  }
  const settings = mappingSettings(options, region, 500);
  const running = runWorkers(
    partitions.map((partition) => new SourceWorker(partition, settings)),
    `topic ${topic}`,
  );
  return {
    topic,
    partitions: partitions.length,
    committedOffsets: () => partitions.map((p) => p.committed),
    drain: (drainOptions = {}) => running.drain(drainOptions.timeoutMs ?? 60_000),
    stop: async () => {
      await running.stop();
      await consumer.close();
    },
  };
}
