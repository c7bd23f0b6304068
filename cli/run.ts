import { PinlakeError } from '../libs/errors';
import { PIPELINE_ID_PATTERN } from '../libs/naming';

/** A mistake in how a command was called: exit code 2. */
export class UsageError extends PinlakeError {
  override readonly name: string = 'UsageError';
  override readonly code: string = 'USAGE';
}

/**
 * The error codes that mean the command was called wrongly rather than that its work failed: a bad
 * argument (`USAGE`), a bad setting in the environment (`CONFIG`, libs/config.ts), poster settings it
 * cannot use (`POSTER`, libs/emulator) or a lake or database the catalog cannot name (`CATALOG`,
 * libs/analytics/catalog.ts).
 */
const USAGE_CODES: ReadonlySet<string> = new Set(['USAGE', 'CONFIG', 'POSTER', 'CATALOG']);

/** The exit code of a command that threw `error` (DESIGN §4): 2 for a usage mistake, else 1. */
export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof PinlakeError && USAGE_CODES.has(error.code) ? 2 : 1;
}

/**
 * Wraps a command's action so every command ends the same way: exit 0 when it resolves, else
 * {@link exitCodeOf} the error, with the message (never a stack) on stderr. Set `PINLAKE_DEBUG=1` to
 * see the stack too.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`pinlake: ${message}\n`);
      if (process.env.PINLAKE_DEBUG && error instanceof Error && error.stack) {
        process.stderr.write(`${error.stack}\n`);
      }
      process.exitCode = exitCodeOf(error);
    }
  };
}

/** Parses a non-negative integer option, or throws a {@link UsageError} naming the option. */
export function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** Parses a probability option in [0, 1]. */
export function probabilityOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const p = Number(value);
  if (!Number.isFinite(p) || p < 0 || p > 1) {
    throw new UsageError(`--${name} must be a number between 0 and 1, got "${value}"`);
  }
  return p;
}

/**
 * The pipeline a command works on: `--pipeline-id`, else `$PIPELINE_ID`, else `pinlake`. Throws a
 * {@link UsageError} for an id the pipeline cannot use.
 */
export function pipelineIdOption(value: string | undefined): string {
  const id = value ?? (process.env.PIPELINE_ID?.trim() || 'pinlake');
  if (!PIPELINE_ID_PATTERN.test(id)) {
    throw new UsageError(`--pipeline-id must be 1-64 letters, digits, "_" or "-", got "${id}"`);
  }
  return id;
}

/** The `--pipeline-id` option's help. */
export const PIPELINE_ID_HELP = 'names the streams and topics (default $PIPELINE_ID, else pinlake)';
