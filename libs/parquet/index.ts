export { decodeTable } from './decode';
export {
  type EncodedTable,
  encodeTable,
  TableWriter,
} from './encode';
export { ParquetEncodeError, ParquetSchemaError } from './errors';
export type { TableColumn } from './schema';
