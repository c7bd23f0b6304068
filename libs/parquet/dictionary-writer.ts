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

/** A string column written with a dictionary while that pays, else PLAIN. */
export class DictionaryColumn implements ColumnBuffer {
  private entries: Map<string, number> | undefined = new Map();
  private readonly dictionary = new ByteSink(1 << 12);
  private readonly levels = new Levels();
  private indices = new Int32Array(1024);
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
    let index = entries.get(value);
    if (index === undefined) {
      index = entries.size;
      if (index === MAX_ENTRIES || this.dictionary.length > MAX_DICTIONARY_BYTES) {
        this.goPlain().add(value, row);
        return;
      }
      entries.set(value, index);
      this.stats.strings!.add(value, this.dictionary.lengthPrefixedUtf8(value) === value.length);
    }
    this.levels.push(1);
    if (this.present === this.indices.length) {
      const next = new Int32Array(this.indices.length * 2);
      next.set(this.indices);
      this.indices = next;
    }
    this.indices[this.present++] = index;
    if (this.present === SAMPLE && entries.size > SAMPLE * MAX_DISTINCT_SHARE) this.goPlain();
  }

  /** Replays the values so far into a PLAIN column, which takes over. */
  private goPlain(): PlainColumn {
    const plain = new PlainColumn(this.column, 'string', this.codec, this.where);
    const values = [...this.entries!.keys()];
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
  }
}
