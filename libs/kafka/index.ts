export type { KafkaConnection, KafkaProducerConfig } from './config';
export {
  clearMskBootstrapCache,
  MskBootstrapError,
  type MskTokenSigner,
  mskClient,
  mskOauthBearerTokenProvider,
  resolveMskBootstrapBrokers,
} from './msk-iam';
export { partitionForKey } from './partitioner';
export {
  createKafkaProducer,
  type KafkaProducer,
  type KafkaProducerDeps,
  type ProduceRecord,
  type ProduceResult,
  UnknownTopicError,
} from './producer';
