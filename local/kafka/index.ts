export {
  Compression,
  encodeRecordBatch,
  type RecordHeader,
  type RecordToEncode,
} from '../../libs/kafka/protocol/record-batch';
export type { KafkaAction, KafkaAuthorizer, KafkaResource } from './apis/authorize';
export type { RequestInfo } from './apis/context';
export { KafkaBroker, KafkaBrokerError, type KafkaBrokerOptions } from './broker';
export type { StoredRecord } from './partition-log';
