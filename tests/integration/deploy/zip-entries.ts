import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** One file in a zip archive, as its central directory lists it. */
export interface ZipEntry {
  readonly name: string;
  readonly size: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;

interface CentralEntry {
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly method: number;
  /** Offset of the entry's local file header. */
  readonly local: number;
}

/** The central directory of a zip archive (no ZIP64), entry by entry. */
function* centralDirectory(zip: Buffer, path: string): Generator<CentralEntry> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error(`${path} is not a zip archive (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`${path}: central directory entry ${index} is corrupt`);
    }
    const nameLength = zip.readUInt16LE(offset + 28);
    yield {
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      size: zip.readUInt32LE(offset + 24),
      compressedSize: zip.readUInt32LE(offset + 20),
      method: zip.readUInt16LE(offset + 10),
      local: zip.readUInt32LE(offset + 42),
    };
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
}

/** Lists the files of a zip archive (no ZIP64, no decompression): enough for Lambda packages. */
export async function readZipEntries(path: string): Promise<ZipEntry[]> {
  return [...centralDirectory(await readFile(path), path)].map(({ name, size }) => ({ name, size }));
}

const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * Unpacks a zip archive (stored or deflated entries, no ZIP64) into `dir`, as Lambda unpacks a
 * function's code into /var/task; resolves the paths written, relative to `dir`.
 */
export async function extractZip(path: string, dir: string): Promise<string[]> {
  const zip = await readFile(path);
  const written: string[] = [];
  for (const { name, method, compressedSize, local } of centralDirectory(zip, path)) {
    if (name.endsWith('/')) continue;
    const target = resolve(dir, name);
    if (!target.startsWith(`${resolve(dir)}${sep}`))
      throw new Error(`${path}: entry ${name} leaves the folder`);
    if (zip.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw new Error(`${path}: entry ${name} is corrupt`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`${path}: entry ${name} uses compression ${method}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, method === 8 ? inflateRawSync(data) : data);
    written.push(name);
  }
  return written;
}
