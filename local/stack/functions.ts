/**
 * The pipeline's functions built in-process for the local stack: the same handler factories the
 * files in `functions/` call, given a configuration that points at the local endpoints instead of
 * the environment, so several stacks (tests) can live in one process.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type AnalyticsSummary, runAnalytics } from '../../libs/analytics';
import { createBatchCleanHandler, createLandTopicsHandler, createRestProxyHandler } from '../../libs/batch';
import { type Config, loadConfig } from '../../libs/config';
import { createKafkaProducer, kafkaConfigFromEnv } from '../../libs/kafka';
import { createKinesisClient, createStreamApiHandler } from '../../libs/kinesis';
import { maintainTables, type TableUpkeep } from '../../libs/maintenance';
import type { ObjectStore } from '../../libs/storage';
import { createStreamToDeltaHandler } from '../../libs/stream-to-delta';

/** Powertools log levels the stack accepts for its functions' logs. */
export type FunctionLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/** The functions behind the API, and the clients they hold open. */
export interface EdgeFunctions {
  readonly ingestStream: ReturnType<typeof createStreamApiHandler>;
  readonly ingestBatch: ReturnType<typeof createRestProxyHandler>;
  /** Closes the Kafka producer and the Kinesis client. */
  close(): Promise<void>;
}

/** The functions the event sources and the schedule invoke. */
export interface EventFunctions {
  readonly streamToDelta: ReturnType<typeof createStreamToDeltaHandler>;
  readonly landTopics: ReturnType<typeof createLandTopicsHandler>;
  readonly batchClean: ReturnType<typeof createBatchCleanHandler>;
  /** batch-analytics: the batch tables → `tables/analytics/<id>` and the report, for a run at `time`. */
  readonly batchAnalytics: (event: { readonly time?: string }) => Promise<AnalyticsSummary>;
  /** maintain-tables: checkpoints, compaction and vacuum of every table. */
  readonly maintainTables: (options: { retentionHours?: number }) => Promise<TableUpkeep[]>;
}

const logger = (serviceName: string, logLevel: FunctionLogLevel) => new Logger({ serviceName, logLevel });

// Metrics go to stdout as EMF on every invocation; locally they would drown the summary.
function quietMetrics(serviceName: string): Metrics {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'pinlake', serviceName, logger: logger('metrics', 'SILENT') });
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}

/** Credentials a function signs its AWS calls with locally (undefined: the default chain). */
export type CredentialsFor = (functionName: string) => { accessKeyId: string; secretAccessKey: string };

/**
 * Builds ingest-stream and ingest-batch from `env` as their entry files do (configuration and Kafka
 * settings from the environment: plain brokers, or MSK with IAM through the MSK API stand-in), each
 * signing as its own role when `credentialsFor` is given.
 */
export function createEdgeFunctions(
  env: Readonly<Record<string, string>>,
  logLevel: FunctionLogLevel,
  credentialsFor?: CredentialsFor,
): EdgeFunctions {
  const config = loadConfig(env);
  const kafka = kafkaConfigFromEnv({ KAFKA_CLIENT_ID: `pinlake-local-${config.pipelineId}`, ...env });
  const connection =
    kafka.connection.kind === 'msk-iam' && credentialsFor
      ? { ...kafka.connection, credentials: credentialsFor('ingest-batch') }
      : kafka.connection;
  const producer = createKafkaProducer({ ...kafka, connection });
  const kinesis = createKinesisClient({
    region: config.region,
    endpoint: config.kinesisEndpoint,
    credentials: credentialsFor?.('ingest-stream'),
  });
  return {
    ingestStream: createStreamApiHandler({ config, kinesis, logger: logger('ingest-stream', logLevel) }),
    ingestBatch: createRestProxyHandler({
      config,
      producer,
      logger: logger('ingest-batch', logLevel),
      metrics: quietMetrics('ingest-batch'),
    }),
    close: async () => {
      await producer.close();
      kinesis.destroy();
    },
  };
}

/**
 * Builds stream-to-delta, land-topics, batch-clean and batch-analytics, each over the lake as
 * `storeFor` gives it to that function (with its role's permissions enforced, or not).
 */
export function createEventFunctions(
  config: Config,
  storeFor: (functionName: string) => ObjectStore,
  logLevel: FunctionLogLevel,
): EventFunctions {
  const { pipelineId } = config;
  return {
    streamToDelta: createStreamToDeltaHandler({
      store: storeFor('stream-to-delta'),
      pipelineId,
      logger: logger('stream-to-delta', logLevel),
      metrics: quietMetrics('stream-to-delta'),
    }),
    landTopics: createLandTopicsHandler({
      store: storeFor('land-topics'),
      logger: logger('land-topics', logLevel),
      metrics: quietMetrics('land-topics'),
    }),
    batchClean: createBatchCleanHandler({
      store: storeFor('batch-clean'),
      pipelineId,
      logger: logger('batch-clean', logLevel),
      metrics: quietMetrics('batch-clean'),
    }),
    // As functions/batch-analytics.ts does: the schedule's time names the run.
    batchAnalytics: (event) =>
      runAnalytics(storeFor('batch-analytics'), {
        now: event.time === undefined ? new Date() : new Date(event.time),
      }),
    maintainTables: (options) =>
      maintainTables(storeFor('maintain-tables'), {
        retentionHours: options.retentionHours ?? config.vacuumRetentionHours,
      }),
  };
}
