/**
 * The batch-analytics Lambda handler (a daily EventBridge schedule): middy with Powertools logging
 * around {@link runAnalytics}, answering the run's summary.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { ObjectStore } from '../storage/types';
import { type AnalyticsSummary, type RunAnalyticsOptions, runAnalytics } from './run-analytics';

/** What the handler is built from: the lake, Powertools' logger, and the run's settings. */
export interface BatchAnalyticsDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Everything but the run's time, which comes from the event. */
  readonly options?: Omit<RunAnalyticsOptions, 'now'>;
}

/**
 * The run's time: the schedule's `time`, so a retried event repeats the same run (the same txn
 * version and run id); now when the event has no valid time (an invocation by hand).
 */
function scheduledRunTime(event: { readonly time?: string } | undefined, now = new Date()): Date {
  const time = event?.time === undefined ? Number.NaN : Date.parse(event.time);
  return Number.isNaN(time) ? now : new Date(time);
}

/** Builds the handler: answers the nine questions for the schedule's time, logs and answers the summary. */
export function createBatchAnalyticsHandler(deps: BatchAnalyticsDeps) {
  const { logger } = deps;
  return middy<Partial<ScheduledEvent>, AnalyticsSummary>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const summary = await runAnalytics(deps.store, { ...deps.options, now: scheduledRunTime(event) });
      logger.info('analytics finished', { ...summary });
      return summary;
    });
}
