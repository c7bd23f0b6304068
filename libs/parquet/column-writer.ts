/**
 * Column buffers: one per column of the row group being written, each taking one value per row.
 * A value is checked and written as PLAIN bytes at once (with its definition, and for lists
 * repetition, level), so rows can be dropped as soon as they are appended; full pages (about
 * 1 MiB or 20,000 rows) are compressed into the column's chunk straight away.
 */
import { ByteSink } from './byte-sink';
import { describe, fail, failValue } from './columns';
import { ChunkWriter, Encoding, pageBody } from './page-writer';
import { writeLevels } from './rle';
import type { PrimitiveType, TableColumn } from './schema';
import { PLAIN_WRITERS, type PlainWriter, ValueStats, writeBooleans } from './values';

/** A page holds about this many value bytes (before compression)… */
const PAGE_BYTES = 1 << 20;
/** …and at most this many level entries. */
const PAGE_ROWS = 20_000;

/** A finished column chunk: its pages (not yet placed in the file) and its stats. */
export interface WrittenChunk {
  readonly chunk: ChunkWriter;
  readonly stats: ValueStats;
}

/** One column of the row group being written. */
export interface ColumnBuffer {
  /** Adds the column's value of row `row` (numbered across the file, for errors). */
  add(value: unknown, row: number): void;
  /** Writes what is left as the last page and returns the chunk. */
  finish(): WrittenChunk;
  /** Gives the column's buffers back for the next columns (after {@link ColumnBuffer.finish}). */
  release(): void;
}

/** A growable array of small integers (levels). */
export class Levels {
  data = new Uint8Array(1024);
  length = 0;

  /** Appends a level, growing the storage when full. */
  push(level: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = level;
  }
}

/** A primitive column written PLAIN. */
export class PlainColumn implements ColumnBuffer {
  readonly stats: ValueStats;
  private readonly chunk: ChunkWriter;
  private readonly values = new ByteSink(1 << 12);
  private readonly levels = new Levels();
  private readonly booleans: boolean[] = [];
  private readonly write: PlainWriter;
  private readonly isBoolean: boolean;

  constructor(
    private readonly column: TableColumn,
    type: PrimitiveType,
    codec: number,
    private readonly where: string,
  ) {
    this.chunk = new ChunkWriter(codec);
    this.stats = new ValueStats(type);
    this.write = PLAIN_WRITERS[type];
    this.isBoolean = type === 'boolean';
  }

  /** Checks and writes the row's value; a full page is compressed into the chunk. */
  add(value: unknown, row: number): void {
    if (value === null || value === undefined) {
      if (!this.column.nullable) fail(this.column, row, 'null in a non-nullable column', this.where);
      this.levels.push(0);
      this.stats.nullCount++;
    } else {
      const bad = this.write(this.values, value, this.stats);
      if (bad !== undefined) failValue(this.column, row, bad, value, this.where);
      if (this.isBoolean) this.booleans.push(value as boolean);
      this.levels.push(1);
    }
    if (this.levels.length === PAGE_ROWS || this.values.length >= PAGE_BYTES) this.flush();
  }

  private flush(): void {
    const page = pageBody();
    const count = this.levels.length;
    if (this.column.nullable) writeLevels(page, this.levels.data, 0, count, 1);
    if (this.isBoolean) writeBooleans(page, this.booleans);
    else page.append(this.values.view());
    this.chunk.dataPage(page.view(), count, Encoding.PLAIN);
    this.values.reset();
    this.levels.length = 0;
    this.booleans.length = 0;
  }

  /** Writes the last page (an empty one for an empty chunk) and returns the chunk. */
  finish(): WrittenChunk {
    if (this.levels.length > 0 || this.chunk.dataPageOffset < 0) this.flush();
    return { chunk: this.chunk, stats: this.stats };
  }

  /** Gives the value buffer back. */
  release(): void {
    this.values.release();
  }
}

/**
 * An `array<element>` column (3-level LIST): repetition level 0 starts a row, 1 continues it;
 * definition levels 0 null list (when nullable), then empty list, null element, present element.
 */
export class ListColumn implements ColumnBuffer {
  /** The column's own stats: its null count (arrays have no bounds). */
  readonly stats: ValueStats;
  private readonly elementStats: ValueStats;
  private readonly chunk: ChunkWriter;
  private readonly values = new ByteSink(1 << 12);
  private readonly repetitions = new Levels();
  private readonly definitions = new Levels();
  private readonly booleans: boolean[] = [];
  private readonly emptyList: number;
  private readonly write: PlainWriter;
  private readonly isBoolean: boolean;

  constructor(
    private readonly column: TableColumn,
    element: PrimitiveType,
    codec: number,
    private readonly where: string,
  ) {
    this.chunk = new ChunkWriter(codec);
    this.stats = new ValueStats(element);
    this.elementStats = new ValueStats(element);
    this.emptyList = column.nullable ? 1 : 0;
    this.write = PLAIN_WRITERS[element];
    this.isBoolean = element === 'boolean';
  }

  private push(repetition: number, definition: number): void {
    this.repetitions.push(repetition);
    this.definitions.push(definition);
  }

  /** Checks and writes the row's array (levels for each element, values for the present ones). */
  add(value: unknown, row: number): void {
    const { column, where } = this;
    if (value === null || value === undefined) {
      if (!column.nullable) fail(column, row, 'null in a non-nullable column', where);
      this.push(0, 0);
      this.stats.nullCount++;
    } else {
      if (!Array.isArray(value))
        fail(column, row, `expected an array or null, got ${describe(value)}`, where);
      const present = this.emptyList + 2;
      const count = value.length;
      if (count === 0) this.push(0, this.emptyList);
      for (let j = 0; j < count; j++) {
        const item: unknown = value[j];
        if (item === null || item === undefined) this.push(j === 0 ? 0 : 1, present - 1);
        else {
          const bad = this.write(this.values, item, this.elementStats);
          if (bad !== undefined) failValue(column, row, bad, item, where, j);
          if (this.isBoolean) this.booleans.push(item as boolean);
          this.push(j === 0 ? 0 : 1, present);
        }
      }
    }
    if (this.definitions.length >= PAGE_ROWS || this.values.length >= PAGE_BYTES) this.flush();
  }

  private flush(): void {
    const page = pageBody();
    const count = this.definitions.length;
    writeLevels(page, this.repetitions.data, 0, count, 1);
    writeLevels(page, this.definitions.data, 0, count, 2); // the max definition level is 2 or 3
    if (this.isBoolean) writeBooleans(page, this.booleans);
    else page.append(this.values.view());
    this.chunk.dataPage(page.view(), count, Encoding.PLAIN);
    this.values.reset();
    this.repetitions.length = 0;
    this.definitions.length = 0;
    this.booleans.length = 0;
  }

  /** Writes the last page (an empty one for an empty chunk) and returns the chunk. */
  finish(): WrittenChunk {
    if (this.definitions.length > 0 || this.chunk.dataPageOffset < 0) this.flush();
    return { chunk: this.chunk, stats: this.stats };
  }

  /** Gives the value buffer back. */
  release(): void {
    this.values.release();
  }
}
