/** Runs kcat asynchronously (the broker under test shares this process's event loop). */
import { spawn } from 'node:child_process';

export interface KcatRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kcat args` with `input` on stdin; rejects with an install hint when kcat is missing. */
export function kcat(args: readonly string[], input = ''): Promise<KcatRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'kcat is not installed: these tests need it (apt-get install -y kcat; .ci/run installs it)',
              {
                cause: error,
              },
            )
          : error,
      );
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
