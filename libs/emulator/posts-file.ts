import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PostsFileError } from './errors';
import { drawRowIds, type GenerateOptions } from './generator';
import { generatePoolRow } from './pool-row';
import { POOL_SIZE } from './shares';

/** What {@link writePostsFile} wrote. */
export interface PostsFileSummary {
  path: string;
  posts: number;
  distinctIds: number;
  bytes: number;
}

/** Options of {@link writePostsFile}: the generator's, where to write, and a progress callback. */
export interface WritePostsOptions extends GenerateOptions {
  /** Directory that receives `posts.ndjson`; created if missing. */
  outDir: string;
  /** Called now and then (every 8,192 posts) with the number of posts written so far. */
  onProgress?: (written: number) => void;
}

/** The file name {@link writePostsFile} writes inside its directory. */
const POSTS_FILE_NAME = 'posts.ndjson';

const CHUNK_BYTES = 1 << 18;
/** Encoded rows are kept for pools up to this size (about 1 KB each), so repeats cost nothing. */
const MAX_CACHED_POOL = 65536;

/** Lines gathered into 256 KB buffers, each handed to the stream whole, waiting when it is full. */
class ChunkedOutput {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly failed: Promise<never>;
  bytes = 0;

  constructor(readonly stream: WriteStream) {
    this.failed = once(stream, 'error').then(([error]) => Promise.reject(error));
    this.failed.catch(() => undefined);
  }

  /** Adds a line; returns a promise only when a full chunk had to be handed over first. */
  add(line: Buffer): Promise<void> | undefined {
    if (this.used + line.length > CHUNK_BYTES) return this.addAfterFlush(line);
    this.used += line.copy(this.chunk, this.used);
    this.bytes += line.length;
    return undefined;
  }

  private async addAfterFlush(line: Buffer): Promise<void> {
    await this.flush();
    if (line.length > CHUNK_BYTES) await this.send(line);
    else this.used += line.copy(this.chunk, this.used);
    this.bytes += line.length;
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await Promise.race([once(this.stream, 'finish'), this.failed]);
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    await this.send(full);
  }

  private async send(buffer: Buffer): Promise<void> {
    if (!this.stream.write(buffer)) await Promise.race([once(this.stream, 'drain'), this.failed]);
  }
}

/**
 * Writes `generatePosts(options)` to `<outDir>/posts.ndjson`, one `{"pin","geo","user"}` object
 * per line, streaming in 256 KB chunks with back-pressure. The file appears only when complete
 * (written to a temporary name, then renamed), and the same options always give the same bytes.
 * Memory stays flat: at most one encoded line per pool row is kept (about 10 MB for the default
 * pool). Throws {@link PostsFileError} naming the file, or a `GeneratorError` for bad options.
 */
export async function writePostsFile(options: WritePostsOptions): Promise<PostsFileSummary> {
  const path = join(options.outDir, POSTS_FILE_NAME);
  const partial = `${path}.partial`;
  const cache = (options.poolSize ?? POOL_SIZE) <= MAX_CACHED_POOL ? new Map<number, Buffer>() : undefined;
  const ids = drawRowIds(options);
  const seen = new Set<number>();
  let written = 0;
  let output: ChunkedOutput | undefined;
  try {
    await mkdir(options.outDir, { recursive: true });
    output = new ChunkedOutput(createWriteStream(partial));
    for (const id of ids) {
      let line = cache?.get(id);
      if (line === undefined) {
        line = Buffer.from(`${JSON.stringify(generatePoolRow(options.seed, id))}\n`);
        cache?.set(id, line);
      }
      const handedOver = output.add(line);
      if (handedOver) await handedOver;
      seen.add(id);
      written++;
      if ((written & 8191) === 0) options.onProgress?.(written);
    }
    await output.end();
    await rename(partial, path);
  } catch (error) {
    output?.stream.destroy();
    // Best effort: when the directory itself is the problem there is no partial file to remove.
    await rm(partial, { force: true }).catch(() => undefined);
    throw new PostsFileError(`cannot write ${path}: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
  options.onProgress?.(written);
  return { path, posts: written, distinctIds: seen.size, bytes: output.bytes };
}
