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

/** Lists the files of a zip archive (no ZIP64, no decompression): enough for Lambda packages. */
export async function readZipEntries(path: string): Promise<ZipEntry[]> {
  const zip = await readFile(path);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error(`${path} is not a zip archive (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`${path}: central directory entry ${index} is corrupt`);
    }
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, size });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * Unpacks a zip archive (stored or deflated entries, no ZIP64) into `dir`, as Lambda unpacks a
 * function's code into /var/task; resolves the paths written, relative to `dir`.
 */
export async function extractZip(path: string, dir: string): Promise<string[]> {
  const zip = await readFile(path);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error(`${path} is not a zip archive (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const written: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
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
