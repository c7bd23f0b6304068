import { PinlakeError } from '../../libs/errors';

/** Raised when the edge thread cannot start or ends unexpectedly; carries its message. */
export class EdgeThreadError extends PinlakeError {
  override readonly name: string = 'EdgeThreadError';
  override readonly code: string = 'EDGE_THREAD';
}

/** Raised when the stack cannot go on from what the lake holds; the message names the mismatch. */
export class LakeContinuityError extends PinlakeError {
  override readonly name: string = 'LakeContinuityError';
  override readonly code: string = 'LAKE_CONTINUITY';
}

/** Raised when a scheduled function still fails after its attempts; names the function. */
export class ScheduledRunError extends PinlakeError {
  override readonly name: string = 'ScheduledRunError';
  override readonly code: string = 'SCHEDULED_RUN';
}

/** Raised when the stack cannot drain in time; names what is still busy. */
export class LocalStackError extends PinlakeError {
  override readonly name: string = 'LocalStackError';
  override readonly code: string = 'LOCAL_STACK';
}
