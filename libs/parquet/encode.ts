/**
 * Rows → one Parquet file in memory, with Delta's stats for the `add` action. This is the hot path
 * of both the stream and the batch writers, so it is our own encoder: one pass per column writes
 * the PLAIN (or dictionary) values, levels and stats straight into one growing buffer, pages are
 * DataPage V1 compressed with our Snappy, and the footer is written by hand.
 */
import { ByteSink } from './byte-sink';
import { type ColumnBuffer, ListColumn, PlainColumn } from './column-writer';
import { PrefixedStringColumn } from './delta-strings';
import { DictionaryColumn } from './dictionary-writer';
import { ParquetEncodeError } from './errors';
import { type FooterChunk, type FooterRowGroup, writeFooter } from './footer';
import { Codec, releaseScratch } from './page-writer';
import { elementTypeOf, type PrimitiveType, parquetSchemaOf, type TableColumn } from './schema';
import { compareCodePoints, type FileStats, statValueOf } from './stats';
import { PHYSICAL_TYPE, type ValueStats, writeLong, writeMicros } from './values';

/** Options for {@link encodeTable}. */
export interface EncodeOptions {
  /** Rows per row group; default 1,048,576 (big groups read fastest in Spark and DuckDB). */
  readonly rowGroupSize?: number;
  /** Extra key-value metadata for the file footer. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Names the file in error messages, e.g. its key in the lake. */
  readonly file?: string;
  /**
   * String columns whose every value starts with a prefix known for the whole file (column name →
   * prefix): rows give only the rest of the value, and the column is written DELTA_BYTE_ARRAY (for
   * example `source`, `kinesis:<stream>:<shard>:` followed by each record's sequence number).
   */
  readonly sharedPrefixes?: Readonly<Record<string, string>>;
}

/** One encoded Parquet file and its Delta stats. */
export interface EncodedTable {
  readonly bytes: Uint8Array;
  readonly stats: FileStats;
}

/** Hands each column its value of one row (see {@link rowFiller}). */
type RowFiller = (buffers: readonly ColumnBuffer[], row: Record<string, unknown>, at: number) => void;

const rowFillers = new Map<string, RowFiller>();
const MAX_ROW_FILLERS = 64;

/**
 * The function that hands each column its value of a row, one per list of column names (kept, so
 * every file of a table runs the same compiled code): generated as
 * `b[0].add(r["ind"], at); b[1].add(r["country"], at); …`, so each column has a call site and a
 * property load of its own, which V8 specializes for the values and column writers met there (one
 * kind of writer per place, or a few when writers of one table differ, e.g. with and without shared
 * prefixes). A loop over the columns shares one `row[name]` and one `add` call among all of them, and
 * spent 10–16% more on encoding a batch (measured side by side on the clean tables). Names enter the
 * code only as JSON string literals.
 */
function rowFiller(names: readonly string[]): RowFiller {
  const key = JSON.stringify(names);
  let filler = rowFillers.get(key);
  if (filler === undefined) {
    const body = names.map((name, c) => `b[${c}].add(r[${JSON.stringify(name)}], at);`).join('\n');
    filler = new Function('b', 'r', 'at', body) as RowFiller;
    if (rowFillers.size >= MAX_ROW_FILLERS) rowFillers.clear();
    rowFillers.set(key, filler);
  }
  return filler;
}

/** Rows per row group unless told otherwise. */
const DEFAULT_ROW_GROUP_SIZE = 1_048_576;

// Parseable by parquet-mr's VersionParser, which otherwise ignores string column statistics.
const CREATED_BY = 'pinlake version 2 (build pinlake-parquet)';
const MAGIC = Buffer.from('PAR1');
/** Longer string bounds are left out of the footer (Delta's stats carry a 32-character prefix). */
const MAX_FOOTER_STRING_BYTES = 64;

type Bound = number | bigint | string | undefined;

/** A column's bounds over the whole file, in the writer's cheap form. */
interface FileBounds {
  nullCount: number;
  min: Bound;
  max: Bound;
  hasNaN: boolean;
}

const less = (a: Bound, b: Bound): boolean =>
  typeof a === 'string' && typeof b === 'string'
    ? compareCodePoints(a, b) < 0
    : (a as number) < (b as number);

function mergeBounds(into: FileBounds, stats: ValueStats): void {
  const { min, max } = stats.bounds();
  into.nullCount += stats.nullCount;
  into.hasNaN ||= stats.hasNaN;
  if (min !== undefined && (into.min === undefined || less(min, into.min))) into.min = min;
  if (max !== undefined && (into.max === undefined || less(into.max, max))) into.max = max;
}

