import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../libs/config';
import { createKinesisClient, createStreamApiHandler } from '../libs/kinesis';

// Built once per container: configuration, logger and the Kinesis client are reused across invocations.
const config = getConfig();
const logger = new Logger({ serviceName: 'ingest-stream' });
const kinesis = createKinesisClient({ region: config.region, endpoint: config.kinesisEndpoint });

/** API Gateway → Kinesis: the streaming ingest routes (see libs/kinesis/stream-api-handler.ts). */
export const handler = createStreamApiHandler({ config, kinesis, logger });
