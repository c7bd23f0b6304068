import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Running osls from the tests: one command at a time per work tree (`sls package` and `sls invoke
// local` both build into the repository's .esbuild/ folder), and one `sls package` per jest run,
// shared by every test file that needs the zips.

export const ROOT = resolve(__dirname, '../../..');
const SLS = join(ROOT, 'node_modules/osls/bin/serverless.js');

/** The MSK cluster the packaged stack is given (not the default, so tests see parameters reach it). */
export const CLUSTER =
  'arn:aws:kafka:eu-west-1:111122223333:cluster/demo-cluster/1a2b3c4d-0000-1111-2222-333344445555-2';
/** Parameters other than the defaults, so the package test proves they reach every resource. */
export const PARAMS = {
  pipelineId: 'pltest',
  mskClusterArn: CLUSTER,
  mskSubnetIds: 'subnet-0aaa,subnet-0bbb',
  mskSecurityGroupIds: 'sg-0ccc',
};

/** What a finished sls command printed, and its exit code (null: killed at the time limit). */
export interface SlsOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

const tag = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
const LOCK = join(tmpdir(), `pinlake-sls-lock-${tag}`);
const LOCK_WAIT_MS = 15 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** When the lock was taken (ms since the epoch); now, when it is gone. */
const lockTakenAt = () =>
  stat(LOCK).then(
    (info) => info.mtimeMs,
    () => Date.now(),
  );

/** Runs `work` while holding this work tree's sls lock (a directory; taken over if its owner died). */
export async function withSlsLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => 'NaN'));
      // No owner written a minute after the lock was taken: its owner died in between.
      const orphaned = !Number.isInteger(owner) && Date.now() - (await lockTakenAt()) > 60_000;
      if (orphaned || (Number.isInteger(owner) && !processAlive(owner))) {
        await rm(LOCK, { recursive: true, force: true });
      }
      if (Date.now() > deadline) throw new Error(`${LOCK} stayed locked for ${LOCK_WAIT_MS / 1000} s`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  await writeFile(join(LOCK, 'pid'), String(process.pid));
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** The environment for osls: no AWS credentials or config, so nothing can reach an account. */
function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, ...env } = process.env;
  const noFile = join(tmpdir(), 'pinlake-no-aws-config');
  return { ...env, AWS_CONFIG_FILE: noFile, AWS_SHARED_CREDENTIALS_FILE: noFile, ...extra };
}

/** Runs `sls <args>` in the work tree under the lock; resolves whatever the outcome. */
export function runSls(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs: number },
): Promise<SlsOutcome> {
  return withSlsLock(
    () =>
      new Promise<SlsOutcome>((done) => {
        const started = performance.now();
        execFile(
          process.execPath,
          [SLS, ...args],
          {
            cwd: ROOT,
            env: offlineEnv(options.env ?? {}),
            timeout: options.timeoutMs,
            maxBuffer: 16 * 1024 * 1024,
          },
          (error, stdout, stderr) => {
            const code =
              error === null ? 0 : typeof error.code === 'number' && !error.killed ? error.code : null;
            done({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
          },
        );
      }),
  );
}

/**
 * The jest run this process belongs to: the main process's id (tests in band run in it, workers are
 * its children), so every test file of one run shares one packaging, and no later run reuses it.
 */
function jestRunId(): number {
  return /jest-worker/.test(process.argv[1] ?? '') ? process.ppid : process.pid;
}

const PACKAGE_PREFIX = 'pinlake-deploy-package-';

/** Removes the packagings of earlier jest runs that ended (each holds a 27 MB DuckDB zip). */
async function removeStalePackagings(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    const pid = Number(name.slice(PACKAGE_PREFIX.length));
    if (name.startsWith(PACKAGE_PREFIX) && Number.isInteger(pid) && !processAlive(pid)) {
      await rm(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/**
 * `sls package` of the real tree, offline, with {@link PARAMS}, stage `ci` and region `eu-west-1`, run
 * once per jest run; resolves the folder with the template and the zips. Throws with osls's output.
 */
export function packagedService(): Promise<string> {
  const dir = join(tmpdir(), `${PACKAGE_PREFIX}${jestRunId()}`);
  const done = join(dir, '.complete');
  return withSlsLock(async () => {
    if (existsSync(done)) return dir;
    await removeStalePackagings();
    await rm(dir, { recursive: true, force: true });
    const params = Object.entries(PARAMS).map(([key, value]) => `--param=${key}=${value}`);
    const args = ['package', '--package', dir, '--stage', 'ci', '--region', 'eu-west-1', ...params];
    const outcome = await new Promise<SlsOutcome>((settle) => {
      execFile(
        process.execPath,
        [SLS, ...args],
        { cwd: ROOT, env: offlineEnv({}), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => settle({ code: error === null ? 0 : 1, stdout, stderr, ms: 0 }),
      );
    });
    if (outcome.code !== 0) throw new Error(`sls package failed:\n${outcome.stdout}\n${outcome.stderr}`);
    await writeFile(done, '');
    return dir;
  });
}
