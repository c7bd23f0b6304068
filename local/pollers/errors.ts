import { PinlakeError } from '../../libs/errors';

/** Raised by an event-source poller: a shard it cannot read, or a drain that did not finish in time. */
export class PollerError extends PinlakeError {
  override readonly name: string = 'PollerError';
  override readonly code: string = 'POLLER';
}

/** An invocation that ran past the function's timeout, with Lambda's message. */
export class TaskTimedOutError extends PinlakeError {
  override readonly name: string = 'TaskTimedOutError';
  override readonly code: string = 'TASK_TIMED_OUT';

  constructor(ms: number) {
    super(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`);
  }
}
