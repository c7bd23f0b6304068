export {
  Compression,
  encodeRecordBatch,
  type RecordHeader,
  type RecordToEncode,
} from '../../libs/kafka/protocol/record-batch';
export type { KafkaAction, KafkaAuthorizer, KafkaResource } from './apis/authorize';
export type { RequestInfo } from './apis/context';
export { KafkaBroker, type KafkaBrokerOptions } from './broker';
export { KafkaBrokerError } from './errors';
export type { StoredRecord } from './partition-log';
