import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const bin = join(__dirname, '../../../bin/pinlake.js');

/** The outcome of one `pinlake` run. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/pinlake.js …` (without the parent's API_KEY and PIPELINE_ID) and collects its exit
 * code and output; `onStart` gets the child, e.g. to signal it.
 */
export function runCli(args: readonly string[], onStart?: (child: ChildProcess) => void): Promise<CliResult> {
  const { API_KEY: _key, PIPELINE_ID: _id, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    onStart?.(child);
  });
}
