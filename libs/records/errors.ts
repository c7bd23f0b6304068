import { PinlakeError } from '../errors';

/** Raised when a record's bytes are not JSON; the message names the record's source. */
export class RecordParseError extends PinlakeError {
  override readonly name: string = 'RecordParseError';
  override readonly code: string = 'RECORD_PARSE';
}
