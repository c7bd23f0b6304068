/** Delta Lake for pinlake: our own implementation of the protocol (DESIGN §2.3, §2.4). */

export type { AddFile } from './actions';
export { writeCheckpoint } from './checkpoint-writer';
export { STAGED_COMMITS_PROPERTY } from './config';
export {
  CommitRetriesExhaustedError,
  ConcurrentModificationError,
  ConcurrentTransactionError,
  TableNotFoundError,
} from './errors';
export { tableInfo } from './info';
export { checkTable, history } from './inspect';
export {
  compactSome,
  optimize,
  setTableProperties,
  vacuum,
  vacuumSome,
} from './maintenance';
export { readFileRows, readRows, type TableRow } from './read';
export type { Snapshot } from './replay';
export { loadSnapshot } from './snapshot';
export { latestSnapshot, SnapshotCache } from './snapshot-cache';
export { commitStaged, listStaged, readStaged, readStagedAbove, stageFile } from './staging';
export type { MergeOptions } from './staging-merge';

export {
  appendFiles,
  createTable,
  replaceRows,
  writeRows,
} from './write';
