/**
 * stream-to-delta (DESIGN §2): a Kinesis batch decoded, cleaned straight into column writers, one
 * Parquet file per table per batch, committed exactly once (txn counter and the shard's high-water
 * tag), malformed records quarantined first; and the function's handler.
 */
export { type CommitStagedSummary, createCommitStagedHandler } from './commit-staged-handler';
export { KinesisBatchError } from './errors';
export { readShardMark } from './high-water';
export { readKinesisBatch } from './kinesis-batch';
export {
  createStreamToDeltaHandler,
  type StreamBatchResponse,
} from './stream-handler';
export {
  type StreamCommitMode,
  WRITER_CHECKPOINT_MAX_FILES,
  writeKinesisBatch,
} from './write-kinesis-batch';