/** PLAIN bytes of a bound, for the footer's min_value / max_value. */
function boundBytes(type: PrimitiveType, value: Bound, bound: 'min' | 'max'): Uint8Array | undefined {
  const out = new ByteSink(16);
  switch (type) {
    case 'string': {
      const text = value as string;
      if (Buffer.byteLength(text) > MAX_FOOTER_STRING_BYTES) return undefined;
      out.utf8(text);
      break;
    }
    case 'long':
      writeLong(out, value as number | bigint);
      break;
    case 'timestamp':
      writeMicros(out, value as number);
      break;
    case 'double':
    case 'float': {
      // The format asks for -0 as a min and +0 as a max, so either zero is covered.
      const n = value === 0 ? (bound === 'min' ? -0 : 0) : (value as number);
      if (type === 'double') out.f64(n);
      else out.f32(n);
      break;
    }
    case 'boolean':
      return undefined;
    default:
      out.i32(value as number);
  }
  return out.view().slice();
}

function footerStatistics(type: PrimitiveType, stats: ValueStats) {
  const { min, max } = stats.bounds();
  if (min === undefined || max === undefined || stats.hasNaN) return { nullCount: stats.nullCount };
  return {
    nullCount: stats.nullCount,
    min: boundBytes(type, min, 'min'),
    max: boundBytes(type, max, 'max'),
  };
}

/** A Delta stats bound from a file bound: timestamps go to statValueOf as micros. */
function deltaBound(type: PrimitiveType, value: Bound, bound: 'min' | 'max') {
  const physical = type === 'timestamp' ? BigInt(value as number) * 1000n : value;
  return statValueOf(type, physical, bound);
}

/**
 * Writes one Parquet file a row at a time: each row's values are checked and encoded as it is
 * appended, so the caller can drop the row, or reuse its objects (a Date set to the next row's time),
 * at once (the stream path never holds a batch of rows).
 * {@link TableWriter.finish} writes the footer and returns the file and its Delta stats; a finished
 * writer refuses more rows. After a {@link ParquetEncodeError} from `append` the writer is unusable.
 */
export class TableWriter {
  private readonly fill: RowFiller;
  private readonly elements: (PrimitiveType | undefined)[];
  private readonly groupSize: number;
  private readonly where: string;
  /** The column chunks written so far, in file order: copied once, into the file, by `finish`. */
  private readonly chunks: ByteSink[] = [];
  /** The file's length so far (the magic number and the chunks). */
  private length = MAGIC.length;
  private readonly bounds: FileBounds[];
  private readonly rowGroups: FooterRowGroup[] = [];
  /** The row group's columns: made for the first group at once (so a bad schema throws here), for later ones by their first row. */
  private buffers: ColumnBuffer[] | undefined;
  private rows = 0;
  private groupRows = 0;
  private finished = false;

  constructor(
    private readonly columns: readonly TableColumn[],
    private readonly options: EncodeOptions = {},
  ) {
    this.where = options.file ? ` for ${options.file}` : '';
    this.fill = rowFiller(columns.map((column) => column.name));
    this.elements = columns.map(elementTypeOf);
    this.groupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
    if (!(this.groupSize >= 1)) {
      throw new ParquetEncodeError(`row group size ${this.groupSize} is not positive${this.where}`);
    }
    this.bounds = columns.map(() => ({ nullCount: 0, min: undefined, max: undefined, hasNaN: false }));
    for (const name of Object.keys(options.sharedPrefixes ?? {})) {
      const column = columns.find((c) => c.name === name);
      const what =
        column === undefined ? 'a column' : column.type !== 'string' ? 'a string column' : undefined;
      if (what !== undefined) {
        throw new ParquetEncodeError(
          `a shared prefix is given for ${name}, which is not ${what}${this.where}`,
        );
      }
    }
    this.buffers = this.newBuffers();
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.rows;
  }

  private newBuffers(): ColumnBuffer[] {
    return this.columns.map((column, c) => {
      const element = this.elements[c];
      if (element !== undefined) return new ListColumn(column, element, Codec.SNAPPY, this.where);
      const type = column.type as PrimitiveType;
      const prefixes = this.options.sharedPrefixes;
      // Own properties only: a column named `toString` or `constructor` has no prefix.
      const prefix =
        prefixes !== undefined && Object.hasOwn(prefixes, column.name) ? prefixes[column.name] : undefined;
      if (prefix !== undefined) return new PrefixedStringColumn(column, prefix, Codec.SNAPPY, this.where);
      return type === 'string'
        ? new DictionaryColumn(column, Codec.SNAPPY, this.where)
        : new PlainColumn(column, type, Codec.SNAPPY, this.where);
    });
  }

