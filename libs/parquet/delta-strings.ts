/**
 * DELTA_BYTE_ARRAY for string columns whose values share one prefix across the file, such as the
 * clean tables' `source` (`kinesis:<stream>:<shard>:<sequence number>`): each value is written as
 * the length of the prefix it shares with the value before it and the bytes that follow, so a row
 * costs a few bytes instead of its whole text. The caller gives only what follows the common
 * prefix; the prefix is written once per page. DuckDB, Spark (parquet-mr), Arrow, Trino and
 * hyparquet read the encoding.
 */
import { ByteSink, utf8Into } from './byte-sink';
import { type ColumnBuffer, Levels, type WrittenChunk } from './column-writer';
import { fail, failValue } from './columns';
import { keepInt32s, NO_INT32S, takeInt32s } from './int32-pool';
import { ChunkWriter, Encoding, pageBody } from './page-writer';
import { bitWidthOf, packBits, writeLevels } from './rle';
import type { TableColumn } from './schema';
import { asWritten, compareCodePoints } from './stats';
import { ValueStats } from './values';

/** A page holds about this many suffix bytes… */
const PAGE_BYTES = 1 << 20;
/** …and at most this many level entries. */
const PAGE_ROWS = 20_000;

/** DELTA_BINARY_PACKED's layout: blocks of 128 deltas in 4 miniblocks of 32. */
const BLOCK = 128;
const MINIBLOCKS = 4;
const MINIBLOCK = BLOCK / MINIBLOCKS;

/** Zigzag: small negative and positive integers both become small unsigned ones. */
const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);

/**
 * Writes `values[0, count)` (integers in [0, 2^31)) as DELTA_BINARY_PACKED: a header (block size,
 * miniblocks per block, count, first value), then per block of deltas the smallest delta and each
 * miniblock's deltas above it, bit-packed LSB first at the miniblock's width.
 */
function writeDeltaBinaryPacked(out: ByteSink, values: Int32Array, count: number): void {
  out.varint(BLOCK);
  out.varint(MINIBLOCKS);
  out.varint(count);
  out.varint(zigzag(count > 0 ? values[0]! : 0));
  const deltas = count - 1;
  for (let block = 0; block < deltas; block += BLOCK) {
    const end = Math.min(block + BLOCK, deltas);
    // Delta j is values[j + 1] - values[j].
    let min = Number.POSITIVE_INFINITY;
    for (let j = block; j < end; j++) min = Math.min(min, values[j + 1]! - values[j]!);
    out.varint(zigzag(min));
    const widths = [0, 0, 0, 0];
    for (let m = 0; m < MINIBLOCKS; m++) {
      let max = 0;
      const from = block + m * MINIBLOCK;
      for (let j = from; j < Math.min(from + MINIBLOCK, end); j++) {
        max = Math.max(max, values[j + 1]! - values[j]! - min);
      }
      widths[m] = bitWidthOf(max);
      out.u8(widths[m]!);
    }
    // Miniblocks past the last delta are not written (their width bytes are, as zero).
    for (let m = 0; m < MINIBLOCKS && block + m * MINIBLOCK < end; m++) {
      const from = block + m * MINIBLOCK;
      packMiniblock(out, values, from, Math.min(from + MINIBLOCK, end), min, widths[m]!);
    }
  }
}

/** One miniblock's deltas above the block's minimum, for {@link packBits}. */
const miniblockDeltas = new Int32Array(MINIBLOCK);

// A whole miniblock (32 deltas, zeros past `to`) at `width` bits each: exactly 4 × width bytes.
function packMiniblock(
  out: ByteSink,
  values: Int32Array,
  from: number,
  to: number,
  min: number,
  width: number,
): void {
  if (width === 0) return;
  if (width <= 24) {
    const count = to - from;
    for (let j = 0; j < count; j++) miniblockDeltas[j] = values[from + j + 1]! - values[from + j]! - min;
    packBits(out, miniblockDeltas, 0, count, MINIBLOCK, width);
    return;
  }
  // Wider (values of 16 MiB and more): arithmetic, as a width up to 32 bits plus 7 pending bits stays
  // an exact double.
  out.ensure(4 * width);
  const bytes = out.bytes;
  let at = out.length;
  let pending = 0;
  let scale = 1;
  for (let j = from; j < from + MINIBLOCK; j++) {
    const value = j < to ? values[j + 1]! - values[j]! - min : 0;
    pending += value * scale;
    scale *= 2 ** width;
    while (scale >= 256) {
      bytes[at++] = pending % 256;
      pending = Math.floor(pending / 256);
      scale /= 256;
    }
  }
  out.length = at;
}

