import { PinlakeError } from '../errors';

/** Raised for input the batch path cannot read: a malformed MSK event, a raw file that disagrees with its index. */
export class BatchPathError extends PinlakeError {
  override readonly name: string = 'BatchPathError';
  override readonly code: string = 'BATCH_PATH';
}
