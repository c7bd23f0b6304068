import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { makeTempDir } from './temp-dir';

const run = promisify(execFile);

/** A private MariaDB server for one test file, on 127.0.0.1 with its own data directory. */
export interface MariaDb {
  /** `mysql://pinlake:<password>@127.0.0.1:<port>/<database>` for the test's user. */
  readonly url: string;
  readonly port: number;
  /** Shuts the server down (SIGTERM, then SIGKILL after 10 s) and removes its data directory. */
  stop(): Promise<void>;
}

const SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin'];

async function findProgram(names: readonly string[]): Promise<string> {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH];
  for (const name of names) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (
        await access(path, constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return path;
    }
  }
  throw new Error(
    `MariaDB is not installed: none of ${names.join(', ')} found on PATH or in ${SEARCH_PATH.join(', ')}. ` +
      'Install it (Debian/Ubuntu: apt-get install mariadb-server) to run the MySQL source tests.',
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Polls until the server accepts a root connection, or throws with its log after the deadline. */
async function waitForServer(port: number, child: ChildProcess, log: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with code ${child.exitCode}:\n${log()}`);
    try {
      const connection = await mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: 'root',
        connectTimeout: 1000,
      });
      return connection;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`mariadbd did not accept connections within ${timeoutMs} ms:\n${log()}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Starts a private mariadbd: a fresh data directory (mariadb-install-db), a free port on 127.0.0.1,
 * no socket shared with a system server, and a user `pinlake` with a password and all rights on
 * `database`. Fails (never skips) with a clear message when MariaDB is not installed.
 */
export async function startMariaDb(database = 'pinterest_data', timeoutMs = 20_000): Promise<MariaDb> {
  const mariadbd = await findProgram(['mariadbd', 'mysqld']);
  const installDb = await findProgram(['mariadb-install-db', 'mysql_install_db']);
  const dir = await makeTempDir('pinlake-mariadb');
  const dataDir = join(dir.path, 'data');
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  try {
    await run(installDb, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...asUser,
    ]);
  } catch (error) {
    await dir.cleanup();
    throw new Error(`mariadb-install-db failed in ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const port = await freePort();
  let output = '';
  const child = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      ...asUser,
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      `--socket=${join(dir.path, 'mysqld.sock')}`,
      `--pid-file=${join(dir.path, 'mysqld.pid')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=8M',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await dir.cleanup();
  };
  try {
    const root = await waitForServer(port, child, () => output, timeoutMs);
    const password = 'pinlake-Secret:1@';
    await root.query(`CREATE DATABASE \`${database}\``);
    await root.query("CREATE USER 'pinlake'@'%' IDENTIFIED BY ?", [password]);
    await root.query(`GRANT ALL ON \`${database}\`.* TO 'pinlake'@'%'`);
    await root.end();
    const url = `mysql://pinlake:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    return { url, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
