import { createRestProxyHandler } from '../libs/batch/rest-proxy-handler';
import { kafkaProducerConfig } from '../libs/config';
import { createKafkaProducer } from '../libs/kafka';
import { lambdaRuntime } from '../libs/lambda-runtime';

// Built once per container: configuration, logger, metrics and the Kafka producer (it connects on first use).
const { config, logger, metrics } = lambdaRuntime();
const producer = createKafkaProducer(kafkaProducerConfig(config));

/** API Gateway → Kafka: the REST Proxy v2 produce call (see libs/batch/rest-proxy-handler.ts). */
export const handler = createRestProxyHandler({ config, producer, logger, metrics: metrics() });
