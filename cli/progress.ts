/**
 * A one-line status for long commands: rewritten in place on a terminal, silent otherwise (pipes,
 * files, CI), so the command's real output stays clean. It writes to stderr by default.
 */

/** A status line. */
export interface Progress {
  /** Whether anything is shown (the stream is a terminal). */
  readonly active: boolean;
  /** Replaces the status line; updates closer than `intervalMs` apart are merged. */
  update(text: string): void;
  /** Prints a line that stays, above the status line. */
  note(text: string): void;
  /** Clears the status line; later calls do nothing. */
  done(): void;
}

/** Where the status goes: a stream that may be a terminal. */
export interface StatusStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

const CLEAR_LINE = '\r\x1b[2K';

/** A status line on `stream` (stderr by default), shown only when it is a terminal. */
export function createProgress(stream: StatusStream = process.stderr, intervalMs = 100): Progress {
  const active = stream.isTTY === true;
  let shown = '';
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = !active;
  const toWidth = (text: string) => text.slice(0, Math.max(10, (stream.columns ?? 80) - 1));
  const flush = () => {
    timer = undefined;
    if (pending === undefined || finished) return;
    shown = toWidth(pending);
    pending = undefined;
    stream.write(`${CLEAR_LINE}${shown}`);
  };
  return {
    active,
    update: (text) => {
      if (finished) return;
      pending = text;
      if (timer === undefined) {
        flush();
        timer = setTimeout(flush, intervalMs);
        timer.unref();
      }
    },
    note: (text) => {
      if (finished) return;
      stream.write(`${CLEAR_LINE}${text}\n${shown}`);
    },
    done: () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stream.write(CLEAR_LINE);
    },
  };
}
