export { encodeRecordBatch } from '../../libs/kafka/protocol/record-batch';
export type { KafkaAction, KafkaAuthorizer, KafkaResource } from './apis/authorize';

export { KafkaBroker } from './broker';

export type { StoredRecord } from './partition-log';
