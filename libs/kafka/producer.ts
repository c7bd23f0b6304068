/**
 * The producer of the ingest-batch Lambda, on the Kafka wire protocol directly: idempotent, acks=all,
 * one record batch per partition and one Produce request per leader (send-batches.ts), and a result
 * per record so the REST Proxy edge can answer per record.
 */

import { pause } from '../retry';
import { Cluster } from './cluster';
import type { KafkaProducerConfig } from './config';
import { describeError, isRetriable, UnknownTopicError } from './errors';
import {
  mskClient,
  mskOauthBearerTokenProvider,
  resolveMskBootstrapBrokers,
  signerWithCredentials,
} from './msk-iam';
import { partitionForKey, RoundRobin } from './partitioner';
import { type PartitionOutcome, type PartitionRecords, type SendOptions, sendBatches } from './send-batches';

export { UnknownTopicError } from './errors';

/** One record to produce; `partition` overrides the key-based choice. */
interface ProduceRecord {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string;
  readonly partition?: number;
}

/** Where a record landed, or why it did not (`retriable`: the same record may succeed later). */
export type ProduceResult =
  | { readonly partition: number; readonly offset: number }
  | { readonly error: string; readonly retriable: boolean };

/** A Kafka producer bound to one cluster. */
export interface KafkaProducer {
  /** Sends records to `topic`; resolves one result per record, in order. Throws {@link UnknownTopicError}. */
  produce(topic: string, records: readonly ProduceRecord[]): Promise<ProduceResult[]>;
  /** Closes the connections; a later `produce` opens new ones. */
  close(): Promise<void>;
}

/** Overrides for tests and tools: the bootstrap resolver and the OAUTHBEARER token provider. */
export interface KafkaProducerDeps {
  readonly resolveBootstrap?: (clusterArn: string, region: string) => Promise<string[]>;
  readonly tokenProvider?: (region: string) => () => Promise<string>;
}

const toBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);

function clusterFor(config: KafkaProducerConfig, deps: KafkaProducerDeps): Cluster {
  const timeoutMs = config.requestTimeoutMs ?? 10_000;
  const c = config.connection;
  if (c.kind === 'plain') {
    return new Cluster({
      clientId: config.clientId,
      bootstrap: async () => c.brokers,
      tls: false,
      timeoutMs,
    });
  }
  return new Cluster({
    clientId: config.clientId,
    bootstrap: () =>
      deps.resolveBootstrap
        ? deps.resolveBootstrap(c.clusterArn, c.region)
        : resolveMskBootstrapBrokers(c.clusterArn, c.region, mskClient(c.region, c)),
    tls: c.tls !== false,
    token: deps.tokenProvider
      ? deps.tokenProvider(c.region)
      : mskOauthBearerTokenProvider(
          c.region,
          c.credentials ? signerWithCredentials(c.credentials) : undefined,
        ),
    timeoutMs,
  });
}

/** Creates a producer; it connects on the first `produce` (MSK bootstrap brokers are resolved then). */
export function createKafkaProducer(
  config: KafkaProducerConfig,
  deps: KafkaProducerDeps = {},
): KafkaProducer {
  const cluster = clusterFor(config, deps);
  const options: SendOptions = {
    compression: config.compression ?? 'none',
    retries: Math.max(0, config.retries ?? 3),
    retryDelayMs: config.retryDelayMs ?? 250,
    timeoutMs: config.requestTimeoutMs ?? 10_000,
  };
  const roundRobin = new RoundRobin();
  const partitionLocks = new Map<string, Promise<unknown>>();

  const withRetries = async <T>(attempt: () => Promise<T>): Promise<T> => {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        if (retry >= options.retries || !isRetriable(error)) throw error;
        await pause(options.retryDelayMs);
      }
    }
  };

  const send = async (topic: string, parts: PartitionRecords[]) => {
    const identity = await withRetries(() => cluster.producer());
    const outcomes = await sendBatches(cluster, identity, topic, parts, options);
    // A failed batch may or may not be stored: a new producer id keeps the next batch from being
    // taken for it (same sequence) or refused for a gap.
    if ([...outcomes.values()].some((o) => 'error' in o)) cluster.resetProducer(identity);
    return outcomes;
  };

  // Sends to a partition are serialised: each batch's sequence follows the last one acknowledged.
  const sendInOrder = (topic: string, parts: PartitionRecords[]) => {
    const keys = parts.map((p) => `${topic}:${p.partition}`);
    const earlier = keys.map((k) => (partitionLocks.get(k) ?? Promise.resolve()).catch(() => undefined));
    const run = Promise.all(earlier).then(() => send(topic, parts));
    for (const k of keys) partitionLocks.set(k, run);
    return run;
  };

  return {
    async produce(topic, records) {
      if (records.length === 0) return [];
      let count: number;
      try {
        count = (await withRetries(() => cluster.topic(topic))).partitions;
      } catch (error) {
        if (error instanceof UnknownTopicError) throw error;
        // No metadata means nothing was sent: every record failed the same way.
        const failure = { error: `${topic}: ${describeError(error)}`, retriable: isRetriable(error) };
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
        const indexes = byPartition.get(p);
        if (indexes) indexes.push(i);
        else byPartition.set(p, [i]);
      });
      const parts = [...byPartition].map(([partition, indexes]) => ({
        partition,
        records: indexes.map((i) => {
          const r = records[i]!;
          return { key: r.key == null ? null : toBuffer(r.key), value: toBuffer(r.value) };
        }),
      }));
      let outcomes: Map<number, PartitionOutcome>;
      try {
        outcomes = await sendInOrder(topic, parts);
      } catch (error) {
        outcomes = new Map(parts.map((p) => [p.partition, { error }]));
      }
      for (const [partition, indexes] of byPartition) {
        const outcome = outcomes.get(partition) ?? { error: new Error(`${topic}-${partition} was not sent`) };
        indexes.forEach((recordIndex, n) => {
          results[recordIndex] =
            'offset' in outcome
              ? { partition, offset: outcome.offset + n }
              : {
                  error: `${topic}-${partition}: ${describeError(outcome.error)}`,
                  retriable: isRetriable(outcome.error),
                };
        });
      }
      return results;
    },

    close: () => cluster.close(),
  };
}
