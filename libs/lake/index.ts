/**
 * The lake both paths share (DESIGN §2.2): its layout (every prefix and key), the clean tables, the
 * quarantine writer and the inventory.
 */
export { ensureCleanTable } from './clean-tables';
export { CleanTableCommitError } from './errors';
export {
  loadSnapshotIfExists,
  readLakeInventory,
} from './inventory';
export {
  cleanTablePath,
  onFailureFolder,
  onFailureKey,
  parseRawDataKey,
  parseRawIndexKey,
  type RawIndex,
  type RawIndexName,
  rawDataKey,
  rawIndexKey,
  reportKeys,
  resultTablePath,
} from './layout';
export {
  type QuarantineEntry,
  quarantineEntryKey,
  quarantineFile,
  writeQuarantine,
} from './quarantine';
