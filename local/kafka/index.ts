export type { RequestInfo } from './apis/context';
export { KafkaBroker, KafkaBrokerError, type KafkaBrokerOptions } from './broker';
export type { StoredRecord } from './partition-log';
export {
  Compression,
  encodeRecordBatch,
  type RecordHeader,
  type RecordToEncode,
} from './protocol/record-batch';
