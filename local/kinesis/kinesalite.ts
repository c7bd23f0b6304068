import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import kinesalite from 'kinesalite';
import { streamNames } from '../../libs/config';
import { createKinesisClient } from '../../libs/kinesis';
import { listen } from '../listen';

/** Settings of {@link startKinesis}. */
export interface LocalKinesisOptions {
  /** Names the three streams `streaming-<id>-pin|geo|user` (default `pinlake`). */
  readonly pipelineId?: string;
  /** Shards per stream (default 2, so per-shard behaviour is exercised). */
  readonly shardCount?: number;
  /** Port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  /** Region the streams' ARNs name (default us-east-1). */
  readonly region?: string;
  /** How long creating a stream takes before it turns ACTIVE (default 10 ms; kinesalite's own is 500). */
  readonly createStreamMs?: number;
  /** Longest wait for the streams to turn ACTIVE (default 10 s). */
  readonly readyTimeoutMs?: number;
}

/** A running local Kinesis. */
export interface LocalKinesis {
  /** `http://127.0.0.1:<port>`, for `KINESIS_ENDPOINT`. */
  readonly endpoint: string;
  readonly region: string;
  /** A client for this endpoint. */
  readonly client: KinesisClient;
  /** The pipeline's streams, in kind order (pin, geo, user). */
  readonly streams: readonly string[];
  /** Stops the server and frees its memory. */
  close(): Promise<void>;
}

/** Raised when the local Kinesis cannot start or its streams never turn ACTIVE. */
export class LocalKinesisError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalKinesisError';
  }
}

/**
 * Starts kinesalite in this process, in memory (memdown; the optional native leveldown is only loaded
 * for an on-disk path, which this never passes), on 127.0.0.1, creates the pipeline's three streams
 * and resolves once all are ACTIVE. Creating a stream that already exists is not an error.
 */
export async function startKinesis(options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
  const region = options.region ?? 'us-east-1';
  const server = kinesalite({
    createStreamMs: options.createStreamMs ?? 10,
    deleteStreamMs: 10,
    updateStreamMs: 10,
    shardLimit: 1000,
  });
  const port = await listen(server, options.port);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createKinesisClient({ region, endpoint });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };
  const streams = streamNames(options.pipelineId ?? 'pinlake');
  try {
    await createStreams(client, streams, {
      shardCount: options.shardCount ?? 2,
      timeoutMs: options.readyTimeoutMs ?? 10_000,
    });
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { endpoint, region, client, streams, close };
}

/**
 * Creates streams (an existing one is left as it is) and resolves once all are ACTIVE; throws a
 * {@link LocalKinesisError} when one cannot be created or is not ACTIVE within `timeoutMs`.
 */
export async function createStreams(
  client: KinesisClient,
  streams: readonly string[],
  options: { readonly shardCount: number; readonly timeoutMs?: number },
): Promise<void> {
  for (const name of streams) {
    try {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: options.shardCount }));
    } catch (error) {
      if (error instanceof ResourceInUseException) continue;
      throw new LocalKinesisError(`cannot create stream ${name} in the local Kinesis`, { cause: error });
    }
  }
  await waitUntilActive(client, streams, options.timeoutMs ?? 10_000);
}

async function waitUntilActive(client: KinesisClient, streams: readonly string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (const name of streams) {
    for (;;) {
      const { StreamDescriptionSummary: summary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      if (summary?.StreamStatus === 'ACTIVE') break;
      if (Date.now() > deadline) {
        throw new LocalKinesisError(`stream ${name} is still ${summary?.StreamStatus} after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
