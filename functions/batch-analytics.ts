import { athenaSettingsFor } from '../libs/analytics';
import { createBatchAnalyticsHandler } from '../libs/analytics/batch-analytics-handler';
import { openLake } from '../libs/lake/open-lake';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container. ANALYTICS_ENGINE=athena: the queries run on Athena over the Glue tables
// (otherwise DuckDB, in this function).
const { config, logger } = lambdaRuntime();
const store = openLake(config, config.lakeUri);

/** Daily schedule → tables/batch → tables/analytics/<id> + reports/ (see libs/analytics/run-analytics.ts). */
export const handler = createBatchAnalyticsHandler({
  store,
  logger,
  options: { athena: athenaSettingsFor(config) },
});
