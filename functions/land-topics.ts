import { createLandTopicsHandler } from '../libs/batch/land-topics-handler';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const { store, logger, metrics } = lambdaRuntime();

/** MSK → raw/topics/… in the Confluent S3 sink layout (see libs/batch/landing.ts). */
export const handler = createLandTopicsHandler({ store, logger, metrics: metrics() });
