/**
 * The local stack's event source mappings, read from the deployment definition (local/deployment):
 * one Kinesis poller per `stream` event of stream-to-delta and one MSK poller per MSK mapping of
 * land-topics, with the mappings' batch size, bisect, retries, maximum record age, partial batch
 * responses, starting position and consumer group; each reads as the function's role. Only the batching window and the poll interval are local (waiting
 * 10–30 s would only slow a laptop), and retries can be raised (chaos runs).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ObjectStore } from '../../libs/storage';
import type { EventSourceMapping } from '../deployment';
import {
  type KinesisHandler,
  type KinesisPoller,
  type MskHandler,
  type MskPoller,
  startKinesisPoller,
  startMskPoller,
} from '../pollers';

/** What the local stack changes of the deployed mappings' behaviour. */
export interface EventSourceSettings {
  /** How long a mapping gathers records for a fuller batch (default 1 s; AWS: 10 s and 30 s). */
  readonly batchingWindowMs: number;
  /** Pause between reads of a caught-up shard or partition (default 250 ms). */
  readonly pollIntervalMs: number;
  /** Retries of a failing record before the on-failure destination; default: the mapping's own. */
  readonly maximumRetryAttempts?: number;
  /** Records per invocation at most; default: the mapping's own. */
  readonly batchSize?: number;
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

/** One mapping to start: its definition, the function it invokes, and where its on-failure records go. */
export interface MappingTarget {
  readonly functionName: string;
  readonly mapping: EventSourceMapping;
  /** The mapping's reader of a stream: a Kinesis client signing as the function's role. */
  readonly kinesis?: KinesisClient;
  /** The mapping's reader of a topic: the brokers, and the function's role's OAUTHBEARER token (with IAM). */
  readonly kafka?: { readonly bootstrapServers: string; readonly token?: () => Promise<string> };
  readonly handler: KinesisHandler | MskHandler;
  /** The on-failure destination as the function's role writes to it. */
  readonly onFailure: ObjectStore;
  /** The function's timeout in ms. */
  readonly timeoutMs: number;
  /** Kinesis: per shard, the sequence number to resume after (what the lake already holds). */
  readonly checkpoints?: Readonly<Record<string, string>>;
}

/** Starts every mapping; they read from their starting position. What started is stopped on failure. */
export async function startEventSources(
  targets: readonly MappingTarget[],
  settings: EventSourceSettings,
): Promise<EventSources> {
  const pollers: (KinesisPoller | MskPoller)[] = [];
  const stop = async () => {
    await Promise.all(pollers.map((poller) => poller.stop()));
  };
  try {
    for (const target of targets) {
      const { mapping } = target;
      const common = {
        functionName: target.functionName,
        onFailure: target.onFailure,
        batchSize: settings.batchSize ?? mapping.batchSize,
        batchingWindowMs: Math.min(settings.batchingWindowMs, mapping.batchingWindowSeconds * 1000),
        maximumRetryAttempts: settings.maximumRetryAttempts ?? mapping.maximumRetryAttempts,
        maximumRecordAgeSeconds: mapping.maximumRecordAgeSeconds,
        bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
        startingPosition: mapping.startingPosition,
        pollIntervalMs: settings.pollIntervalMs,
        timeoutMs: target.timeoutMs,
        log: settings.log,
      };
      if (mapping.kind === 'kinesis' && target.kinesis) {
        pollers.push(
          await startKinesisPoller({
            ...common,
            client: target.kinesis,
            streamName: mapping.source,
            reportBatchItemFailures: mapping.reportBatchItemFailures,
            handler: target.handler as KinesisHandler,
            ...(target.checkpoints ? { checkpoints: target.checkpoints } : {}),
          }),
        );
      } else if (mapping.kind === 'msk' && target.kafka) {
        pollers.push(
          await startMskPoller({
            ...common,
            ...target.kafka,
            topic: mapping.source,
            ...(mapping.consumerGroupId ? { groupId: mapping.consumerGroupId } : {}),
            clusterArn: mapping.sourceArn,
            handler: target.handler as MskHandler,
          }),
        );
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    drain: async (timeoutMs) => {
      await Promise.all(pollers.map((poller) => poller.drain({ timeoutMs })));
    },
    stop,
  };
}
