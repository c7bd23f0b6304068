/**
 * stream-to-delta (DESIGN §2): a Kinesis batch decoded, cleaned straight into column writers, one
 * Parquet file per table per batch, committed exactly once (txn counter and the shard's high-water
 * tag), malformed records quarantined first; and the function's handler.
 */
export { KinesisBatchError } from './errors';
export { highWaterTag, kinesisAppId, readShardMark, type ShardMark } from './high-water';
export { type KinesisBatch, type KinesisBatchRecord, readKinesisBatch, streamOfArn } from './kinesis-batch';
export {
  createStreamToDeltaHandler,
  type StreamBatchResponse,
  type StreamHandlerDeps,
} from './stream-handler';
export {
  type BatchItemFailure,
  type KinesisBatchOutcome,
  type StreamToDeltaDeps,
  writeKinesisBatch,
} from './write-kinesis-batch';
