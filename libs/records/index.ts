/**
 * The record model: raw schemas, clean tables and the cleaning rules shared by every path.
 * See README.md here for the rules and the decisions behind them.
 */
export { cleanGeo } from './clean-geo';
export { cleanPin } from './clean-pin';
export { cleanAsciiRecord, cleanRecord, cleanRecordText } from './clean-record';
export type { CleanMeta } from './clean-types';
export { cleanUser } from './clean-user';
export { RecordParseError } from './errors';
export { parseFollowerCount } from './follower-count';
export { MAX_RECORD_BYTES, parseRecordBytes } from './parse';
export {
  GEO_RAW_FIELDS,
  GeoRawSchema,
  PIN_RAW_FIELDS,
  PinRawSchema,
  USER_RAW_FIELDS,
  UserRawSchema,
} from './raw-schemas';
export { ID_FIELD } from './record-shape';
export { MAX_RECORDS_BYTES, RecordTexts } from './record-texts';
export {
  type GeoRow,
  KINDS,
  type Kind,
  type PinRow,
  TABLE_COLUMNS,
  type UserRow,
} from './tables';
export { MAX_TEXT_LENGTH } from './text';
export { parseTimestamp } from './timestamps';
