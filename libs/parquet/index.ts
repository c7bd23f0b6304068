export { ParquetEncodeError } from './columns';
export { type DecodeOptions, decodeTable, ParquetDecodeError, TIMESTAMP_PARSERS } from './decode';
export {
  DEFAULT_ROW_GROUP_SIZE,
  type EncodedTable,
  type EncodeOptions,
  encodeTable,
  TableWriter,
} from './encode';
export {
  ParquetSchemaError,
  type PrimitiveType,
  parquetSchemaOf,
  type TableColumn,
  type TableColumnType,
} from './schema';
export { compareCodePoints, type FileStats, STRING_PREFIX_LENGTH, type StatValue } from './stats';
