/**
 * The Kafka wire protocol, shared by the producer and consumer here and the embedded broker in
 * local/kafka: primitive readers and writers, the message schemas and their codec, record batches,
 * error codes.
 */
export { crc32c } from './crc32c';
export { ErrorCode, ProtocolError, RecordBatchError } from './errors';
export * as messages from './messages';
export { Reader } from './reader';
export {
  BATCH_HEADER_SIZE,
  encodeRecordBatch,
  type InflateBudget,
  inflateBudget,
  type OffsetRecord,
  parseRecordBatch,
  parseRecordBatches,
  type RecordBatch,
  recordsFrom,
} from './record-batch';
export {
  decodeRequest,
  decodeResponse,
  decodeStruct,
  encodeRequest,
  encodeResponse,
  encodeStruct,
  isFlexible,
  type MessageSchema,
  type RequestOf,
  type ResponseOf,
  type Struct,
} from './schema';
export { Writer } from './writer';
