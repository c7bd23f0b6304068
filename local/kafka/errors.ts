import { PinlakeError } from '../../libs/errors';

/** Raised by the in-process API for an unknown topic or partition. */
export class KafkaBrokerError extends PinlakeError {
  override readonly name: string = 'KafkaBrokerError';
  override readonly code: string = 'KAFKA_BROKER';
}

/** Raised when a partition log cannot serve a read (offsets deleted by retention). */
export class PartitionLogError extends PinlakeError {
  override readonly name: string = 'PartitionLogError';
  override readonly code: string = 'PARTITION_LOG';
}

/** Raised when a topic cannot be created; `kafkaCode` is the Kafka error code to answer with. */
export class TopicError extends PinlakeError {
  override readonly name: string = 'TopicError';
  override readonly code: string = 'TOPIC';

  readonly kafkaCode: number;
  constructor(code: number, message: string) {
    super(message);
    this.kafkaCode = code;
  }
}
