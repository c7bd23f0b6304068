/**
 * What can go wrong between the producer and a broker, each error saying whether sending the same
 * records again may succeed (`retriable`), so the REST edge can answer 50003 or 50002.
 */
import { PinlakeError } from '../errors';
import { ErrorCode } from './protocol/errors';

const CODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ErrorCode).map(([name, code]) => [code, name]),
);

/**
 * Error codes after which the same request may succeed: the leader moved or is not known yet, a
 * replica is missing, the broker timed out or a disk failed (Kafka's RetriableException kinds).
 */
const RETRIABLE_CODES: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  // The producer starts a new producer id after these, so the records can be sent again safely.
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCode.UNKNOWN_PRODUCER_ID,
  ErrorCode.INVALID_PRODUCER_EPOCH,
]);

/** The protocol's name of an error code (`NOT_LEADER_OR_FOLLOWER`), or `error <code>` for others. */
export function errorCodeName(code: number): string {
  return CODE_NAMES.get(code) ?? `error ${code}`;
}

/** Raised when a broker cannot be reached, drops the connection or does not answer in time; retriable. */
export class KafkaConnectionError extends PinlakeError {
  override readonly name: string = 'KafkaConnectionError';
  override readonly code: string = 'KAFKA_CONNECTION';

  override readonly retriable = true;
}

/** Raised when a broker answers with an error code; `retriable` follows Kafka's classification. */
export class KafkaResponseError extends PinlakeError {
  override readonly name: string = 'KafkaResponseError';
  override readonly code: string = 'KAFKA_RESPONSE';

  override readonly retriable: boolean;
  constructor(
    readonly kafkaCode: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.retriable = RETRIABLE_CODES.has(kafkaCode);
  }
}

/**
 * Raised when SASL authentication fails (mechanism refused, token refused, token not signed) or a
 * broker lacks an API version the producer needs: not retriable, the configuration must change.
 */
export class KafkaSetupError extends PinlakeError {
  override readonly name: string = 'KafkaSetupError';
  override readonly code: string = 'KAFKA_SETUP';

  override readonly retriable = false;
}

/** Raised for a topic the cluster does not have (the REST edge answers 40401). */
export class UnknownTopicError extends PinlakeError {
  override readonly name: string = 'UnknownTopicError';
  override readonly code: string = 'UNKNOWN_TOPIC';

  constructor(
    readonly topic: string,
    options?: ErrorOptions,
  ) {
    super(`topic "${topic}" does not exist`, options);
  }
}

/** Whether sending the same records again may succeed; unknown errors (bugs) count as final. */
export function isRetriable(error: unknown): boolean {
  return (error instanceof KafkaConnectionError || error instanceof KafkaResponseError) && error.retriable;
}

/** One line for a failure: the message, then the causes' messages, outermost first. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let at: unknown = error;
  for (let depth = 0; depth < 4 && at !== undefined; depth++) {
    parts.push(at instanceof Error ? at.message : String(at));
    at = at instanceof Error ? at.cause : undefined;
  }
  return [...new Set(parts)].join(' <- ');
}
