import type { ObjectStore } from '../../libs/storage';
import type { KafkaBroker } from '../kafka';
import { PollerError } from './errors';
import { type MskHandler, type MskMappingSettings, MskPartitionWorker } from './msk-partition-worker';

/** The event source mapping of one function to one topic of the embedded broker (Lambda's names). */
export interface MskPollerOptions {
  readonly broker: KafkaBroker;
  readonly topic: string;
  readonly functionName: string;
  readonly handler: MskHandler;
  /** The consumer group (default `<functionName>-<topic>`); its committed offsets survive a restart. */
  readonly groupId?: string;
  /** Where given-up batches go (`quarantine/onfailure/<function>/…`); without it they are only logged. */
  readonly onFailure?: ObjectStore;
  /** Records per invocation at most (default 100, Lambda's). */
  readonly batchSize?: number;
  /** How long to gather records for a fuller batch (default 500 ms, Lambda's for Kafka). */
  readonly batchingWindowMs?: number;
  /** Retries of a failing record before giving up on it (default 3; Lambda's default -1 is unbounded). */
  readonly maximumRetryAttempts?: number;
  /** Split a failing batch in two before retrying (default true). */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Where a group with no committed offset starts (default TRIM_HORIZON). */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause between reads of a caught-up partition (default 50 ms). */
  readonly pollIntervalMs?: number;
  /** The function's timeout, for its context (default 120 s). */
  readonly timeoutMs?: number;
  /** The cluster ARN events carry (default a local one). */
  readonly clusterArn?: string;
  readonly region?: string;
  /** Receives what the poller does not throw: crashes, retries exhausted, read errors. */
  readonly log?: (message: string, details: Record<string, unknown>) => void;
}

/** A running MSK poller. */
export interface MskPoller {
  readonly topic: string;
  readonly partitions: number;
  /** The group's committed offset per partition (the next offset to deliver). */
  committedOffsets(): number[];
  /**
   * Resolves once every partition is caught up: a read started after this call found nothing new and
   * nothing is in flight, so every record produced before the call has been handled. Rejects with a
   * {@link PollerError} after `timeoutMs` (default 60 s).
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops polling (after the invocations under way) and resolves when every partition loop has ended. */
  stop(): Promise<void>;
}

const SIX_MB = 6 * 1024 * 1024;

/**
 * Starts polling every partition of a topic of the embedded broker for a handler, with Lambda's MSK
 * semantics: one batch per partition at a time, batch size and window, the consumer group's offset
 * committed only after success, bisect on error, bounded retries, then the on-failure record. Throws
 * a {@link PollerError} when the topic does not exist.
 */
export function startMskPoller(options: MskPollerOptions): MskPoller {
  const { broker, topic } = options;
  const partitions = broker.partitionCount(topic);
  if (partitions === undefined) throw new PollerError(`topic ${topic} does not exist on the embedded broker`);
  const region = options.region ?? 'us-east-1';
  const settings: MskMappingSettings = {
    functionName: options.functionName,
    handler: options.handler,
    groupId: options.groupId ?? `${options.functionName}-${topic}`,
    batchSize: options.batchSize ?? 100,
    batchingWindowMs: options.batchingWindowMs ?? 500,
    maximumRetryAttempts: options.maximumRetryAttempts ?? 3,
    bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? true,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    maxPayloadBytes: SIX_MB,
    timeoutMs: options.timeoutMs ?? 120_000,
    region,
    onFailure: options.onFailure,
    log: options.log ?? (() => {}),
  };
  const source = {
    clusterArn: options.clusterArn ?? `arn:aws:kafka:${region}:000000000000:cluster/pinlake-local/local`,
    bootstrapServers: broker.bootstrap,
    topic,
  };
  const workers = Array.from({ length: partitions }, (_, partition) => {
    const start = options.startingPosition === 'LATEST' ? broker.endOffset(topic, partition) : 0;
    return new MskPartitionWorker(broker, { ...source, partition }, settings, start);
  });
  const abort = new AbortController();
  const loops = workers.map((worker) => worker.run(abort.signal));
  return {
    topic,
    partitions,
    committedOffsets: () => workers.map((worker) => worker.committed),
    drain: (drainOptions = {}) => waitCaughtUp(workers, topic, drainOptions.timeoutMs ?? 60_000),
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

// Polls the workers' state (cheap, in memory) until each has caught up since the call, or times out.
async function waitCaughtUp(workers: readonly MskPartitionWorker[], topic: string, timeoutMs: number) {
  const since = Date.now();
  const deadline = since + timeoutMs;
  const caughtUp = () => workers.every((w) => w.caughtUpAt !== undefined && w.caughtUpAt >= since);
  while (!caughtUp()) {
    if (Date.now() > deadline) throw new PollerError(`topic ${topic} did not drain within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
