/**
 * Kafka protocol error codes the embedded broker returns or the producer acts on (a subset of the
 * protocol's list, same names and numbers).
 */
import { PinlakeError } from '../../errors';
export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  NETWORK_EXCEPTION: 13,
  INVALID_TOPIC_EXCEPTION: 17,
  RECORD_LIST_TOO_LARGE: 18,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  INVALID_REQUIRED_ACKS: 21,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  KAFKA_STORAGE_ERROR: 56,
  SASL_AUTHENTICATION_FAILED: 58,
  UNKNOWN_PRODUCER_ID: 59,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
  UNKNOWN_TOPIC_ID: 100,
} as const;

/**
 * Raised when received bytes cannot be decoded (a request at the broker, a response at the
 * producer); the connection that carried them is closed.
 */
export class ProtocolError extends PinlakeError {
  override readonly name: string = 'ProtocolError';
  override readonly code: string = 'PROTOCOL';
}

/** Raised when a record batch is rejected; `kafkaCode` is the Kafka error code to answer with. */
export class RecordBatchError extends PinlakeError {
  override readonly name: string = 'RecordBatchError';
  override readonly code: string = 'RECORD_BATCH';

  readonly kafkaCode: number;
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kafkaCode = code;
  }
}
