import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Resolves the first line a child process prints on stdout (`pinlake stack --json` prints its
 * endpoints there); rejects if it exits first, with `stderr()` in the message.
 */
export function firstLine(
  child: ChildProcessWithoutNullStreams,
  stderr: () => string = () => '',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.once('exit', (code) =>
      reject(new Error(`pinlake stack exited (${code}) before printing its endpoints: ${stderr()}`)),
    );
  });
}
