/**
 * The batch path (DESIGN §2): the REST Proxy edge (`POST /topics/{topic}` → Kafka), the landing of
 * MSK batches in the Confluent S3 sink layout, and the incremental, exactly-once batch cleaner.
 */
export {
  type BatchCleanSummary,
  runBatchClean,
} from './batch-clean';
export { createBatchCleanHandler } from './batch-clean-handler';

export { BatchPathError } from './errors';
export { createLandTopicsHandler } from './land-topics-handler';
export { landMskEvent, landPartitionBatch } from './landing';
export { type MskBatchRecord, readMskEvent, splitIntoRuns } from './msk-batch';
export {
  listRawFiles,
  listRawIndexes,
  readRawFile,
} from './raw-reader';

export { RestProxyError } from './rest-proxy-errors';
export {
  createRestProxyHandler,
  handleProduceRequest,
} from './rest-proxy-handler';
export {
  checkProduceContentType,
  parseProduceRequest,
} from './rest-proxy-request';
