/**
 * Dictionary encoding for string columns: each distinct string is written once, in a PLAIN
 * dictionary page, and the rows carry bit-packed indices into it (RLE_DICTIONARY). It pays for
 * columns such as category, country or is_image_or_video and not for ids, so a column gives up and
 * goes on PLAIN as soon as its first values turn out mostly distinct (or the dictionary grows past
 * what readers accept in one page).
 */
import { ByteSink } from './byte-sink';
import { type ColumnBuffer, Levels, PlainColumn, type WrittenChunk } from './column-writer';
import { fail, failValue } from './columns';
import { keepInt32s, NO_INT32S, takeInt32s } from './int32-pool';
import { ChunkWriter, Encoding, pageBody } from './page-writer';
import { bitWidthOf, writeHybrid, writeLevels } from './rle';
import type { TableColumn } from './schema';
import { ValueStats } from './values';

/** The values looked at before deciding whether the dictionary pays. */
const SAMPLE = 1024;
/** Give up when more than this share of the values seen are distinct. */
const MAX_DISTINCT_SHARE = 0.5;
/** Give up past this many entries or dictionary bytes. */
const MAX_ENTRIES = 32_767;
const MAX_DICTIONARY_BYTES = 1 << 20;
const PAGE_ROWS = 20_000;

/** Probes past this many slots in one lookup mean the sampled hash does not tell the values apart. */
const MAX_PROBES = 64;

/**
 * A hash of a string from its length and at most ten of its characters, spread over it: a `Map`
 * hashes every character of every new string (each parsed record's value is a new string), which for
 * long text such as titles and URLs cost more than the rest of encoding; equal strings still meet the
 * full comparison before they share an entry.
 */
function sampledHash(value: string): number {
  const length = value.length;
  let hash = Math.imul(length, 0x9e3779b1);
  if (length <= 10) {
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  } else {
    const step = length >> 3;
    for (let at = 0; at < 8 * step; at += step) hash = Math.imul(hash ^ value.charCodeAt(at), 0x01000193);
    hash = Math.imul(hash ^ value.charCodeAt(length - 1), 0x01000193);
    hash = Math.imul(hash ^ value.charCodeAt(length - 2), 0x01000193);
  }
  return hash ^ (hash >>> 15);
}

/**
 * The distinct values of a column chunk, numbered in order of arrival: open addressing over
 * {@link sampledHash}, entries compared in full. {@link ValueTable.indexOf} answers -2 when a lookup
 * needs more than {@link MAX_PROBES} probes (values built to collide), and the column gives up on
 * the dictionary rather than slow down.
 */
class ValueTable {
  readonly values: string[] = [];
  private hashes = new Int32Array(64);
  /** Entry number + 1 in each slot, 0 for an empty one; a power of two, at most half full. */
  private slots = new Int32Array(128);

  get size(): number {
    return this.values.length;
  }

  /** The value's entry number, -1 when absent (after {@link ValueTable.add} may take it), -2 when lookups degrade. */
  indexOf(value: string, hash: number): number {
    const { slots, values, hashes } = this;
    const mask = slots.length - 1;
    for (let probe = 0, slot = hash & mask; probe < MAX_PROBES; probe++, slot = (slot + 1) & mask) {
      const entry = slots[slot]! - 1;
      if (entry < 0) return -1;
      if (hashes[entry] === hash && values[entry] === value) return entry;
    }
    return -2;
  }

