export { KafkaConsumer } from './consumer';

export {
  clearMskBootstrapCache,
  MskBootstrapError,
  mskOauthBearerTokenProvider,
  resolveMskBootstrapBrokers,
  signerWithCredentials,
} from './msk-iam';
export { partitionForKey } from './partitioner';
export {
  createKafkaProducer,
  type KafkaProducer,
  type ProduceResult,
  UnknownTopicError,
} from './producer';
export type { OffsetRecord } from './protocol/record-batch';
