import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createLandTopicsHandler } from '../libs/batch/land-topics-handler';
import { getConfig } from '../libs/config';
import { openStore } from '../libs/storage';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const config = getConfig();
const store = openStore(config.lakeUri, { region: config.region, endpoint: config.s3Endpoint });
const logger = new Logger({ serviceName: 'land-topics' });
const metrics = new Metrics({ namespace: 'pinlake', serviceName: 'land-topics' });

/** MSK → raw/topics/… in the Confluent S3 sink layout (see libs/batch/landing.ts). */
export const handler = createLandTopicsHandler({ store, logger, metrics });
