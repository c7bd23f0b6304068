/**
 * The batch path on the local stack for the integration tests: the real ingest-batch handler behind
 * the local API server, the embedded Kafka broker, the MSK pollers with Lambda's semantics feeding the
 * real land-topics handler, and the real batch-clean handler, all on a file lake in a temp dir. Each
 * stack has its own pipeline id, so its topics hold only what its test sent.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MSKEvent } from 'aws-lambda';
import {
  type BatchCleanSummary,
  createBatchCleanHandler,
  createLandTopicsHandler,
  createRestProxyHandler,
} from '../../../libs/batch';
import { ChaosError } from '../../../libs/chaos';
import { loadConfig } from '../../../libs/config';
import { loadSnapshot, readRows, type TableRow } from '../../../libs/delta';
import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { topicName } from '../../../libs/naming';
import { KINDS, type Kind } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { type ApiServer, startApiServer } from '../../../local/api';
import type { KafkaBroker } from '../../../local/kafka';
import { createLambdaContext, type MskPoller, startMskPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';

const silent = () => new Logger({ serviceName: 'batch-it', logLevel: 'SILENT' });

function quietMetrics(): Metrics {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'pinlake', serviceName: 'batch-it', logger: silent() });
  } finally {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
}

/** Settings of a stack. */
export interface BatchStackOptions {
  /** The key the API requires; none by default (the seed's emulator sends none). */
  readonly apiKey?: string;
  readonly partitions?: number;
  /** batch-clean's records per commit (default its own). */
  readonly chunkRecords?: number;
}

/** A running batch path. */
export interface BatchStack {
  readonly pipelineId: string;
  readonly api: ApiServer;
  readonly store: FileStore;
  readonly lakePath: string;
  readonly producer: KafkaProducer;
  /** Every event the pollers delivered to land-topics, in order (crashed deliveries included). */
  readonly delivered: MSKEvent[];
  /** The chaos steps that failed in land-topics, the pollers and batch-clean. */
  readonly chaosSteps: Set<string>;
  /** The topic of a kind. */
  topic(kind: Kind): string;
  /** POSTs a raw body to `/topics/<topic>`; resolves the status, content type and JSON body. */
  post(topic: string, body: string, headers?: Record<string, string>): Promise<Reply>;
  /** POSTs `{"records": [{"value"}…]}` with the REST Proxy content type. */
  postValues(kind: Kind, values: readonly unknown[]): Promise<Reply>;
  /** Starts the three MSK pollers (retrying a failing batch up to 1,000 times). */
  poll(options?: { batchSize?: number }): void;
  /** Waits until every partition of every topic is caught up. */
  drain(): Promise<void>;
  /** Invokes land-topics directly, as a redelivery would. */
  land(event: MSKEvent): Promise<unknown>;
  /** Runs batch-clean until a run succeeds (chaos makes runs fail); resolves the successful summary. */
  clean(): Promise<BatchCleanSummary>;
  /** The rows of `tables/batch/<kind>` sorted by source, and the table version. */
  table(kind: Kind): Promise<{ version: number; rows: TableRow[] }>;
  close(): Promise<void>;
}

/** An HTTP reply. */
interface Reply {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

let stacks = 0;

/** Starts a stack on the shared broker; call `close` in afterEach/afterAll. */
export async function startBatchStack(
  broker: KafkaBroker,
  options: BatchStackOptions = {},
): Promise<BatchStack> {
  stacks += 1;
  const pipelineId = `batch${stacks}`;
  for (const kind of KINDS) broker.createTopic(topicName(pipelineId, kind), options.partitions ?? 2);
  const config = loadConfig({
    PIPELINE_ID: pipelineId,
    KAFKA_BROKERS: broker.bootstrap,
    API_KEY: options.apiKey,
  });
  const producer = createKafkaProducer({
    clientId: `batch-it-${pipelineId}`,
    connection: { kind: 'plain', brokers: [broker.bootstrap] },
  });
  const ingest = createRestProxyHandler({ config, producer, logger: silent() });
  const api = await startApiServer({
    routes: [{ method: 'POST', resource: '/topics/{topic}', handler: ingest, functionName: 'ingest-batch' }],
  });
  const lake = await makeTempDir(`batch-${pipelineId}`);
  const store = new FileStore(lake.path);
  const landTopics = createLandTopicsHandler({ store, logger: silent(), metrics: quietMetrics() });
  const batchClean = createBatchCleanHandler({
    store,
    pipelineId,
    logger: silent(),
    metrics: quietMetrics(),
    options: { chunkRecords: options.chunkRecords },
  });
  const context = (functionName: string) => createLambdaContext({ functionName, timeoutMs: 120_000 });
  const delivered: MSKEvent[] = [];
  // Started by poll() without waiting: drain() and close() wait for each to have started.
  const pollers: Promise<MskPoller>[] = [];
  const chaosSteps = new Set<string>();
  const noteChaos = (error: unknown) => {
    if (error instanceof ChaosError) chaosSteps.add(error.step);
    return error;
  };

  const post = async (topic: string, body: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${api.url}/topics/${encodeURIComponent(topic)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.kafka.json.v2+json', ...headers },
      body,
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as unknown,
    };
  };

  return {
    pipelineId,
    api,
    store,
    lakePath: lake.path,
    producer,
    delivered,
    chaosSteps,
    topic: (kind) => topicName(pipelineId, kind),
    post,
    postValues: (kind, values) =>
      post(topicName(pipelineId, kind), JSON.stringify({ records: values.map((value) => ({ value })) })),
    poll: (pollOptions = {}) => {
      for (const kind of KINDS) {
        pollers.push(
          startMskPoller({
            bootstrapServers: broker.bootstrap,
            topic: topicName(pipelineId, kind),
            functionName: 'land-topics',
            handler: (event, ctx) => {
              delivered.push(structuredClone(event));
              return landTopics(event, ctx).catch((error) => Promise.reject(noteChaos(error)));
            },
            log: (message) => {
              if (message.startsWith('poller crashed')) chaosSteps.add('msk-poller:before-commit');
            },
            onFailure: store,
            batchSize: pollOptions.batchSize ?? 25,
            batchingWindowMs: 20,
            maximumRetryAttempts: 1_000,
            pollIntervalMs: 5,
          }),
        );
      }
    },
    drain: async () => {
      for (const poller of pollers) await (await poller).drain({ timeoutMs: 60_000 });
    },
    land: (event) => landTopics(event, context('land-topics')),
    clean: async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await batchClean({}, context('batch-clean'));
        } catch (error) {
          if (!(noteChaos(error) instanceof ChaosError) || attempt === 1_000) throw error;
        }
      }
    },
    table: async (kind) => {
      const snapshot = await loadSnapshot(store, `tables/batch/${kind}`);
      const rows = await readRows(store, snapshot);
      rows.sort((a, b) => (String(a.source) < String(b.source) ? -1 : 1));
      return { version: snapshot.version, rows };
    },
    close: async () => {
      await Promise.all(pollers.map(async (p) => (await p).stop()));
      await producer.close();
      await api.close();
      await lake.cleanup();
    },
  };
}
