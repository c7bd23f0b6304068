import { PinlakeError } from '../errors';

/**
 * Raised when a batch (stream-to-delta) or a chunk of the raw landing (batch-clean) could not be
 * committed to its clean table after re-reading the table a bounded number of times. Retriable: the
 * next attempt reads the table again and writes only what is still new, exactly once.
 */
export class CleanTableCommitError extends PinlakeError {
  override readonly name: string = 'CleanTableCommitError';
  override readonly code: string = 'CLEAN_TABLE_COMMIT';
  override readonly retriable: boolean = true;
}
