/**
 * Arguments checked before a command starts any work, so a mistake ends at once with exit 2 and a
 * clear message instead of a spin, a stack trace or a run that loses what it accepted.
 */
import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The emulator (generator vocabulary, MySQL client) loads only when a source must be checked.
const emulator = () => require('./lazy/emulator') as typeof import('./lazy/emulator');

import { UsageError } from './run';

// Kernel-made file systems: nothing written there is a lake (and /proc can make a writer spin).
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The directory a local `--lake` (a path or `file://` URI) names; undefined for an `s3://` lake. */
export function localLakePath(lake: string): string | undefined {
  if (/^s3:\/\//.test(lake)) return undefined;
  return resolve(lake.startsWith('file:') ? fileURLToPath(lake) : lake);
}

/**
 * Checks a local `--lake` (a path or `file://` URI; `s3://` is left to the store): it must be a
 * directory, or creatable as one, outside /proc, /sys and /dev, and a file must be creatable in it.
 * Throws a {@link UsageError} naming the path and the reason.
 */
export async function checkLakeOption(lake: string): Promise<void> {
  const path = localLakePath(lake);
  if (path === undefined) return;
  if (VIRTUAL_ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) {
    throw new UsageError(
      `--lake ${lake} is under /${path.split('/')[1]}, a kernel file system; choose a directory on disk`,
    );
  }
  const found = await stat(path).catch(() => undefined);
  if (found !== undefined && !found.isDirectory()) {
    throw new UsageError(
      `--lake ${lake} is ${found.isFile() ? 'a regular file' : 'not a directory'}; it must be a directory`,
    );
  }
  try {
    await mkdir(path, { recursive: true });
    const probe = join(path, `.pinlake-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new UsageError(`--lake ${lake} is not writable: ${(error as Error).message}`);
  }
}

/**
 * Checks a `--source`: `generator`; a MySQL URL that parses (exit 2 otherwise) and whose server answers
 * with posts (a refusal is a plain failure, exit 1, with the server's message); or a posts file that
 * can be read and whose first post line parses (a {@link UsageError} naming the line otherwise).
 */
export async function checkSourceOption(source: string): Promise<void> {
  if (source === 'generator') return;
  if (source.startsWith('mysql://')) {
    try {
      emulator().parseMysqlUrl(source);
    } catch (error) {
      throw new UsageError(`--source: ${(error as Error).message}`);
    }
    try {
      await emulator().checkMysqlSource(source);
    } catch (error) {
      if (error instanceof emulator().MysqlSourceError)
        throw new Error(`--source: ${error.message}`, { cause: error });
      throw error;
    }
    return;
  }
  const found = await stat(source).catch((error: Error) => {
    throw new UsageError(`--source ${source} cannot be read: ${error.message}`);
  });
  if (!found.isFile()) throw new UsageError(`--source ${source} is not a regular file`);
  await access(source, constants.R_OK).catch((error: Error) => {
    throw new UsageError(`--source ${source} cannot be read: ${error.message}`);
  });
  const problem = await firstPostProblem(source);
  if (problem !== undefined) throw new UsageError(`--source ${source} ${problem}`);
}

// The first non-blank line must be a post (later bad lines are skipped and reported, as clients do).
// Only the first MiB is read: a post is far smaller, and a binary file must not be read whole.
async function firstPostProblem(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const lines = head.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const post = emulator().parsePostLine(lines[i]!);
    return typeof post === 'string' ? `line ${i + 1}: ${post}` : undefined;
  }
  return 'holds no post: every line is blank';
}
