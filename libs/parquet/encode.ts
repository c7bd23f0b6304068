/**
 * Rows → one Parquet file in memory, with Delta's stats for the `add` action. This is the hot path
 * of both the stream and the batch writers: one pass per column builds the physical values and
 * the stats together, and hyparquet-writer gets an explicit schema so nothing is guessed.
 */
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import { boundsOf, buildColumn, ParquetEncodeError } from './columns';
import { parquetSchemaOf, type TableColumn } from './schema';
import type { FileStats } from './stats';

/** Options for {@link encodeTable}. */
export interface EncodeOptions {
  /** Rows per row group; default 1,048,576 (big groups read fastest in Spark and DuckDB). */
  readonly rowGroupSize?: number;
  /** Extra key-value metadata for the file footer. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Names the file in error messages, e.g. its key in the lake. */
  readonly file?: string;
}

/** One encoded Parquet file and its Delta stats. */
export interface EncodedTable {
  readonly bytes: Uint8Array;
  readonly stats: FileStats;
}

/** Rows per row group unless told otherwise. */
export const DEFAULT_ROW_GROUP_SIZE = 1_048_576;

// Parseable by parquet-mr's VersionParser, which otherwise ignores string column statistics.
const CREATED_BY = 'pinlake version 1 (build hyparquet-writer)';

/**
 * Encodes rows (objects keyed by column name, e.g. `PinRow`s) as one snappy-compressed Parquet file with the columns' explicit schema, and
 * computes Delta's `add.stats` for it (numRecords; min/max for primitive columns, strings cut to
 * 32 characters, timestamps as ISO text in UTC; nullCount for every column).
 * Throws {@link ParquetEncodeError} naming the column and row when a value does not fit its type.
 */
export function encodeTable(
  columns: readonly TableColumn[],
  rows: readonly object[],
  options: EncodeOptions = {},
): EncodedTable {
  const where = options.file ? ` for ${options.file}` : '';
  const stats: FileStats = { numRecords: rows.length, minValues: {}, maxValues: {}, nullCount: {} };
  const columnData: ColumnSource[] = [];
  for (const column of columns) {
    const built = buildColumn(column, rows, options.file);
    columnData.push({ name: column.name, data: built.data as ColumnSource['data'] });
    stats.nullCount[column.name] = built.nullCount;
    const { min, max } = boundsOf(column, built);
    if (min !== undefined) stats.minValues[column.name] = min;
    if (max !== undefined) stats.maxValues[column.name] = max;
  }
  const kvMetadata = options.metadata
    ? Object.entries(options.metadata).map(([key, value]) => ({ key, value }))
    : undefined;
  try {
    const buffer = parquetWriteBuffer({
      columnData,
      schema: parquetSchemaOf(columns),
      codec: 'SNAPPY',
      rowGroupSize: options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE,
      kvMetadata,
      createdBy: CREATED_BY,
    });
    return { bytes: new Uint8Array(buffer), stats };
  } catch (error) {
    throw new ParquetEncodeError(`cannot write ${rows.length} rows as Parquet${where}`, { cause: error });
  }
}
