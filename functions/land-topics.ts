import { createLandTopicsHandler } from '../libs/batch/land-topics-handler';
import { openLake } from '../libs/lake/open-lake';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const { config, logger, metrics } = lambdaRuntime();
const store = openLake(config, config.lakeUri);

/** MSK → raw/topics/… in the Confluent S3 sink layout (see libs/batch/landing.ts). */
export const handler = createLandTopicsHandler({ store, logger, metrics: metrics() });
