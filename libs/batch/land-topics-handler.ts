/**
 * The land-topics Lambda handler: middy with Powertools logging and metrics around {@link landMskEvent}.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { MSKEvent } from 'aws-lambda';
import { maybeFail } from '../chaos';
import type { ObjectStore } from '../storage';
import { landMskEvent } from './landing';

/** What the handler is built from: the lake, and Powertools' logger and metrics. */
export interface LandTopicsDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Publishes `RecordsLanded` and `FilesLanded` per invocation. */
  readonly metrics: Metrics;
}

/** The reply: always an empty partial-batch list (a failure throws, and the whole batch is retried). */
export interface LandTopicsResponse {
  batchItemFailures: [];
}

/**
 * Builds the handler: lands the batch (idempotent, so a retry is always safe), logs the files and
 * answers `{ batchItemFailures: [] }`. Any failure throws: the event source retries or bisects the
 * batch. Chaos step `land-topics:before-reply` fails after everything was written.
 */
export function createLandTopicsHandler(deps: LandTopicsDeps) {
  const { logger, metrics } = deps;
  return middy<MSKEvent, LandTopicsResponse>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const summary = await landMskEvent(deps.store, event);
      metrics.addMetric('RecordsLanded', MetricUnit.Count, summary.records);
      metrics.addMetric('FilesLanded', MetricUnit.Count, summary.files.length);
      metrics.addMetric('QuarantinedRecords', MetricUnit.Count, summary.quarantined);
      logger.info('batch landed', {
        records: summary.records,
        quarantined: summary.quarantined,
        files: summary.files.map((f) => `${f.key} (${f.startOffset}-${f.endOffset})`),
      });
      maybeFail('land-topics:before-reply');
      return { batchItemFailures: [] };
    });
}
