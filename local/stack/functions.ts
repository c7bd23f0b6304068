/**
 * The pipeline's functions built in-process for the local stack: the same handler factories the
 * files in `functions/` call, given a configuration that points at the local endpoints instead of
 * the environment, so several stacks (tests) can live in one process.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createBatchAnalyticsHandler } from '../../libs/analytics/batch-analytics-handler';
import { createBatchCleanHandler, createLandTopicsHandler, createRestProxyHandler } from '../../libs/batch';
import { type Config, kafkaProducerConfig, loadConfig } from '../../libs/config';
import { createKafkaProducer } from '../../libs/kafka';
import { createKinesisClient, createStreamApiHandler } from '../../libs/kinesis';
import { createMaintainTablesHandler, type MaintainOptions } from '../../libs/maintenance';
import type { ObjectStore } from '../../libs/storage';
import { createCommitStagedHandler, createStreamToDeltaHandler } from '../../libs/stream-to-delta';

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
  /** commit-staged: the stream tables' group commits (in the `staged` commit mode). */
  readonly commitStaged: ReturnType<typeof createCommitStagedHandler>;
  readonly landTopics: ReturnType<typeof createLandTopicsHandler>;
  readonly batchClean: ReturnType<typeof createBatchCleanHandler>;
  /** batch-analytics: the batch tables → `tables/analytics/<id>` and the report, for the event's `time`. */
  readonly batchAnalytics: ReturnType<typeof createBatchAnalyticsHandler>;
  /** maintain-tables with these settings: checkpoints, compaction and vacuum of every table. */
  readonly maintainTables: (options: MaintainOptions) => ReturnType<typeof createMaintainTablesHandler>;
}

/**
 * Each function's deployed environment by function name (local/deployment): its Powertools settings,
 * `POWERTOOLS_SERVICE_NAME` (serverless/functions.yml) and `POWERTOOLS_METRICS_NAMESPACE`
 * (serverless.yml), name its logs and metrics as in AWS.
 */
export type FunctionEnvironments = Readonly<Record<string, Readonly<Record<string, string>>>>;

const logger = (serviceName: string | undefined, logLevel: FunctionLogLevel) =>
  new Logger({ serviceName, logLevel });

// Metrics go to stdout as EMF on every invocation; locally they would drown the summary.
function quietMetrics(serviceName: string | undefined, namespace: string | undefined): Metrics {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ serviceName, namespace, logger: logger('metrics', 'SILENT') });
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
  environments: FunctionEnvironments,
  logLevel: FunctionLogLevel,
  credentialsFor?: CredentialsFor,
): EdgeFunctions {
  const service = (name: string) => environments[name]?.POWERTOOLS_SERVICE_NAME;
  const namespace = (name: string) => environments[name]?.POWERTOOLS_METRICS_NAMESPACE;
  const config = loadConfig({ KAFKA_CLIENT_ID: `pinlake-local-${env.PIPELINE_ID ?? 'pinlake'}`, ...env });
  const kafka = kafkaProducerConfig(config);
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
    ingestStream: createStreamApiHandler({
      config,
      kinesis,
      logger: logger(service('ingest-stream'), logLevel),
    }),
    ingestBatch: createRestProxyHandler({
      config,
      producer,
      logger: logger(service('ingest-batch'), logLevel),
      metrics: quietMetrics(service('ingest-batch'), namespace('ingest-batch')),
    }),
    close: async () => {
      await producer.close();
      kinesis.destroy();
    },
  };
}

/**
 * Builds stream-to-delta, commit-staged, land-topics, batch-clean, batch-analytics and maintain-tables with the
 * factories their entry files call, each over the lake as `storeFor` gives it to that function (with
 * its role's permissions enforced, or not).
 */
export function createEventFunctions(
  config: Config,
  storeFor: (functionName: string) => ObjectStore,
  environments: FunctionEnvironments,
  logLevel: FunctionLogLevel,
): EventFunctions {
  const { pipelineId } = config;
  const deps = (name: string) => {
    const { POWERTOOLS_SERVICE_NAME: service, POWERTOOLS_METRICS_NAMESPACE: namespace } =
      environments[name] ?? {};
    return {
      store: storeFor(name),
      logger: logger(service, logLevel),
      metrics: quietMetrics(service, namespace),
    };
  };
  const maintain = deps('maintain-tables');
  return {
    streamToDelta: createStreamToDeltaHandler({
      ...deps('stream-to-delta'),
      pipelineId,
      commitMode: config.streamCommitMode,
    }),
    commitStaged: createCommitStagedHandler({
      ...deps('commit-staged'),
      commitMode: config.streamCommitMode,
      idleMs: 250,
    }),
    landTopics: createLandTopicsHandler(deps('land-topics')),
    batchClean: createBatchCleanHandler({ ...deps('batch-clean'), pipelineId }),
    batchAnalytics: createBatchAnalyticsHandler(deps('batch-analytics')),
    maintainTables: (options) =>
      createMaintainTablesHandler({
        store: maintain.store,
        logger: maintain.logger,
        options: { retentionHours: config.vacuumRetentionHours, ...options },
      }),
  };
}
