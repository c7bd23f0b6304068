/** Raised by an event-source poller: a shard it cannot read, or a drain that did not finish in time. */
export class PollerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PollerError';
  }
}

/** An invocation that ran past the function's timeout, with Lambda's message. */
export class TaskTimedOutError extends Error {
  constructor(ms: number) {
    super(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`);
    this.name = 'TaskTimedOutError';
  }
}
