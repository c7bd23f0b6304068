export { createKinesisClient } from './client';
export {
  putRecordsWithRetry,
  type RecordEntry,
} from './put-records';
export { encodeRecordData } from './record-data';

export { createStreamApiHandler } from './stream-api-handler';
export {
  parsePutRecordBody,
  parsePutRecordsBody,
} from './stream-requests';
