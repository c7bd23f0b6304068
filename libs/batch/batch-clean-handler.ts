/**
 * The batch-clean Lambda handler (an EventBridge schedule): middy with Powertools logging and metrics
 * around {@link runBatchClean}, answering the run's summary.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { KINDS } from '../records';
import type { ObjectStore } from '../storage';
import { type BatchCleanOptions, type BatchCleanSummary, runBatchClean } from './batch-clean';

/** What the handler is built from: the lake, the pipeline id, Powertools' logger and metrics. */
export interface BatchCleanDeps {
  readonly store: ObjectStore;
  readonly pipelineId: string;
  readonly logger: Logger;
  /** Publishes `RowsWritten` (all tables) and `QuarantinedRecords` per run. */
  readonly metrics: Metrics;
  readonly options?: BatchCleanOptions;
}

/**
 * Builds the handler: cleans what is new in the raw landing, logs and answers the summary. Any
 * failure throws; the next run (or a retry) continues from the last commit, exactly once.
 */
export function createBatchCleanHandler(deps: BatchCleanDeps) {
  const { logger, metrics } = deps;
  return middy<ScheduledEvent | Record<string, never>, BatchCleanSummary>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async () => {
      const summary = await runBatchClean(deps.store, deps.pipelineId, deps.options);
      const rows = KINDS.reduce((sum, kind) => sum + summary.rowsWritten[kind], 0);
      metrics.addMetric('RowsWritten', MetricUnit.Count, rows);
      metrics.addMetric('QuarantinedRecords', MetricUnit.Count, summary.quarantined);
      logger.info('batch clean finished', { ...summary, partitions: summary.partitions.length });
      return summary;
    });
}
