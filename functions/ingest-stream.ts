import { createKinesisClient, createStreamApiHandler } from '../libs/kinesis';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container: configuration, logger and the Kinesis client are reused across invocations.
const { config, logger } = lambdaRuntime();
const kinesis = createKinesisClient({ region: config.region, endpoint: config.kinesisEndpoint });

/** API Gateway → Kinesis: the streaming ingest routes (see libs/kinesis/stream-api-handler.ts). */
export const handler = createStreamApiHandler({ config, kinesis, logger });
