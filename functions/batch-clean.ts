import { createBatchCleanHandler } from '../libs/batch/batch-clean-handler';
import { openLake } from '../libs/lake/open-lake';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const { config, logger, metrics } = lambdaRuntime();
const store = openLake(config, config.lakeUri);

/** Schedule → raw landing → tables/batch/<kind>, incrementally and exactly once (see libs/batch/batch-clean.ts). */
export const handler = createBatchCleanHandler({
  store,
  pipelineId: config.pipelineId,
  logger,
  metrics: metrics(),
});
