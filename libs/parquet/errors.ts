import { PinlakeError } from '../errors';

/** Raised when bytes cannot be read as Parquet; the message names the file when given. */
export class ParquetDecodeError extends PinlakeError {
  override readonly name: string = 'ParquetDecodeError';
  override readonly code: string = 'PARQUET_DECODE';
}

/** Raised when a column's type has no Parquet mapping here; the message names the column. */
export class ParquetSchemaError extends PinlakeError {
  override readonly name: string = 'ParquetSchemaError';
  override readonly code: string = 'PARQUET_SCHEMA';
}

/** Raised when a row does not fit the table; the message names the column and the row. */
export class ParquetEncodeError extends PinlakeError {
  override readonly name: string = 'ParquetEncodeError';
  override readonly code: string = 'PARQUET_ENCODE';
}
