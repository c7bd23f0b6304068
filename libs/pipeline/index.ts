/**
 * The pipeline logic the functions share: decode → clean → group by kind → one Parquet file per table
 * per batch → a Delta commit with its txn; the quarantine writer; the stream-to-delta handler.
 */
export { type CleanedBatch, cleanBatch, type RawRecord, type RejectedRecord } from './clean-batch';
export { KinesisBatchError, StreamCommitError } from './errors';
export { highWaterTag, kinesisAppId, readShardMark, type ShardMark } from './high-water';
export { type KinesisBatch, type KinesisBatchRecord, readKinesisBatch, streamOfArn } from './kinesis-batch';
export {
  PREVIEW_LENGTH,
  type QuarantineEntry,
  type QuarantineFile,
  quarantineFile,
  quarantineKey,
  writeQuarantine,
} from './quarantine';
export {
  createStreamToDeltaHandler,
  type StreamBatchResponse,
  type StreamHandlerDeps,
} from './stream-handler';
export { cleanTablePath, ensureCleanTable, type TableFamily } from './tables';
export {
  type BatchItemFailure,
  type KinesisBatchOutcome,
  type StreamToDeltaDeps,
  writeKinesisBatch,
} from './write-kinesis-batch';
