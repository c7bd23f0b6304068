/** The errors of the Delta Lake library. Every message names the table, the version or the file. */
import { PinlakeError } from '../errors';

/** Base class: anything the Delta library refuses or cannot do. */
export class DeltaError extends PinlakeError {
  override readonly name: string = 'DeltaError';
  override readonly code: string = 'DELTA';
}

/** The log is unreadable: a missing or malformed commit, a gap in the versions, a bad checkpoint. */
export class DeltaLogError extends DeltaError {
  override readonly name: string = 'DeltaLogError';
  override readonly code: string = 'DELTA_LOG';
}

/** The table needs a reader or writer this library does not implement (versions or table features). */
export class UnsupportedProtocolError extends DeltaError {
  override readonly name: string = 'UnsupportedProtocolError';
  override readonly code: string = 'UNSUPPORTED_PROTOCOL';
}

/** No table exists at the path (no `_delta_log/` commit), or it exists with a different schema. */
export class TableNotFoundError extends DeltaError {
  override readonly name: string = 'TableNotFoundError';
  override readonly code: string = 'TABLE_NOT_FOUND';
}

/** `createTable` found a table with another schema or partitioning at the path. */
export class SchemaMismatchError extends DeltaError {
  override readonly name: string = 'SchemaMismatchError';
  override readonly code: string = 'SCHEMA_MISMATCH';
}

/**
 * A concurrent commit recorded one of this commit's app ids at another version than the one this
 * writer based its work on: the caller must re-read the table and recompute its batch.
 */
export class ConcurrentTransactionError extends DeltaError {
  override readonly name: string = 'ConcurrentTransactionError';
  override readonly code: string = 'CONCURRENT_TRANSACTION';
}

/** A concurrent commit changed what this commit depends on (metadata, protocol, or the files it removes). */
export class ConcurrentModificationError extends DeltaError {
  override readonly name: string = 'ConcurrentModificationError';
  override readonly code: string = 'CONCURRENT_MODIFICATION';
  override readonly retriable: boolean = true;
}

/** The commit lost the race for the next version more times than the retry bound allows. */
export class CommitRetriesExhaustedError extends DeltaError {
  override readonly name: string = 'CommitRetriesExhaustedError';
  override readonly code: string = 'COMMIT_RETRIES_EXHAUSTED';
  override readonly retriable: boolean = true;
}

/** A data file of the table could not be read or does not match the table schema. */
export class DeltaReadError extends DeltaError {
  override readonly name: string = 'DeltaReadError';
  override readonly code: string = 'DELTA_READ';
}
