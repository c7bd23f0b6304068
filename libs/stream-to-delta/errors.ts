/**
 * The errors of the pipeline paths. Each message names the batch, record or object it is about.
 */
import { PinlakeError } from '../errors';

/** Raised when an event is not a batch the stream path can handle (unknown stream, mixed shards). */
export class KinesisBatchError extends PinlakeError {
  override readonly name: string = 'KinesisBatchError';
  override readonly code: string = 'KINESIS_BATCH';
}
