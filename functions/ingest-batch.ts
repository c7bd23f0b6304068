import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createRestProxyHandler } from '../libs/batch/rest-proxy-handler';
import { getConfig } from '../libs/config';
import { createKafkaProducer, kafkaConfigFromEnv } from '../libs/kafka';

// Built once per container: configuration, logger and the Kafka producer (it connects on first use).
const config = getConfig();
const logger = new Logger({ serviceName: 'ingest-batch' });
const metrics = new Metrics({ namespace: 'pinlake', serviceName: 'ingest-batch' });
const producer = createKafkaProducer(kafkaConfigFromEnv(process.env));

/** API Gateway → Kafka: the REST Proxy v2 produce call (see libs/batch/rest-proxy-handler.ts). */
export const handler = createRestProxyHandler({ config, producer, logger, metrics });
