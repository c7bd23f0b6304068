/**
 * A growable little-endian byte buffer: the one place the Parquet writer puts bytes. Writes go
 * straight into a Buffer (short ASCII strings by a loop, others through Node's UTF-8 encoder), so
 * encoding allocates only when the buffer has to grow.
 */

const TWO_32 = 4_294_967_296;
const EMPTY = Buffer.alloc(0);

/** A DataView over exactly a buffer's bytes: numbers are written through it (one store each, inlined). */
const viewOf = (buffer: Buffer): DataView => new DataView(buffer.buffer, buffer.byteOffset, buffer.length);

/** Node's own UTF-8 writer behind `Buffer#write`, minus the argument checks that cost as much as it. */
type Utf8Write = (this: Buffer, value: string, offset: number) => number;
const utf8Write: Utf8Write =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write ??
  function (this: Buffer, value: string, offset: number) {
    return this.write(value, offset);
  };

/**
 * Strings up to this many code units are written by a loop here when they are ASCII: a call into
 * Node's encoder costs about as much as copying 20 characters one by one (measured on 9-, 17- and
 * 59-character values: 2.5×, 1.3× and 0.3× as fast as the encoder), and most values written are short
 * (`source` rests, names, countries, categories).
 */
const SHORT_STRING = 24;

/** Writes `value` as UTF-8 into `buffer` at `offset` (which must have room: 3 bytes a code unit); returns the bytes written. */
export function utf8Into(buffer: Buffer, value: string, offset: number): number {
  const length = value.length;
  if (length <= SHORT_STRING) {
    let i = 0;
    for (; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) break;
      buffer[offset + i] = c;
    }
    if (i === length) return length;
  }
  return utf8Write.call(buffer, value, offset);
}

/**
 * Storage of sinks that are done, kept for the next ones: a fresh buffer's pages are faulted in by the
 * kernel on first write, which costs more than the bytes written into it (about 4 ms a megabyte on
 * this project's machine), so the buffers of one Parquet file serve the next. Powers of two from
 * 64 KiB, at most {@link POOL_MAX_BYTES} in all; encoding is synchronous, so no two sinks share one.
 */
const POOL_MIN_BITS = 16;
const POOL_MAX_BITS = 24;
const POOL_MAX_BYTES = 24 << 20;
const pool: Buffer[][] = Array.from({ length: POOL_MAX_BITS + 1 }, () => []);
let pooledBytes = 0;

function poolBits(capacity: number): number {
  return Math.max(POOL_MIN_BITS, 32 - Math.clz32(capacity - 1));
}

/** A buffer of at least `capacity` bytes (a power of two from 64 KiB): a pooled one when there is one. */
function takeStorage(capacity: number): Buffer {
  if (capacity < 1 << POOL_MIN_BITS) return Buffer.allocUnsafe(capacity);
  const bits = poolBits(capacity);
  if (bits > POOL_MAX_BITS) return Buffer.allocUnsafeSlow(capacity);
  const reused = pool[bits]!.pop();
  if (reused === undefined) return Buffer.allocUnsafeSlow(1 << bits);
  pooledBytes -= reused.length;
  return reused;
}

/** Gives storage back to the pool (when it is a pooled size and the pool has room). */
function returnStorage(storage: Buffer): void {
  const size = storage.length;
  if (size < 1 << POOL_MIN_BITS || size > 1 << POOL_MAX_BITS || (size & (size - 1)) !== 0) return;
  if (pooledBytes + size > POOL_MAX_BYTES) return;
  pool[poolBits(size)]!.push(storage);
  pooledBytes += size;
}

/** A byte buffer written front to back; `bytes.subarray(0, length)` is what was written. */
export class ByteSink {
  /** The storage; replaced when it grows, so read it after writing. Replace it only with {@link setStorage}. */
  bytes: Buffer;
  /** Bytes written so far. */
  length = 0;
  /** A view of {@link bytes}, for numbers. */
  private data: DataView;

  /** Starts with room for `capacity` bytes; it grows by doubling. */
  constructor(capacity = 4096) {
    this.bytes = takeStorage(Math.max(capacity, 16));
    this.data = viewOf(this.bytes);
  }

  /** Replaces the storage (what was written is dropped). */
  setStorage(storage: Buffer): void {
    this.bytes = storage;
    this.data = viewOf(storage);
    this.length = 0;
  }

  /**
   * Gives the storage to the pool for the next sinks, and leaves this sink empty: call it when
   * nothing refers to what was written any more (views included).
   */
  release(): void {
    returnStorage(this.bytes);
    this.setStorage(EMPTY);
  }

  /** The written bytes (a view, valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Forgets what was written, keeping the storage. */
  reset(): void {
    this.length = 0;
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    if (this.length + extra > this.bytes.length) this.grow(extra);
  }

  private grow(extra: number): void {
    let capacity = Math.max(16, this.bytes.length * 2);
    while (capacity < this.length + extra) capacity *= 2;
    const next = takeStorage(capacity);
    this.bytes.copy(next, 0, 0, this.length);
    returnStorage(this.bytes);
    const { length } = this;
    this.setStorage(next);
    this.length = length;
  }

  /** One byte. */
  u8(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  /** An unsigned LEB128 varint of a non-negative safe integer. */
  varint(value: number): void {
    this.ensure(10);
    const bytes = this.bytes;
    let n = value;
    while (n >= 0x80) {
      bytes[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    bytes[this.length++] = n;
  }

  /** A 32-bit integer, little-endian (two's complement for negatives; any number, taken modulo 2^32). */
  i32(value: number): void {
    this.ensure(4);
    this.data.setInt32(this.length, value, true);
    this.length += 4;
  }

  /** A 64-bit integer given as its low 32 bits (unsigned) and high 32 bits (signed). */
  i64(low: number, high: number): void {
    this.ensure(8);
    const at = this.length;
    this.data.setInt32(at, low, true);
    this.data.setInt32(at + 4, high, true);
    this.length = at + 8;
  }

  /** A safe integer as a 64-bit two's complement integer. */
  safeInt64(value: number): void {
    const high = Math.floor(value / TWO_32);
    this.i64(value - high * TWO_32, high);
  }

  /** A double, little-endian. */
  f64(value: number): void {
    this.ensure(8);
    this.data.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** A float, little-endian. */
  f32(value: number): void {
    this.ensure(4);
    this.data.setFloat32(this.length, value, true);
    this.length += 4;
  }

  /**
   * A string as UTF-8 after its byte length as a 4-byte integer (Parquet's PLAIN BYTE_ARRAY).
   * Returns the UTF-8 length: equal to the string's length exactly when the string is ASCII.
   */
  lengthPrefixedUtf8(value: string): number {
    this.ensure(4 + value.length * 3);
    const at = this.length;
    const written = utf8Into(this.bytes, value, at + 4);
    this.length = at;
    this.i32(written);
    this.length = at + 4 + written;
    return written;
  }

  /** A string as UTF-8, without a length. */
  utf8(value: string): void {
    this.ensure(value.length * 3);
    this.length += utf8Into(this.bytes, value, this.length);
  }

  /** Copies bytes in. */
  append(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }
}
