/** The errors of the Delta Lake library. Every message names the table, the version or the file. */

/** Base class: anything the Delta library refuses or cannot do. */
export class DeltaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeltaError';
  }
}

/** The log is unreadable: a missing or malformed commit, a gap in the versions, a bad checkpoint. */
export class DeltaLogError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeltaLogError';
  }
}

/** The table needs a reader or writer this library does not implement (versions or table features). */
export class UnsupportedProtocolError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedProtocolError';
  }
}

/** No table exists at the path (no `_delta_log/` commit), or it exists with a different schema. */
export class TableNotFoundError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TableNotFoundError';
  }
}

/** `createTable` found a table with another schema or partitioning at the path. */
export class SchemaMismatchError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SchemaMismatchError';
  }
}

/**
 * A concurrent commit recorded one of this commit's app ids at another version than the one this
 * writer based its work on: the caller must re-read the table and recompute its batch.
 */
export class ConcurrentTransactionError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConcurrentTransactionError';
  }
}

/** A concurrent commit changed what this commit depends on (metadata, protocol, or the files it removes). */
export class ConcurrentModificationError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConcurrentModificationError';
  }
}

/** The commit lost the race for the next version more times than the retry bound allows. */
export class CommitRetriesExhaustedError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommitRetriesExhaustedError';
  }
}

/** A data file of the table could not be read or does not match the table schema. */
export class DeltaReadError extends DeltaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeltaReadError';
  }
}
