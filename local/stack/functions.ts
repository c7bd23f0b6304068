/**
 * The pipeline's functions built in-process for the local stack: the same handler factories the
 * files in `functions/` call, given a configuration that points at the local endpoints instead of
 * the environment, so several stacks (tests) can live in one process.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type AnalyticsSummary, runAnalytics } from '../../libs/analytics';
import { createBatchCleanHandler, createLandTopicsHandler, createRestProxyHandler } from '../../libs/batch';
import type { Config } from '../../libs/config';
import { createKafkaProducer } from '../../libs/kafka';
import { createKinesisClient, createStreamApiHandler } from '../../libs/kinesis';
import { createStreamToDeltaHandler } from '../../libs/pipeline';
import type { ObjectStore } from '../../libs/storage';

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

/** Builds ingest-stream and ingest-batch for `config` (its Kinesis endpoint, Kafka brokers, API key). */
export function createEdgeFunctions(config: Config, logLevel: FunctionLogLevel): EdgeFunctions {
  const producer = createKafkaProducer({
    clientId: `pinlake-local-${config.pipelineId}`,
    connection: { kind: 'plain', brokers: config.kafkaBrokers },
  });
  const kinesis = createKinesisClient({ region: config.region, endpoint: config.kinesisEndpoint });
  return {
    ingestStream: createStreamApiHandler({ config, kinesis, logger: logger('ingest-stream', logLevel) }),
    ingestBatch: createRestProxyHandler({ config, producer, logger: logger('ingest-batch', logLevel) }),
    close: async () => {
      await producer.close();
      kinesis.destroy();
    },
  };
}

/** Builds stream-to-delta, land-topics and batch-clean over `store`, the lake. */
export function createEventFunctions(
  config: Config,
  store: ObjectStore,
  logLevel: FunctionLogLevel,
): EventFunctions {
  const { pipelineId } = config;
  return {
    streamToDelta: createStreamToDeltaHandler({
      store,
      pipelineId,
      logger: logger('stream-to-delta', logLevel),
      metrics: quietMetrics('stream-to-delta'),
    }),
    landTopics: createLandTopicsHandler({
      store,
      logger: logger('land-topics', logLevel),
      metrics: quietMetrics('land-topics'),
    }),
    batchClean: createBatchCleanHandler({
      store,
      pipelineId,
      logger: logger('batch-clean', logLevel),
      metrics: quietMetrics('batch-clean'),
    }),
    // As functions/batch-analytics.ts does: the schedule's time names the run.
    batchAnalytics: (event) =>
      runAnalytics(store, { now: event.time === undefined ? new Date() : new Date(event.time) }),
  };
}
