export { createKinesisClient, type KinesisClientOptions } from './client';
export {
  type EntryResult,
  PutRecordsError,
  type PutRecordsOutcome,
  putRecordsWithRetry,
  type RecordEntry,
  type RetryOptions,
} from './put-records';
export { encodeRecordData, recordSize } from './record-data';
export {
  type DescribeStreamReply,
  describeOneStream,
  type ListStreamsReply,
  listExistingStreams,
  type PutRecordReply,
  putManyRecords,
  putOneRecord,
  withKinesisErrors,
} from './stream-api';
export { createStreamApiHandler, handleStreamRequest, type StreamApiDeps } from './stream-api-handler';
export {
  type PutRecordBody,
  PutRecordBodySchema,
  type PutRecordsBody,
  PutRecordsBodySchema,
  parsePutRecordBody,
  parsePutRecordsBody,
  type RecordLimits,
} from './stream-requests';
