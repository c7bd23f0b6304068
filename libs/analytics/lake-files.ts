/**
 * Handing DuckDB the active Parquet files of the clean tables as local paths.
 *
 * A `file://` lake is read in place. An `s3://` lake is downloaded to a temporary folder first:
 * DuckDB reads S3 only through its httpfs extension, which it downloads at run time, and neither a
 * Lambda function nor an offline laptop can (DuckDB ships no extension in the npm package). The
 * active files of one run are the size of the clean data (about 100 MB per million posts), well
 * within Lambda's /tmp.
 */

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../delta';
import { KINDS, type Kind } from '../records/tables';
import { FileStore } from '../storage/file-store';
import type { ObjectStore } from '../storage/types';
import { LakeFileError } from './errors';
import type { TableFiles } from './views';

/** The local copies of a run's input files, and how to remove them. */
export interface LocalFiles {
  readonly files: TableFiles;
  /** Bytes downloaded (0 for a local lake). */
  readonly downloadedBytes: number;
  /** Deletes the downloaded copies (nothing for a local lake). */
  cleanup(): Promise<void>;
}

const DOWNLOAD_CONCURRENCY = 8;

const keyOf = (snapshot: Snapshot, path: string): string =>
  snapshot.tablePath ? `${snapshot.tablePath.replace(/\/+$/, '')}/${path}` : path;

/**
 * The active files of each snapshot as local paths, in snapshot (path) order; a missing snapshot
 * (no table yet) gives no files. For a {@link FileStore} these are the lake's own files; for any
 * other store they are downloaded, eight at a time, under `tempRoot` (the OS temp folder by default)
 * and `cleanup` removes them. Throws {@link LakeFileError} naming the key of a file that is missing.
 */
export async function localTableFiles(
  store: ObjectStore,
  snapshots: Readonly<Record<Kind, Snapshot | undefined>>,
  tempRoot: string = tmpdir(),
): Promise<LocalFiles> {
  const keys: Record<Kind, string[]> = { pin: [], geo: [], user: [] };
  for (const kind of KINDS) {
    const snapshot = snapshots[kind];
    if (snapshot) keys[kind] = snapshot.files.map((file) => keyOf(snapshot, file.path));
  }
  if (store instanceof FileStore) {
    const local = (key: string) => join(store.root, ...key.split('/'));
    const files = { pin: keys.pin.map(local), geo: keys.geo.map(local), user: keys.user.map(local) };
    return { files, downloadedBytes: 0, cleanup: async () => {} };
  }
  const dir = await mkdtemp(join(tempRoot, 'pinlake-analytics-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    return { ...(await download(store, keys, dir)), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function download(
  store: ObjectStore,
  keys: Record<Kind, string[]>,
  dir: string,
): Promise<{ files: TableFiles; downloadedBytes: number }> {
  const jobs = KINDS.flatMap((kind) =>
    keys[kind].map((key, index) => ({ key, path: join(dir, kind, `${index}.parquet`) })),
  );
  for (const kind of KINDS) await mkdir(join(dir, kind));
  let downloadedBytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const bytes = await store.get(job.key);
      if (bytes === undefined)
        throw new LakeFileError(`active data file ${job.key} is missing from ${store.uri}`);
      await writeFile(job.path, bytes);
      downloadedBytes += bytes.byteLength;
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, jobs.length) }, worker));
  const pathsOf = (kind: Kind) => keys[kind].map((_, index) => join(dir, kind, `${index}.parquet`));
  return { files: { pin: pathsOf('pin'), geo: pathsOf('geo'), user: pathsOf('user') }, downloadedBytes };
}
