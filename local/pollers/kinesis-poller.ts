import { DescribeStreamSummaryCommand, type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { PollerError } from './errors';
import { type MappingOptions, mappingSettings } from './event-source';
import { KinesisShard } from './kinesis-shard';
import { ShardReader } from './shard-reader';
import { SourceWorker } from './source-worker';
import { runWorkers } from './workers';

/**
 * A Lambda handler for Kinesis events (a middy or Powertools handler fits). Its answer is read as
 * Lambda reads it: a `KinesisStreamBatchResponse`, or nothing for full success.
 */
export type KinesisHandler = MappingOptions<KinesisStreamEvent>['handler'];

/** The event source mapping of one function to one stream (Lambda's names and defaults where sensible). */
export interface KinesisPollerOptions extends MappingOptions<KinesisStreamEvent> {
  /** Reads the stream: a client signing as the function's role, as Lambda's mapping reads with it. */
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Honour `batchItemFailures` in the handler's answer (default true). */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Per shard, the sequence number to resume after (a checkpoint kept across restarts, as Lambda
   * keeps its mapping's); a shard without one starts at `startingPosition`.
   */
  readonly checkpoints?: Readonly<Record<string, string>>;
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

/**
 * Starts polling every shard of a stream for a handler, with Lambda's semantics (the event-source
 * core, source-worker.ts) over Kinesis shards: ReportBatchItemFailures checkpoints at the lowest
 * reported failure; the chaos step `kinesis-poller:before-checkpoint` re-delivers.
 */
export async function startKinesisPoller(options: KinesisPollerOptions): Promise<KinesisPoller> {
  const { client, streamName } = options;
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const streamArn = summary.StreamDescriptionSummary?.StreamARN ?? `arn:aws:kinesis:::stream/${streamName}`;
  const region = streamArn.split(':')[3] || 'us-east-1';
  const shardIds = await listShardIds(client, streamName);
  const settings = mappingSettings(options, region, 0);
  const roleArn = `arn:aws:iam::000000000000:role/${options.functionName}-role`;
  const shards = shardIds.map(
    (shardId) =>
      new KinesisShard(
        new ShardReader(client, streamName, shardId),
        { streamArn, shardId, region, roleArn },
        options.startingPosition ?? 'TRIM_HORIZON',
        options.reportBatchItemFailures ?? true,
        options.checkpoints?.[shardId],
      ),
  );
  const running = runWorkers(
    shards.map((shard) => new SourceWorker(shard, settings)),
    `stream ${streamName}`,
  );
  return {
    shardIds,
    checkpoints: () => Object.fromEntries(shards.map((s, i) => [shardIds[i]!, s.checkpointed])),
    drain: (drainOptions = {}) => running.drain(drainOptions.timeoutMs ?? 60_000),
    stop: () => running.stop(),
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
