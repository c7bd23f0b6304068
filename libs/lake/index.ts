/**
 * The lake both paths share (DESIGN §2.2): its layout (every prefix and key), the clean tables, the
 * quarantine writer and the inventory.
 */
export { ensureCleanTable } from './clean-tables';
export { CleanTableCommitError } from './errors';
export {
  CLEAN_TABLE_LABELS,
  type LakeInventory,
  loadSnapshotIfExists,
  readLakeInventory,
} from './inventory';
export {
  cleanTablePath,
  onFailureFolder,
  onFailureKey,
  parseRawDataKey,
  parseRawIndexKey,
  quarantineKey,
  type RawFileName,
  type RawIndex,
  type RawIndexName,
  rawDataKey,
  rawIndexKey,
  rawIndexPrefix,
  rawIndexStartPrefix,
  rawTopicPrefix,
  reportKeys,
  resultTablePath,
  type TableFamily,
  tableLabel,
} from './layout';
export {
  type QuarantineEntry,
  type QuarantineFile,
  quarantineEntryKey,
  quarantineFile,
  writeQuarantine,
} from './quarantine';