/** A value's UTF-8 bytes in storage of its own, also readable four bytes at a time. */
class WordBytes {
  bytes: Buffer;
  words: Int32Array;
  length = 0;

  constructor(capacity = 256) {
    // One ArrayBuffer for both views, from its start: the word view is aligned.
    const storage = new ArrayBuffer(capacity);
    this.bytes = Buffer.from(storage);
    this.words = new Int32Array(storage, 0, capacity >> 2);
  }

  reset(): void {
    this.length = 0;
  }

  utf8(value: string): void {
    if (value.length * 3 > this.bytes.length) {
      const grown = new WordBytes(value.length * 3 + 4);
      this.bytes = grown.bytes;
      this.words = grown.words;
    }
    this.length = utf8Into(this.bytes, value, 0);
  }
}

/** How `a` orders against `b` (negative, zero, positive), given that they share their first `common` bytes. */
function orderAfterShared(a: WordBytes, b: WordBytes, common: number): number {
  if (common < a.length && common < b.length) return a.bytes[common]! - b.bytes[common]!;
  return a.length - b.length;
}

/** How many leading bytes two values share: four at a time, then one at a time. */
function sharedBytes(a: WordBytes, b: WordBytes): number {
  const limit = Math.min(a.length, b.length);
  const x = a.words;
  const y = b.words;
  let word = 0;
  while (word < limit >> 2 && x[word] === y[word]) word++;
  let common = word << 2;
  while (common < limit && a.bytes[common] === b.bytes[common]) common++;
  return common;
}

/**
 * A string column written DELTA_BYTE_ARRAY, every value starting with `prefix`: rows give only the
 * rest of the value (a string), so no row builds the whole text. Bounds are those of the whole
 * values (the prefix and the rest in code point order, which the prefix does not change).
 */
export class PrefixedStringColumn implements ColumnBuffer {
  private readonly chunk: ChunkWriter;
  private readonly stats = new ValueStats('string');
  private readonly levels = new Levels();
  private readonly prefix: Buffer;
  /**
   * The page's values: the bytes each shares with the one before, and the length of the rest. Taken
   * (spare arrays, or new) with the first value, so a column that gets none holds none.
   */
  private shared: Int32Array = NO_INT32S;
  private restLengths: Int32Array = NO_INT32S;
  private readonly rests = new ByteSink(1 << 12);
  private count = 0;
  /** The previous value's bytes after the prefix, and this value's (swapped value by value). */
  private previous = new WordBytes();
  private current = new WordBytes();
  /** The bounds of the values after the prefix (see {@link PrefixedStringColumn.bound}). */
  private minRest: string | undefined;
  private maxRest: string | undefined;
  /** Whether the previous non-null value equals the current min, the current max. */
  private previousIsMin = false;
  private previousIsMax = false;

  constructor(
    private readonly column: TableColumn,
    private readonly prefixText: string,
    codec: number,
    private readonly where: string,
  ) {
    this.chunk = new ChunkWriter(codec);
    this.prefix = Buffer.from(prefixText, 'utf8');
  }

  /** Checks the rest of the row's value (after the prefix) and adds it to the page. */
  add(value: unknown, row: number): void {
    if (value === null || value === undefined) {
      if (!this.column.nullable) fail(this.column, row, 'null in a non-nullable column', this.where);
      this.levels.push(0);
      this.stats.nullCount++;
    } else {
      if (typeof value !== 'string') failValue(this.column, row, 'a string', value, this.where);
      this.push(value);
      this.levels.push(1);
    }
    if (this.levels.length === PAGE_ROWS || this.rests.length >= PAGE_BYTES) this.flush();
  }

