/**
 * The stream-to-delta Lambda handler: middy with Powertools logging and metrics around
 * {@link writeKinesisBatch}, answering Lambda's partial batch response.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { KinesisStreamEvent } from 'aws-lambda';
import { maybeFail } from '../chaos';
import { SnapshotCache } from '../delta';
import type { ObjectStore } from '../storage';
import { type BatchItemFailure, type StreamCommitMode, writeKinesisBatch } from './write-kinesis-batch';

/** What the handler is built from: the lake, the pipeline id, and Powertools' logger and metrics. */
export interface StreamHandlerDeps {
  readonly store: ObjectStore;
  readonly pipelineId: string;
  readonly logger: Logger;
  /** Publishes `RowsWritten`, `QuarantinedRecords`, `SkippedRecords` per invocation, by `table`. */
  readonly metrics: Metrics;
  /** The snapshots kept across invocations; the handler builds its own when absent (one per container). */
  readonly snapshots?: SnapshotCache;
  /** `direct` (default) or `staged` (group commits: a batch is staged for commit-staged). */
  readonly commitMode?: StreamCommitMode;
}

/** Lambda's partial batch response for Kinesis (with `ReportBatchItemFailures`). */
export interface StreamBatchResponse {
  batchItemFailures: BatchItemFailure[];
}

/**
 * Builds the handler: writes the batch exactly once, logs and counts what happened, and answers
 * `{ batchItemFailures }`, empty unless a storage failure left records to deliver again. Throws what
 * a retry of the whole batch should handle (Lambda retries and bisects). Chaos step
 * `stream-to-delta:before-reply` fails after everything was written, as a crash before replying would.
 */
export function createStreamToDeltaHandler(handlerDeps: StreamHandlerDeps) {
  const { logger, metrics } = handlerDeps;
  // Warm invocations refresh each table from its log tail instead of loading it again.
  const deps = { ...handlerDeps, snapshots: handlerDeps.snapshots ?? new SnapshotCache() };
  return middy<KinesisStreamEvent, StreamBatchResponse>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const outcome = await writeKinesisBatch(event, deps);
      const { error, batchItemFailures, ...summary } = outcome;
      metrics.addDimension('table', `stream/${outcome.kind}`);
      metrics.addMetric('RowsWritten', MetricUnit.Count, outcome.rowsWritten);
      metrics.addMetric('QuarantinedRecords', MetricUnit.Count, outcome.quarantined);
      metrics.addMetric('SkippedRecords', MetricUnit.Count, outcome.skipped);
      if (error)
        logger.warn('storage failure; asking for the batch again', { ...summary, batchItemFailures, error });
      else logger.info('batch written', summary);
      maybeFail('stream-to-delta:before-reply');
      return { batchItemFailures };
    });
}