  /** Checks and encodes one row (an object keyed by column name). */
  append(row: object): void {
    if (this.finished) throw new ParquetEncodeError(`the Parquet file is finished already${this.where}`);
    this.buffers ??= this.newBuffers();
    this.fill(this.buffers, row as Record<string, unknown>, this.rows);
    this.rows++;
    if (++this.groupRows === this.groupSize) this.endRowGroup();
  }

  private endRowGroup(): void {
    const buffers = this.buffers!;
    const chunks: FooterChunk[] = this.columns.map((column, c) => {
      const element = this.elements[c];
      const type = element ?? (column.type as PrimitiveType);
      const written = buffers[c]!.finish();
      mergeBounds(this.bounds[c]!, written.stats);
      written.chunk.placeAt(this.length);
      this.length += written.chunk.out.length;
      this.chunks.push(written.chunk.out);
      buffers[c]!.release();
      return {
        path: element === undefined ? [column.name] : [column.name, 'list', 'element'],
        type: PHYSICAL_TYPE[type],
        writer: written.chunk,
        statistics: element === undefined ? footerStatistics(type, written.stats) : undefined,
      };
    });
    this.rowGroups.push({ numRows: this.groupRows, chunks });
    this.groupRows = 0;
    // Not made here: the file may be finished, and columns made for nothing would keep pooled storage.
    this.buffers = undefined;
  }

  /** Ends the last row group, writes the footer, and returns the file and its Delta stats. */
  finish(): EncodedTable {
    if (this.finished) throw new ParquetEncodeError(`the Parquet file is finished already${this.where}`);
    this.finished = true;
    if (this.groupRows > 0) this.endRowGroup();
    releaseScratch();
    const footer = new ByteSink(1 << 12);
    writeFooter(footer, parquetSchemaOf(this.columns), this.rowGroups, this.options.metadata, CREATED_BY);
    footer.i32(footer.length);
    footer.append(MAGIC);
    // One copy of every chunk, into a buffer of the file's exact size: no file-sized buffer grows by
    // doubling (a pin chunk of batch-clean is tens of megabytes, each doubling a fresh allocation).
    const file = Buffer.allocUnsafeSlow(this.length + footer.length);
    MAGIC.copy(file, 0);
    let at = MAGIC.length;
    for (const chunk of this.chunks) {
      file.set(chunk.view(), at);
      at += chunk.length;
      chunk.release();
    }
    file.set(footer.view(), at);
    footer.release();
    this.chunks.length = 0;
    const bytes = new Uint8Array(file.buffer, file.byteOffset, file.length);
    return { bytes, stats: fileStats(this.columns, this.elements, this.bounds, this.rows) };
  }
}

/**
 * Encodes rows (objects keyed by column name, e.g. `PinRow`s) as one Snappy-compressed Parquet file
 * with the columns' explicit schema, and computes Delta's `add.stats` for it (numRecords; min/max
 * for primitive columns, strings cut to 32 characters, timestamps as ISO text in UTC; nullCount for
 * every column). Throws {@link ParquetEncodeError} naming the column and row when a value does not
 * fit its type, and `ParquetSchemaError` for a column type it cannot write.
 */
export function encodeTable(
  columns: readonly TableColumn[],
  rows: readonly object[],
  options: EncodeOptions = {},
): EncodedTable {
  const writer = new TableWriter(columns, options);
  for (let i = 0; i < rows.length; i++) writer.append(rows[i]!);
  return writer.finish();
}

function fileStats(
  columns: readonly TableColumn[],
  elements: readonly (PrimitiveType | undefined)[],
  bounds: readonly FileBounds[],
  numRecords: number,
): FileStats {
  const stats: FileStats = { numRecords, minValues: {}, maxValues: {}, nullCount: {} };
  columns.forEach((column, c) => {
    const b = bounds[c]!;
    stats.nullCount[column.name] = b.nullCount;
    if (elements[c] !== undefined || b.min === undefined || b.hasNaN) return;
    const type = column.type as PrimitiveType;
    const min = deltaBound(type, b.min, 'min');
    const max = deltaBound(type, b.max, 'max');
    if (min !== undefined) stats.minValues[column.name] = min;
    if (max !== undefined) stats.maxValues[column.name] = max;
  });
  return stats;
}