  private push(rest: string): void {
    if (this.shared.length === 0) {
      this.shared = takeInt32s(PAGE_ROWS);
      this.restLengths = takeInt32s(PAGE_ROWS);
    }
    const { current, previous } = this;
    current.reset();
    current.utf8(rest);
    const length = current.length;
    let common = 0;
    if (this.count === 0) this.rests.append(this.prefix);
    else common = sharedBytes(previous, current);
    const first = this.count === 0;
    // An ASCII value orders against the one before as their bytes do; another is compared in full, as
    // written (a lone surrogate as U+FFFD).
    const ascii = length === rest.length;
    if (ascii) this.bound(rest, first ? Number.NaN : orderAfterShared(current, previous, common));
    else this.bound(asWritten(rest), Number.NaN);
    this.shared[this.count] = first ? 0 : this.prefix.length + common;
    this.restLengths[this.count] = length - common + (first ? this.prefix.length : 0);
    // Byte by byte: the rest after the shared bytes is short (a few digits), and a view to copy from
    // would cost a typed array per value.
    const rests = this.rests;
    rests.ensure(length - common);
    const from = current.bytes;
    const to = rests.bytes;
    let at = rests.length;
    for (let i = common; i < length; i++) to[at++] = from[i]!;
    rests.length = at;
    this.count++;
    this.previous = current;
    this.current = previous;
  }

  /**
   * Takes a value into the bounds, knowing how it orders against the previous non-null value (`order`:
   * negative, zero, positive, or NaN when unknown; known only for an ASCII value, whose bytes order as
   * its code points do). A value above the previous one cannot be a new min, and when the previous one
   * equals the max it is the new max without any comparison: in a rising run (a shard's sequence
   * numbers) no value is compared with a bound at all.
   */
  private bound(rest: string, order: number): void {
    if (this.minRest === undefined || this.maxRest === undefined) {
      this.minRest = rest;
      this.maxRest = rest;
      this.previousIsMin = true;
      this.previousIsMax = true;
      return;
    }
    if (order === 0) return; // equal to the one before: the same bounds, the same flags
    if (order > 0 && this.previousIsMax) this.maxRest = rest;
    else if (order < 0)
      this.previousIsMax = false; // below the one before, so below the max
    else {
      const above = compareCodePoints(rest, this.maxRest);
      if (above > 0) this.maxRest = rest;
      this.previousIsMax = above >= 0;
    }
    if (order < 0 && this.previousIsMin) this.minRest = rest;
    else if (order > 0)
      this.previousIsMin = false; // above the one before, so above the min
    else {
      const below = compareCodePoints(rest, this.minRest);
      if (below < 0) this.minRest = rest;
      this.previousIsMin = below <= 0;
    }
  }

  private flush(): void {
    const page = pageBody();
    if (this.column.nullable) writeLevels(page, this.levels.data, 0, this.levels.length, 1);
    writeDeltaBinaryPacked(page, this.shared, this.count);
    writeDeltaBinaryPacked(page, this.restLengths, this.count);
    page.append(this.rests.view());
    this.chunk.dataPage(page.view(), this.levels.length, Encoding.DELTA_BYTE_ARRAY);
    this.rests.reset();
    this.levels.length = 0;
    this.count = 0;
    this.previous.reset();
  }

  /** Writes the last page (an empty one for an empty chunk) and returns the chunk. */
  finish(): WrittenChunk {
    if (this.levels.length > 0 || this.chunk.dataPageOffset < 0) this.flush();
    if (this.minRest !== undefined && this.maxRest !== undefined) {
      const bounds = this.stats.strings!;
      bounds.add(this.prefixText + this.minRest);
      bounds.add(this.prefixText + this.maxRest);
    }
    return { chunk: this.chunk, stats: this.stats };
  }

  /** Gives the page buffers back. */
  release(): void {
    this.rests.release();
    keepInt32s(this.shared); // none taken, or given back already: empty, and not kept
    keepInt32s(this.restLengths);
    this.shared = NO_INT32S;
    this.restLengths = NO_INT32S;
  }
}
