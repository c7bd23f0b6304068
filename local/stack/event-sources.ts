/**
 * The local stack's event source mappings: one Kinesis poller per stream for stream-to-delta and one
 * MSK poller per topic for land-topics, with the production mappings' settings where they matter
 * (batch size, bisect, partial batch responses) and local ones where waiting would only slow a laptop
 * (short batching windows and poll intervals).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ObjectStore } from '../../libs/storage';
import type { KafkaBroker } from '../kafka';
import { type KinesisHandler, type KinesisPoller, startKinesisPoller } from '../pollers';
import type { MskHandler } from '../pollers/msk-partition-worker';
import { type MskPoller, startMskPoller } from '../pollers/msk-poller';

/** How the local mappings behave. */
export interface EventSourceSettings {
  /** Records per invocation at most (default 1,000, as serverless.yml). */
  readonly batchSize: number;
  /** How long a mapping gathers records for a fuller batch (default 1 s; AWS: 10 s and 30 s). */
  readonly batchingWindowMs: number;
  /** Pause between reads of a caught-up shard or partition (default 250 ms). */
  readonly pollIntervalMs: number;
  /**
   * Retries of a failing record before it goes to the on-failure destination (default 5, as
   * serverless.yml; the stack raises it under chaos so that no record is given up on).
   */
  readonly maximumRetryAttempts: number;
  /** Receives what the pollers do not throw: crashes, retries exhausted, read errors. */
  readonly log: (message: string, details: Record<string, unknown>) => void;
}

/** The running mappings of one pipeline. */
export interface EventSources {
  /** Resolves once every shard and partition has caught up with what was put before the call. */
  drain(timeoutMs: number): Promise<void>;
  /** Stops every poller after the invocations under way. */
  stop(): Promise<void>;
}

/** Where the mappings read from and what they invoke. */
export interface EventSourceTargets {
  readonly kinesis: KinesisClient;
  readonly streams: readonly string[];
  readonly streamToDelta: KinesisHandler;
  readonly broker: KafkaBroker;
  readonly topics: readonly string[];
  readonly landTopics: MskHandler;
  /** The on-failure destination (the lake: `quarantine/onfailure/<function>/…`). */
  readonly onFailure: ObjectStore;
}

/** Starts the six mappings (three streams, three topics); they read from the start of each source. */
export async function startEventSources(
  targets: EventSourceTargets,
  settings: EventSourceSettings,
): Promise<EventSources> {
  const common = {
    onFailure: targets.onFailure,
    batchSize: settings.batchSize,
    batchingWindowMs: settings.batchingWindowMs,
    maximumRetryAttempts: settings.maximumRetryAttempts,
    bisectBatchOnFunctionError: true,
    pollIntervalMs: settings.pollIntervalMs,
    timeoutMs: 120_000,
    log: settings.log,
  };
  const kinesisPollers: KinesisPoller[] = [];
  const mskPollers: MskPoller[] = [];
  const stop = async () => {
    await Promise.all([...kinesisPollers, ...mskPollers].map((poller) => poller.stop()));
  };
  try {
    for (const streamName of targets.streams) {
      kinesisPollers.push(
        await startKinesisPoller({
          ...common,
          client: targets.kinesis,
          streamName,
          functionName: 'stream-to-delta',
          handler: targets.streamToDelta,
        }),
      );
    }
    for (const topic of targets.topics) {
      mskPollers.push(
        startMskPoller({
          ...common,
          broker: targets.broker,
          topic,
          functionName: 'land-topics',
          handler: targets.landTopics,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    drain: async (timeoutMs) => {
      await Promise.all([...kinesisPollers, ...mskPollers].map((poller) => poller.drain({ timeoutMs })));
    },
    stop,
  };
}
