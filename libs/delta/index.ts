/** Delta Lake for pinlake: our own implementation of the protocol (DESIGN §2.3, §2.4). */
export type {
  Action,
  AddFile,
  CommitInfo,
  FileStats,
  Metadata,
  PartitionValues,
  Protocol,
  RemoveFile,
  Txn,
} from './actions';
export { DEFAULT_PROTOCOL, parseActions, parseStats, serializeActions } from './actions';
export { writeCheckpoint } from './checkpoint-writer';
export { type CommitOptions, type CommitResult, commit, ENGINE_INFO, type TxnInput } from './commit';
export {
  CommitRetriesExhaustedError,
  ConcurrentModificationError,
  ConcurrentTransactionError,
  DeltaError,
  DeltaLogError,
  DeltaReadError,
  SchemaMismatchError,
  TableNotFoundError,
  UnsupportedProtocolError,
} from './errors';
export { type TableInfo, tableInfo } from './info';
export { type CheckResult, checkTable, type HistoryEntry, history } from './inspect';
export {
  type CompactionStep,
  compactSome,
  DEFAULT_TARGET_SIZE,
  type OptimizeOptions,
  type OptimizeResult,
  optimize,
  planCompaction,
  type VacuumOptions,
  type VacuumResult,
  type VacuumStep,
  vacuum,
  vacuumSome,
} from './maintenance';
export { parsePartitionValue, type ReadRowsOptions, readFileRows, readRows, type TableRow } from './read';
export type { ActiveFile, Snapshot, Tombstone } from './replay';
export {
  columnsFromSchema,
  parseSchemaString,
  type StructType,
  schemaFromColumns,
  schemaToString,
} from './schema';
export { type LoadSnapshotOptions, loadSnapshot, type RefreshOptions, refreshSnapshot } from './snapshot';
export { SnapshotCache, type SnapshotCacheOptions } from './snapshot-cache';
export { maxTagValue, mergeTags } from './tags';
export {
  type AppendOptions,
  appendFiles,
  type CreateTableOptions,
  createTable,
  type DataFile,
  encodeFiles,
  newDataFileName,
  replaceRows,
  writeRows,
} from './write';