  /** Adds a value known to be absent; returns its entry number. */
  add(value: string, hash: number): number {
    const entry = this.values.length;
    this.values.push(value);
    if (entry === this.hashes.length) {
      const hashes = new Int32Array(entry * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[entry] = hash;
    if ((entry + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry);
    return entry;
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let entry = 0; entry < this.values.length; entry++) this.place(entry);
  }
}

/** A string column written with a dictionary while that pays, else PLAIN. */
export class DictionaryColumn implements ColumnBuffer {
  private entries: ValueTable | undefined = new ValueTable();
  private readonly dictionary = new ByteSink(1 << 12);
  private readonly levels = new Levels();
  private indices = takeInt32s(1024);
  private present = 0;
  private readonly stats = new ValueStats('string');
  private plain: PlainColumn | undefined;

  constructor(
    private readonly column: TableColumn,
    private readonly codec: number,
    private readonly where: string,
  ) {}

  /** Checks the row's value and records its dictionary index (or hands it to the PLAIN column). */
  add(value: unknown, row: number): void {
    if (this.plain) {
      this.plain.add(value, row);
      return;
    }
    const entries = this.entries!;
    if (value === null || value === undefined) {
      if (!this.column.nullable) fail(this.column, row, 'null in a non-nullable column', this.where);
      this.levels.push(0);
      this.stats.nullCount++;
      return;
    }
    if (typeof value !== 'string') failValue(this.column, row, 'a string', value, this.where);
    const hash = sampledHash(value);
    let index = entries.indexOf(value, hash);
    if (index < 0) {
      if (index === -2 || entries.size === MAX_ENTRIES || this.dictionary.length > MAX_DICTIONARY_BYTES) {
        this.goPlain().add(value, row);
        return;
      }
      index = entries.add(value, hash);
      this.stats.strings!.add(value, this.dictionary.lengthPrefixedUtf8(value) === value.length);
    }
    this.levels.push(1);
    if (this.present === this.indices.length) {
      const next = takeInt32s(this.indices.length * 2);
      next.set(this.indices);
      keepInt32s(this.indices);
      this.indices = next;
    }
    this.indices[this.present++] = index;
    if (this.present === SAMPLE && entries.size > SAMPLE * MAX_DISTINCT_SHARE) this.goPlain();
  }

  /** Replays the values so far into a PLAIN column, which takes over. */
  private goPlain(): PlainColumn {
    const plain = new PlainColumn(this.column, 'string', this.codec, this.where);
    const { values } = this.entries!;
    let next = 0;
    for (let i = 0; i < this.levels.length; i++) {
      plain.add(this.levels.data[i] === 0 ? null : values[this.indices[next++]!], 0);
    }
    this.plain = plain;
    this.entries = undefined;
    return plain;
  }

  /** Writes the dictionary page and the index pages, or finishes PLAIN when the dictionary did not pay. */
  finish(): WrittenChunk {
    const entries = this.entries;
    if (entries && this.present > 0 && entries.size > this.present * MAX_DISTINCT_SHARE) this.goPlain();
    if (this.plain) return this.plain.finish();
    const size = entries!.size;
    const chunk = new ChunkWriter(this.codec);
    if (size > 0) chunk.dictionaryPage(this.dictionary.view(), size);
    const bitWidth = Math.max(1, bitWidthOf(size - 1));
    const { nullable } = this.column;
    const levels = this.levels.data;
    let index = 0;
    for (let from = 0; from === 0 || from < this.levels.length; from += PAGE_ROWS) {
      const to = Math.min(from + PAGE_ROWS, this.levels.length);
      let count = to - from;
      if (nullable) {
        count = 0;
        for (let i = from; i < to; i++) count += levels[i]!;
      }
      const page = pageBody();
      if (nullable) writeLevels(page, levels, from, to, 1);
      if (count > 0) {
        page.u8(bitWidth);
        writeHybrid(page, this.indices, index, index + count, bitWidth);
      }
      index += count;
      chunk.dataPage(page.view(), to - from, size > 0 ? Encoding.RLE_DICTIONARY : Encoding.PLAIN);
    }
    return { chunk, stats: this.stats };
  }

  /** Gives the dictionary's (or the PLAIN column's) buffers back. */
  release(): void {
    this.dictionary.release();
    this.plain?.release();
    keepInt32s(this.indices);
    this.indices = NO_INT32S;
  }
}
