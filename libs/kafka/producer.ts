/**
 * The producer of the ingest-batch Lambda: @platformatic/kafka with acks=all and idempotence, one
 * batch per partition, and a result per record so the REST Proxy edge can answer per record.
 */
import { type ClusterMetadata, Producer } from '@platformatic/kafka';
import { describeKafkaError, isRetriableKafkaError } from './client-errors';
import type { KafkaProducerConfig } from './config';
import { mskOauthBearerTokenProvider, resolveMskBootstrapBrokers } from './msk-iam';
import { partitionForKey, RoundRobin } from './partitioner';

/** One record to produce; `partition` overrides the key-based choice. */
export interface ProduceRecord {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string;
  readonly partition?: number;
}

/** Where a record landed, or why it did not (`retriable`: the same record may succeed later). */
export type ProduceResult =
  | { readonly partition: number; readonly offset: number }
  | { readonly error: string; readonly retriable: boolean };

/** Raised for a topic the cluster does not have (the REST edge answers 40401). */
export class UnknownTopicError extends Error {
  constructor(
    readonly topic: string,
    options?: ErrorOptions,
  ) {
    super(`topic "${topic}" does not exist`, options);
    this.name = 'UnknownTopicError';
  }
}

/** A Kafka producer bound to one cluster. */
export interface KafkaProducer {
  /** Sends records to `topic`; resolves one result per record, in order. Throws {@link UnknownTopicError}. */
  produce(topic: string, records: readonly ProduceRecord[]): Promise<ProduceResult[]>;
  /** Closes the connections; the producer cannot be used afterwards. */
  close(): Promise<void>;
}

/** Overrides for tests and tools: the bootstrap resolver and the OAUTHBEARER token provider. */
export interface KafkaProducerDeps {
  readonly resolveBootstrap?: (clusterArn: string, region: string) => Promise<string[]>;
  readonly tokenProvider?: (region: string) => () => Promise<string>;
}

const toBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);

async function buildClient(config: KafkaProducerConfig, deps: KafkaProducerDeps): Promise<Producer> {
  const common = {
    clientId: config.clientId,
    idempotent: true,
    acks: -1 as const,
    compression: config.compression ?? 'none',
    autocreateTopics: false,
    requestTimeout: config.requestTimeoutMs ?? 10_000,
    retries: Math.max(2, config.retries ?? 3),
    retryDelay: config.retryDelayMs ?? 250,
  };
  const c = config.connection;
  if (c.kind === 'plain') return new Producer({ ...common, bootstrapBrokers: [...c.brokers] });
  const brokers = await (deps.resolveBootstrap ?? resolveMskBootstrapBrokers)(c.clusterArn, c.region);
  const token = (deps.tokenProvider ?? mskOauthBearerTokenProvider)(c.region);
  const sasl = { mechanism: 'OAUTHBEARER' as const, token };
  return new Producer({
    ...common,
    bootstrapBrokers: brokers,
    sasl,
    ...(c.tls === false ? {} : { tls: {} }),
  });
}

/** Creates a producer; it connects on the first `produce` (MSK bootstrap brokers are resolved then). */
export function createKafkaProducer(
  config: KafkaProducerConfig,
  deps: KafkaProducerDeps = {},
): KafkaProducer {
  let client: Promise<Producer> | undefined;
  const roundRobin = new RoundRobin();
  const partitionLocks = new Map<string, Promise<unknown>>();
  const connect = () => {
    client ??= buildClient(config, deps);
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  const partitionsOf = async (producer: Producer, topic: string): Promise<number> => {
    let metadata: ClusterMetadata;
    try {
      metadata = await producer.metadata({ topics: [topic] });
    } catch (error) {
      if (/UNKNOWN_TOPIC_OR_PARTITION|Unknown topic/i.test(describeKafkaError(error))) {
        throw new UnknownTopicError(topic, { cause: error });
      }
      throw error;
    }
    const count = metadata.topics.get(topic)?.partitionsCount;
    if (!count) throw new UnknownTopicError(topic);
    return count;
  };

  // Sends to one partition are serialised: the idempotent sequence numbers advance per response.
  const sendToPartition = (producer: Producer, topic: string, partition: number, batch: ProduceRecord[]) => {
    const lockKey = `${topic}:${partition}`;
    const run = (partitionLocks.get(lockKey) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() =>
        producer.send({
          messages: batch.map((r) => ({
            topic,
            partition,
            key: r.key == null ? undefined : toBuffer(r.key),
            value: toBuffer(r.value),
          })),
        }),
      );
    partitionLocks.set(lockKey, run);
    return run;
  };

  return {
    async produce(topic, records) {
      if (records.length === 0) return [];
      let producer: Producer;
      let count: number;
      try {
        producer = await connect();
        count = await partitionsOf(producer, topic);
      } catch (error) {
        if (error instanceof UnknownTopicError) throw error;
        // No metadata means nothing was sent: every record failed the same way.
        const failure = {
          error: `${topic}: ${describeKafkaError(error)}`,
          retriable: isRetriableKafkaError(error),
        };
        return records.map(() => failure);
      }
      const results: ProduceResult[] = new Array(records.length);
      const byPartition = new Map<number, number[]>();
      records.forEach((r, i) => {
        if (
          r.partition !== undefined &&
          (!Number.isInteger(r.partition) || r.partition < 0 || r.partition >= count)
        ) {
          results[i] = {
            error: `partition ${r.partition} does not exist in topic "${topic}"`,
            retriable: false,
          };
          return;
        }
        const key = r.key == null ? undefined : toBuffer(r.key);
        const p = r.partition ?? (key ? partitionForKey(key, count) : roundRobin.take(topic, count));
        byPartition.set(p, [...(byPartition.get(p) ?? []), i]);
      });
      await Promise.all(
        [...byPartition].map(async ([partition, indexes]) => {
          try {
            const reply = await sendToPartition(
              producer,
              topic,
              partition,
              indexes.map((i) => records[i]!),
            );
            const base = reply.offsets?.find((o) => o.topic === topic && o.partition === partition)?.offset;
            if (base === undefined) throw new Error(`no offset returned for ${topic}-${partition}`);
            indexes.forEach((recordIndex, n) => {
              results[recordIndex] = { partition, offset: Number(base) + n };
            });
          } catch (error) {
            const failure = {
              error: `${topic}-${partition}: ${describeKafkaError(error)}`,
              retriable: isRetriableKafkaError(error),
            };
            for (const i of indexes) results[i] = failure;
          }
        }),
      );
      return results;
    },

    async close() {
      if (client) await (await client).close();
      client = undefined;
    },
  };
}
