import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { type AnalyticsSummary, athenaSettingsFor, runAnalytics } from '../libs/analytics';
import { getConfig } from '../libs/config';
import { openStore } from '../libs/storage';

// Built once per container.
const config = getConfig();
const logger = new Logger({ serviceName: 'batch-analytics' });
const store = openStore(config.lakeUri, { region: config.region, endpoint: config.s3Endpoint });
// ANALYTICS_ENGINE=athena: the queries run on Athena over the Glue tables (undefined: DuckDB here).
const athena = athenaSettingsFor(config);

/** The run's time: the schedule's `time`, so a retried event repeats the same run (same txn version). */
function runTime(event: Partial<ScheduledEvent> | undefined): Date {
  const time = event?.time === undefined ? Number.NaN : Date.parse(event.time);
  return Number.isNaN(time) ? new Date() : new Date(time);
}

/** Daily schedule → tables/batch → tables/analytics/<id> + reports/ (see libs/analytics/run-analytics.ts). */
export const handler = middy<Partial<ScheduledEvent>, AnalyticsSummary>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const summary = await runAnalytics(store, { now: runTime(event), athena });
    logger.info('analytics finished', { ...summary });
    return summary;
  });
