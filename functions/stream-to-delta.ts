import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { getConfig } from '../libs/config';
import { openStore } from '../libs/storage';
import { createStreamToDeltaHandler } from '../libs/stream-to-delta';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const config = getConfig();
const store = openStore(config.lakeUri, { region: config.region, endpoint: config.s3Endpoint });
const logger = new Logger({ serviceName: 'stream-to-delta' });
const metrics = new Metrics({ namespace: 'pinlake', serviceName: 'stream-to-delta' });

/** Kinesis → tables/stream/<kind>, exactly once (see libs/stream-to-delta/write-kinesis-batch.ts). */
export const handler = createStreamToDeltaHandler({ store, pipelineId: config.pipelineId, logger, metrics });
