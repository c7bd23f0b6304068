import { createBatchAnalyticsHandler } from '../libs/analytics/batch-analytics-handler';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container.
const { store, logger } = lambdaRuntime();

/** Daily schedule → tables/batch → tables/analytics/<id> + reports/ (see libs/analytics/run-analytics.ts). */
export const handler = createBatchAnalyticsHandler({ store, logger });
