/**
 * The batch path (DESIGN §2): the REST Proxy edge (`POST /topics/{topic}` → Kafka), the landing of
 * MSK batches in the Confluent S3 sink layout, and the incremental, exactly-once batch cleaner.
 */
export {
  type BatchCleanOptions,
  type BatchCleanSummary,
  type PartitionProgress,
  runBatchClean,
} from './batch-clean';
export { type BatchCleanDeps, createBatchCleanHandler } from './batch-clean-handler';
export { CleanChunk, kafkaAppId } from './clean-chunk';
export { BatchPathError } from './errors';
export { createLandTopicsHandler, type LandTopicsDeps, type LandTopicsResponse } from './land-topics-handler';
export { type LandedFile, type LandingSummary, landMskEvent, landPartitionBatch } from './landing';
export { type MskBatchRecord, type MskPartitionBatch, readMskEvent, splitIntoRuns } from './msk-batch';
export {
  listRawFiles,
  listRawIndexes,
  type RawDataFile,
  type RawFileRead,
  type RawRecordsRead,
  type RawRecordView,
  readRawFile,
  readRawIndex,
  readRawRecords,
} from './raw-reader';
export { RawRecords, recordsByLength, recordsByLine } from './raw-records';
export {
  emptyBatch,
  invalidPayload,
  REST_PROXY_REPLY_TYPE,
  RestProxyError,
  topicNotFound,
} from './rest-proxy-errors';
export {
  createRestProxyHandler,
  handleProduceRequest,
  type PartitionOffset,
  type ProduceReply,
  type RestProxyDeps,
} from './rest-proxy-handler';
export {
  checkProduceContentType,
  PRODUCE_CONTENT_TYPE,
  type ProduceRequestRecord,
  parseProduceRequest,
} from './rest-proxy-request';
