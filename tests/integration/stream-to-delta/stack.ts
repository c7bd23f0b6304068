/**
 * The streaming path on the local stack for the end-to-end tests: the real ingest-stream handler behind
 * the local API server, kinesalite, the Kinesis pollers with Lambda's semantics, and the real
 * stream-to-delta handler writing a file lake in a temp dir. Each stack has its own pipeline id, so its
 * streams hold only what its test sent.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamEvent } from 'aws-lambda';
import { loadConfig } from '../../../libs/config';
import { createStreamApiHandler } from '../../../libs/kinesis';
import { streamName } from '../../../libs/naming';
import { KINDS, type Kind } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { createStreamToDeltaHandler } from '../../../libs/stream-to-delta';
import { type ApiServer, startApiServer } from '../../../local/api';
import { createStreams, type LocalKinesis } from '../../../local/kinesis';
import { createLambdaContext, type KinesisPoller, startKinesisPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';

const API_KEY = 'pinlakeExampleApiKey0123456789';

const silent = () => new Logger({ serviceName: 'e2e', logLevel: 'SILENT' });

function quietMetrics(): Metrics {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'pinlake', serviceName: 'stream-to-delta', logger: silent() });
  } finally {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
}

/** A running streaming path. */
export interface StreamStack {
  readonly pipelineId: string;
  readonly api: ApiServer;
  readonly store: FileStore;
  /** Every event the pollers delivered to stream-to-delta, in order (crashed deliveries included). */
  readonly delivered: KinesisStreamEvent[];
  /** Invokes stream-to-delta directly, as a redelivery would. */
  invoke(event: KinesisStreamEvent): Promise<unknown>;
  /** Calls the API with the key; resolves the status and the JSON body. */
  call(method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** Starts the three pollers (retrying a failing batch up to 10,000 times, never giving up here). */
  poll(options?: { batchSize?: number }): Promise<void>;
  /** Waits until every shard of every stream is caught up. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

let stacks = 0;

/** Starts a stack on the shared kinesalite; call `close` in afterEach. */
export async function startStreamStack(kinesis: LocalKinesis): Promise<StreamStack> {
  stacks += 1;
  const pipelineId = `e2e${stacks}`;
  await createStreams(
    kinesis.client,
    KINDS.map((kind) => streamName(pipelineId, kind)),
    { shardCount: 2 },
  );
  const config = loadConfig({ PIPELINE_ID: pipelineId, KINESIS_ENDPOINT: kinesis.endpoint, API_KEY });
  const ingest = createStreamApiHandler({ config, kinesis: kinesis.client, logger: silent() });
  const routes = ['/streams/{stream}/record', '/streams/{stream}/records'].map((resource) => ({
    method: 'PUT',
    resource,
    handler: ingest,
    functionName: 'ingest-stream',
  }));
  const api = await startApiServer({ routes });
  const lake = await makeTempDir(`s2d-${pipelineId}`);
  const store = new FileStore(lake.path);
  const handler = createStreamToDeltaHandler({
    store,
    pipelineId,
    logger: silent(),
    metrics: quietMetrics(),
  });
  const context = () =>
    createLambdaContext({ functionName: 'stream-to-delta', region: 'us-east-1', timeoutMs: 60_000 });
  const delivered: KinesisStreamEvent[] = [];
  const pollers: KinesisPoller[] = [];
  return {
    pipelineId,
    api,
    store,
    delivered,
    invoke: (event) => handler(event, context()),
    call: async (method, path, body) => {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    },
    poll: async (options = {}) => {
      for (const kind of KINDS) {
        pollers.push(
          await startKinesisPoller({
            client: kinesis.client,
            streamName: streamName(pipelineId, kind),
            functionName: 'stream-to-delta',
            handler: (event, ctx) => {
              delivered.push(structuredClone(event));
              return handler(event, ctx);
            },
            onFailure: store,
            batchSize: options.batchSize ?? 100,
            maximumRetryAttempts: 10_000,
            pollIntervalMs: 10,
          }),
        );
      }
    },
    drain: async () => {
      for (const poller of pollers) await poller.drain({ timeoutMs: 60_000 });
    },
    close: async () => {
      await Promise.all(pollers.map((p) => p.stop()));
      await api.close();
      await lake.cleanup();
    },
  };
}

/** The stream of a kind in a stack. */
export const streamOf = (stack: StreamStack, kind: Kind) => streamName(stack.pipelineId, kind);
