/**
 * One segment file of a partition log, in Kafka's on-disk format: record batches back to back, each
 * with its absolute base offset, named by the segment's base offset (`<20 digits>.log`). Only a
 * sparse index (one entry per {@link INDEX_INTERVAL_BYTES}, as Kafka's `index.interval.bytes`) and a
 * few totals stay in memory; the bytes are read back from the file.
 */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, crc32c } from '../../libs/kafka/protocol';

/** Bytes between two entries of the sparse offset index (Kafka's `index.interval.bytes` default). */
const INDEX_INTERVAL_BYTES = 4096;

const READ_CHUNK = 4 * 1024 * 1024;

/** The header fields of one stored batch and where it sits in its segment. */
export interface StoredBatchHeader {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly position: number;
  readonly size: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

/** The file name of the segment starting at `baseOffset`. */
function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/** The base offset a segment file name stands for, or undefined for any other file. */
export function parseSegmentFileName(name: string): number | undefined {
  const match = /^(\d{20})\.log$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function readHeader(bytes: Buffer, at: number, position: number): StoredBatchHeader {
  const baseOffset = Number(bytes.readBigInt64BE(at));
  return {
    baseOffset,
    lastOffset: baseOffset + bytes.readInt32BE(at + 23),
    position,
    size: 12 + bytes.readInt32BE(at + 8),
    maxTimestamp: Number(bytes.readBigInt64BE(at + 35)),
    producerId: bytes.readBigInt64BE(at + 43),
    producerEpoch: bytes.readInt16BE(at + 51),
    baseSequence: bytes.readInt32BE(at + 53),
  };
}

/** One segment: its file, the next offset it would give, its size and sparse index. */
export class Segment {
  nextOffset: number;
  size = 0;
  /** The largest batch timestamp in the segment (-1 when empty), as Kafka's time retention reads it. */
  maxTimestamp = -1;
  /** When the segment was last written (ms), for time retention of batches without timestamps. */
  modifiedAt: number;
  private fd: number | undefined;
  private readonly indexOffsets: number[] = [];
  private readonly indexPositions: number[] = [];
  private sinceIndex = Number.POSITIVE_INFINITY;

  private constructor(
    readonly path: string,
    readonly baseOffset: number,
  ) {
    this.nextOffset = baseOffset;
    this.modifiedAt = Date.now();
  }

  /** Creates an empty segment file (or truncates a leftover one). */
  static create(dir: string, baseOffset: number): Segment {
    const segment = new Segment(join(dir, segmentFileName(baseOffset)), baseOffset);
    segment.fd = openSync(segment.path, 'w+');
    return segment;
  }

  /**
   * Opens an existing segment file and rebuilds its index by walking its batch headers. With
   * `verify` (the last segment, which a crash may have cut), each batch's length, magic and CRC are
   * checked and the file is truncated at the first batch that fails, as Kafka's log recovery does.
   * `onBatch` sees every batch kept.
   */
  static open(
    dir: string,
    baseOffset: number,
    verify: boolean,
    onBatch: (header: StoredBatchHeader) => void,
  ): { segment: Segment; truncatedBytes: number } {
    const segment = new Segment(join(dir, segmentFileName(baseOffset)), baseOffset);
    segment.fd = openSync(segment.path, 'r+');
    const fileSize = statSync(segment.path).size;
    segment.modifiedAt = statSync(segment.path).mtimeMs;
    let position = 0;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (position < fileSize) {
      const need = (length: number) => {
        if (position + length <= chunkStart + chunk.length) return true;
        if (position + length > fileSize) return false;
        chunk = Buffer.allocUnsafe(Math.max(READ_CHUNK, length));
        chunkStart = position;
        const got = readSync(segment.fd!, chunk, 0, Math.min(chunk.length, fileSize - position), position);
        chunk = chunk.subarray(0, got);
        return position + length <= chunkStart + chunk.length;
      };
      if (!need(BATCH_HEADER_SIZE)) break;
      const at = position - chunkStart;
      const size = 12 + chunk.readInt32BE(at + 8);
      if (size < BATCH_HEADER_SIZE || chunk.readInt8(at + 16) !== 2) break;
      if (verify) {
        if (!need(size)) break;
        const start = position - chunkStart;
        if (chunk.readUInt32BE(start + 17) !== crc32c(chunk.subarray(start + 21, start + size))) break;
      } else if (position + size > fileSize) break;
      const header = readHeader(chunk, position - chunkStart, position);
      segment.noteAppend(header);
      onBatch(header);
      position += size;
    }
    if (position < fileSize) ftruncateSync(segment.fd, position);
    return { segment, truncatedBytes: fileSize - position };
  }

  private noteAppend(header: StoredBatchHeader): void {
    if (this.sinceIndex >= INDEX_INTERVAL_BYTES) {
      this.indexOffsets.push(header.baseOffset);
      this.indexPositions.push(header.position);
      this.sinceIndex = 0;
    }
    this.sinceIndex += header.size;
    this.size = header.position + header.size;
    this.nextOffset = header.lastOffset + 1;
    if (header.maxTimestamp > this.maxTimestamp) this.maxTimestamp = header.maxTimestamp;
  }

  /** Writes one batch (its base offset already rewritten) at the end of the file with write(2). */
  append(bytes: Buffer): StoredBatchHeader {
    const header = readHeader(bytes, 0, this.size);
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.handle(), bytes, written, bytes.length - written, this.size + written);
    }
    this.noteAppend(header);
    this.modifiedAt = Date.now();
    return header;
  }

  /** Flushes the file to the device (fsync). */
  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  /** The file descriptor, for an asynchronous fsync. */
  handle(): number {
    this.fd ??= openSync(this.path, 'r+');
    return this.fd;
  }

  /** `length` bytes from `position` (fewer at the end of the file). */
  readAt(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(this.handle(), bytes, got, bytes.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return bytes.subarray(0, got);
  }

  /**
   * Visits batch headers from the index entry at or before `offset` on, in order, until `visit`
   * returns false or the segment ends.
   */
  walk(offset: number, visit: (header: StoredBatchHeader) => boolean): void {
    let lo = 0;
    let hi = this.indexOffsets.length - 1;
    let from = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.indexOffsets[mid]! <= offset) {
        from = this.indexPositions[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = from;
    for (let position = from; position < this.size; ) {
      if (position + BATCH_HEADER_SIZE > chunkStart + chunk.length) {
        chunk = this.readAt(position, 256 * 1024);
        chunkStart = position;
        if (chunk.length < BATCH_HEADER_SIZE) return;
      }
      const header = readHeader(chunk, position - chunkStart, position);
      if (!visit(header)) return;
      position += header.size;
    }
  }

  /** Closes the file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closes and deletes the file. */
  delete(): void {
    this.close();
    unlinkSync(this.path);
  }
}
