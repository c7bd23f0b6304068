/**
 * The record model: raw schemas, clean tables and the cleaning rules shared by every path.
 * See README.md here for the rules and the decisions behind them.
 */
export { cleanGeo } from './clean-geo';
export { cleanPin } from './clean-pin';
export { cleanRecord, cleanRecordText } from './clean-record';
export type { Cleaned, CleanMeta, CleanResult } from './clean-types';
export { cleanUser } from './clean-user';
export { RecordParseError } from './errors';
export { parseFollowerCount } from './follower-count';
export { decodeUtf8, MAX_RECORD_BYTES, parseRecordBytes, parseRecordText } from './parse';
export {
  GEO_RAW_FIELDS,
  type GeoRaw,
  GeoRawSchema,
  PIN_RAW_FIELDS,
  type PinRaw,
  PinRawSchema,
  USER_RAW_FIELDS,
  type UserRaw,
  UserRawSchema,
} from './raw-schemas';
export { ID_FIELD, KIND_FIELDS, type QuarantineClass, type Quarantined } from './record-shape';
export {
  type CleanRow,
  type Column,
  type ColumnType,
  type GeoRow,
  KINDS,
  type Kind,
  type PinRow,
  type RowOf,
  TABLE_COLUMNS,
  type UserRow,
} from './tables';
export { cleanText, MAX_TEXT_LENGTH } from './text';
export { parseTimestamp } from './timestamps';
