import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createBatchCleanHandler } from '../libs/batch/batch-clean-handler';
import { getConfig } from '../libs/config';
import { openStore } from '../libs/storage';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const config = getConfig();
const store = openStore(config.lakeUri, { region: config.region, endpoint: config.s3Endpoint });
const logger = new Logger({ serviceName: 'batch-clean' });
const metrics = new Metrics({ namespace: 'pinlake', serviceName: 'batch-clean' });

/** Schedule → raw landing → tables/batch/<kind>, incrementally and exactly once (see libs/batch/batch-clean.ts). */
export const handler = createBatchCleanHandler({ store, pipelineId: config.pipelineId, logger, metrics });
