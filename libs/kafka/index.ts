export type { KafkaConnection, KafkaProducerConfig } from './config';
export { KafkaConsumer, type KafkaConsumerOptions, type OffsetSpec } from './consumer';
export { describeError, KafkaConnectionError, KafkaResponseError, KafkaSetupError } from './errors';
export {
  clearMskBootstrapCache,
  MskBootstrapError,
  type MskTokenSigner,
  mskClient,
  mskOauthBearerTokenProvider,
  resolveMskBootstrapBrokers,
  signerWithCredentials,
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
export type { OffsetRecord, RecordHeader } from './protocol/record-batch';
