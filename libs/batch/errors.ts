/** Raised for input the batch path cannot read: a malformed MSK event, a raw file that disagrees with its index. */
export class BatchPathError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BatchPathError';
  }
}

/** Raised when batch-clean cannot commit a chunk after re-reading the table a bounded number of times. */
export class BatchCommitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BatchCommitError';
  }
}
