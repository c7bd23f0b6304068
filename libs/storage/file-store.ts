import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ListOptions, type ObjectInfo, type ObjectStore, StorageError } from './types';

/** Folders a store remembers having written into, at most. */
const MAX_KNOWN_DIRS = 10_000;

/**
 * An object store on the local filesystem. Writes go to a temporary file first, so a reader never
 * sees half an object; `putIfAbsent` publishes with a hard link, which fails atomically when the
 * key already exists (the local twin of S3's `If-None-Match: *`).
 */
export class FileStore implements ObjectStore {
  readonly uri: string;
  readonly root: string;
  /** Directories this store made or wrote into: a write there skips `mkdir` (made again if removed since). */
  private readonly knownDirs = new Set<string>();

  constructor(rootUriOrPath: string) {
    this.root = rootUriOrPath.startsWith('file:') ? fileURLToPath(rootUriOrPath) : rootUriOrPath;
    this.uri = pathToFileURL(this.root).href;
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'EISDIR')) return undefined;
      throw new StorageError(`cannot read ${key} from ${this.uri}`, { cause: error });
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.pathOf(key);
    const temp = await this.writeTemp(target, body);
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new StorageError(`cannot write ${key} to ${this.uri}`, { cause: error });
    }
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    const target = this.pathOf(key);
    const temp = await this.writeTemp(target, body);
    try {
      await link(temp, target);
      return true;
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      throw new StorageError(`cannot create ${key} in ${this.uri}`, { cause: error });
    } finally {
      await unlink(temp).catch(() => {});
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectInfo[]> {
    // Walk only the deepest directory the prefix names, then filter by the rest of the prefix.
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? prefix.slice(0, slash) : '';
    const found: ObjectInfo[] = [];
    const after = options.startAfter;
    await this.walk(base ? this.pathOf(base) : this.root, base ? `${base}/` : '', prefix, found, after);
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return options.limit === undefined ? found : found.slice(0, options.limit);
  }

  async listFolders(prefix: string): Promise<string[]> {
    const dir = prefix.replace(/\/+$/, '');
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir ? this.pathOf(dir) : this.root, { withFileTypes: true });
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return [];
      throw new StorageError(`cannot list ${prefix} in ${this.uri}`, { cause: error });
    }
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.tmp-'))
      .map((entry) => `${dir ? `${dir}/` : ''}${entry.name}/`)
      .sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Lists `dir` (whose keys start with `keyDir`), recursing into directories the prefix can reach. */
  private async walk(
    dir: string,
    keyDir: string,
    prefix: string,
    found: ObjectInfo[],
    after?: string,
  ): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return;
      throw new StorageError(`cannot list ${dir}`, { cause: error });
    }
    const files: { key: string; path: string }[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.tmp-')) continue;
      const key = keyDir + entry.name;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) {
          await this.walk(join(dir, entry.name), `${key}/`, prefix, found, after);
        }
      } else if (key.startsWith(prefix) && (after === undefined || key > after)) {
        files.push({ key, path: join(dir, entry.name) });
      }
    }
    // stat in parallel: a Delta log directory can hold thousands of files.
    const infos = await Promise.all(files.map((f) => stat(f.path).catch(() => undefined)));
    infos.forEach((info, i) => {
      if (info) found.push({ key: files[i]!.key, size: info.size, lastModified: info.mtimeMs });
    });
  }

  private async writeTemp(target: string, body: Uint8Array | string): Promise<string> {
    const dir = dirname(target);
    const temp = join(dir, `.tmp-${randomUUID()}`);
    if (this.knownDirs.has(dir)) {
      try {
        await writeFile(temp, body);
        return temp;
      } catch (error) {
        if (!isCode(error, 'ENOENT')) throw error;
        this.knownDirs.delete(dir); // removed since: made again below
      }
    }
    await mkdir(dir, { recursive: true });
    await writeFile(temp, body);
    if (this.knownDirs.size >= MAX_KNOWN_DIRS) this.knownDirs.clear(); // a long-lived store forgets, then learns again
    this.knownDirs.add(dir);
    return temp;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
