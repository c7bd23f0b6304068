/**
 * The errors of the pipeline paths. Each message names the batch, record or object it is about.
 */

/** Raised when an event is not a batch the stream path can handle (unknown stream, mixed shards). */
export class KinesisBatchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KinesisBatchError';
  }
}

/** Raised when a batch could not be committed after re-reading the table a bounded number of times. */
export class StreamCommitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StreamCommitError';
  }
}
