/**
 * The base of every error pinlake raises. `code` is stable: callers (the CLI's exit codes, alarms,
 * tests) branch on it, never on a message, which may change. `retriable` says whether the same call
 * may succeed when made again (a connection lost, a commit race), as opposed to a mistake that a
 * retry repeats.
 *
 * Each subclass names itself and its code as fields rather than through `constructor.name`, which
 * the bundler's minification renames:
 *
 * ```ts
 * export class TableNotFoundError extends DeltaError {
 *   override readonly name: string = 'TableNotFoundError';
 *   override readonly code: string = 'TABLE_NOT_FOUND';
 * }
 * ```
 */
export class PinlakeError extends Error {
  override readonly name: string = 'PinlakeError';
  /** A stable identifier of the kind of failure, UPPER_SNAKE_CASE. */
  readonly code: string = 'PINLAKE';
  /** Whether the same call may succeed when made again. */
  readonly retriable: boolean = false;
}
