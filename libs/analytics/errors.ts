import { PinlakeError } from '../errors';

/** Raised when the DDL is asked for a lake or database Athena cannot register. */
export class CatalogError extends PinlakeError {
  override readonly name: string = 'CatalogError';
  override readonly code: string = 'CATALOG';
}

/** Raised when an active data file cannot be fetched from the lake; the message names the file. */
export class LakeFileError extends PinlakeError {
  override readonly name: string = 'LakeFileError';
  override readonly code: string = 'LAKE_FILE';
}

/** Raised when a result table cannot be written or read back; the message names the table. */
export class ResultTableError extends PinlakeError {
  override readonly name: string = 'ResultTableError';
  override readonly code: string = 'RESULT_TABLE';
}

/** Raised when a query file cannot be read, fails in DuckDB, or returns unexpected columns or values. */
export class AnalyticsQueryError extends PinlakeError {
  override readonly name: string = 'AnalyticsQueryError';
  override readonly code: string = 'ANALYTICS_QUERY';
}
