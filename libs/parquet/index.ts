export { type DecodeOptions, decodeTable, TIMESTAMP_PARSERS } from './decode';
export {
  DEFAULT_ROW_GROUP_SIZE,
  type EncodedTable,
  type EncodeOptions,
  encodeTable,
  TableWriter,
} from './encode';
export { ParquetDecodeError, ParquetEncodeError, ParquetSchemaError } from './errors';
export { type PrimitiveType, parquetSchemaOf, type TableColumn, type TableColumnType } from './schema';
export { compareCodePoints, type FileStats, STRING_PREFIX_LENGTH, type StatValue } from './stats';
