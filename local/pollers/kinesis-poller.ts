import { DescribeStreamSummaryCommand, type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { ObjectStore } from '../../libs/storage';
import { PollerError } from './errors';
import { ShardReader, type StartingPosition } from './shard-reader';
import { type KinesisHandler, type MappingSettings, ShardWorker } from './shard-worker';

/** The event source mapping of one function to one stream (Lambda's names and defaults where sensible). */
export interface KinesisPollerOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly functionName: string;
  readonly handler: KinesisHandler;
  /** Where given-up batches go (`quarantine/onfailure/<function>/…`); without it they are only logged. */
  readonly onFailure?: ObjectStore;
  /** Records per invocation at most (default 100, Lambda's). */
  readonly batchSize?: number;
  /** How long to gather records for a fuller batch (default 0, Lambda's). */
  readonly batchingWindowMs?: number;
  /** Retries of a failing record before giving up on it (default 3; Lambda's default -1 is unbounded). */
  readonly maximumRetryAttempts?: number;
  /** Split a failing batch in two before retrying (default true). */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Honour `batchItemFailures` in the handler's answer (default true). */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Per shard, the sequence number to resume after (a checkpoint kept across restarts, as Lambda
   * keeps its mapping's); a shard without one starts at `startingPosition`.
   */
  readonly checkpoints?: Readonly<Record<string, string>>;
  /** Where reading starts (default TRIM_HORIZON). */
  readonly startingPosition?: StartingPosition;
  /** Pause between reads of a caught-up shard (default 100 ms; Lambda's is about 1 s). */
  readonly pollIntervalMs?: number;
  /** The function's timeout, for its context (default 60 s). */
  readonly timeoutMs?: number;
  /** Receives what the poller does not throw: crashes, retries exhausted, read errors. */
  readonly log?: (message: string, details: Record<string, unknown>) => void;
}

/** A running poller. */
export interface KinesisPoller {
  /** The shards being read. */
  readonly shardIds: readonly string[];
  /** Each shard's checkpoint: the last sequence number handled. */
  checkpoints(): Record<string, string | undefined>;
  /**
   * Resolves once every shard is caught up: a read started after this call found nothing new and
   * nothing is in flight, so every record put before the call has been handled. Rejects with a
   * {@link PollerError} after `timeoutMs` (default 60 s).
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops reading (after the invocations under way) and resolves when every shard loop has ended. */
  stop(): Promise<void>;
}

const SIX_MB = 6 * 1024 * 1024;

/**
 * Starts polling every shard of a stream for a handler, with Lambda's Kinesis semantics: one batch
 * per shard at a time (ParallelizationFactor 1), batch size and window, ReportBatchItemFailures
 * (checkpoint at the lowest reported failure, retry from there), bisect on function error, bounded
 * retries, then the on-failure record; the chaos step `kinesis-poller:before-checkpoint` re-delivers.
 */
export async function startKinesisPoller(options: KinesisPollerOptions): Promise<KinesisPoller> {
  const { client, streamName } = options;
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const streamArn = summary.StreamDescriptionSummary?.StreamARN ?? `arn:aws:kinesis:::stream/${streamName}`;
  const region = streamArn.split(':')[3] || 'us-east-1';
  const shardIds = await listShardIds(client, streamName);
  const settings: MappingSettings = {
    functionName: options.functionName,
    handler: options.handler,
    batchSize: options.batchSize ?? 100,
    batchingWindowMs: options.batchingWindowMs ?? 0,
    maximumRetryAttempts: options.maximumRetryAttempts ?? 3,
    bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? true,
    reportBatchItemFailures: options.reportBatchItemFailures ?? true,
    startingPosition: options.startingPosition ?? 'TRIM_HORIZON',
    pollIntervalMs: options.pollIntervalMs ?? 100,
    maxPayloadBytes: SIX_MB,
    timeoutMs: options.timeoutMs ?? 60_000,
    onFailure: options.onFailure,
    log: options.log ?? (() => {}),
  };
  const roleArn = `arn:aws:iam::000000000000:role/${options.functionName}-role`;
  const workers = shardIds.map((shardId) => {
    const worker = new ShardWorker(
      new ShardReader(client, streamName, shardId),
      { streamArn, shardId, region, roleArn },
      settings,
    );
    worker.checkpoint = options.checkpoints?.[shardId];
    return worker;
  });
  const abort = new AbortController();
  const loops = workers.map((worker) => worker.run(abort.signal));

  return {
    shardIds,
    checkpoints: () => Object.fromEntries(workers.map((w, i) => [shardIds[i]!, w.checkpoint])),
    drain: (drainOptions = {}) => waitCaughtUp(workers, streamName, drainOptions.timeoutMs ?? 60_000),
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

async function listShardIds(client: KinesisClient, streamName: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    ids.push(...(page.Shards ?? []).map((shard) => shard.ShardId ?? ''));
    nextToken = page.NextToken;
  } while (nextToken);
  if (ids.length === 0) throw new PollerError(`stream ${streamName} has no shards`);
  return ids;
}

// Polls the workers' state (cheap, in memory) until each has caught up since the call, or times out.
async function waitCaughtUp(workers: readonly ShardWorker[], streamName: string, timeoutMs: number) {
  const since = Date.now();
  const deadline = since + timeoutMs;
  const caughtUp = () =>
    workers.every((w) => w.closed || (w.caughtUpAt !== undefined && w.caughtUpAt >= since));
  while (!caughtUp()) {
    if (Date.now() > deadline) {
      throw new PollerError(`stream ${streamName} did not drain within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
