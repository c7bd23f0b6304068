/**
 * The Delta log actions (protocol, metaData, add, remove, txn, commitInfo) as typed values, and their
 * newline-delimited JSON form in `_delta_log/<version>.json`. Pure: no I/O.
 */
import { DeltaLogError } from './errors';

/** Partition values as the log stores them: one string (or null) per partition column. */
export type PartitionValues = Record<string, string | null>;

/** `protocol`: the reader and writer versions (and features) a client needs. */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

/** `metaData`: the table's id, schema, partitioning and configuration. */
export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number;
}

/** `add`: a data file joins the table. `path` is the encoded URI form written in the log. */
export interface AddFile {
  path: string;
  partitionValues: PartitionValues;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  /** The per-file statistics as a JSON string (see {@link FileStats}). */
  stats?: string;
  tags?: Record<string, string> | null;
}

/** `remove`: a data file leaves the table and becomes a tombstone. */
export interface RemoveFile {
  path: string;
  deletionTimestamp?: number;
  dataChange: boolean;
  extendedFileMetadata?: boolean;
  partitionValues?: PartitionValues;
  size?: number;
  stats?: string;
  tags?: Record<string, string> | null;
}

/** `txn`: the latest version an application recorded (the exactly-once marker). */
export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number;
}

/** `commitInfo`: free-form provenance of one commit. */
export interface CommitInfo {
  timestamp?: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  readVersion?: number;
  engineInfo?: string;
  [field: string]: unknown;
}

/** One line of a commit file. Unknown action kinds are kept as `other` and otherwise ignored. */
export type Action =
  | { protocol: Protocol }
  | { metaData: Metadata }
  | { add: AddFile }
  | { remove: RemoveFile }
  | { txn: Txn }
  | { commitInfo: CommitInfo }
  | { other: Record<string, unknown> };

/** Per-file statistics, parsed from `add.stats`. */
export interface FileStats {
  numRecords: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
  tightBounds?: boolean;
}

/** The protocol this library writes: reader 1, writer 2, no table features. */
export const DEFAULT_PROTOCOL: Protocol = { minReaderVersion: 1, minWriterVersion: 2 };

/**
 * Serializes actions as the text of a commit file: one JSON object per line, newline-terminated.
 * Throws a `DeltaLogError` when two actions of the commit reconcile with each other.
 */
export function serializeActions(actions: readonly Action[]): string {
  checkCommitActions(actions);
  return actions.map((action) => `${JSON.stringify('other' in action ? action.other : action)}\n`).join('');
}

/**
 * Parses the text of a commit file into actions. Blank lines are skipped, unknown action kinds are
 * returned as `other`; a line that is not a JSON object throws a `DeltaLogError` naming `source`.
 */
export function parseActions(text: string, source: string): Action[] {
  const actions: Action[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DeltaLogError(`${source} line ${i + 1} is not JSON`, { cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DeltaLogError(`${source} line ${i + 1} is not a JSON object`);
    }
    actions.push(toAction(value as Record<string, unknown>, `${source} line ${i + 1}`));
  }
  return actions;
}

function toAction(value: Record<string, unknown>, where: string): Action {
  const body = (key: string): Record<string, unknown> => {
    const inner = value[key];
    if (typeof inner !== 'object' || inner === null)
      throw new DeltaLogError(`${where}: ${key} is not an object`);
    return inner as Record<string, unknown>;
  };
  if ('add' in value) {
    const add = body('add') as unknown as AddFile;
    requireFields(add, ['path', 'size', 'modificationTime', 'dataChange'], `${where}: add`);
    return { add: { ...add, partitionValues: add.partitionValues ?? {} } };
  }
  if ('remove' in value) {
    const remove = body('remove') as unknown as RemoveFile;
    requireFields(remove, ['path'], `${where}: remove`);
    return { remove: { ...remove, dataChange: remove.dataChange ?? true } };
  }
  if ('metaData' in value) {
    const metaData = body('metaData') as unknown as Metadata;
    requireFields(metaData, ['id', 'schemaString'], `${where}: metaData`);
    return {
      metaData: {
        ...metaData,
        format: metaData.format ?? { provider: 'parquet', options: {} },
        partitionColumns: metaData.partitionColumns ?? [],
        configuration: metaData.configuration ?? {},
      },
    };
  }
  if ('protocol' in value) {
    const protocol = body('protocol') as unknown as Protocol;
    requireFields(protocol, ['minReaderVersion', 'minWriterVersion'], `${where}: protocol`);
    return { protocol };
  }
  if ('txn' in value) {
    const txn = body('txn') as unknown as Txn;
    requireFields(txn, ['appId', 'version'], `${where}: txn`);
    return { txn };
  }
  if ('commitInfo' in value) return { commitInfo: body('commitInfo') as CommitInfo };
  return { other: value };
}

function requireFields(object: object, fields: readonly string[], where: string): void {
  for (const field of fields) {
    const v = (object as Record<string, unknown>)[field];
    if (v === undefined || v === null) throw new DeltaLogError(`${where} has no ${field}`);
  }
}

/** Throws when a commit holds actions that reconcile with each other (protocol §Delta Log Entries). */
function checkCommitActions(actions: readonly Action[]): void {
  const files = new Set<string>();
  const apps = new Set<string>();
  let metaData = 0;
  let protocol = 0;
  for (const action of actions) {
    if ('metaData' in action) metaData++;
    if ('protocol' in action) protocol++;
    const file =
      'add' in action ? `add ${action.add.path}` : 'remove' in action ? `rm ${action.remove.path}` : '';
    if (file) {
      if (files.has(file))
        throw new DeltaLogError(`a commit cannot hold two actions for ${file.slice(file.indexOf(' ') + 1)}`);
      files.add(file);
    }
    if ('txn' in action) {
      if (apps.has(action.txn.appId))
        throw new DeltaLogError(`a commit cannot hold two txn for ${action.txn.appId}`);
      apps.add(action.txn.appId);
    }
  }
  if (metaData > 1 || protocol > 1)
    throw new DeltaLogError('a commit holds at most one metaData and one protocol');
}

/**
 * Parses `add.stats`; returns `undefined` when there are none. Malformed stats are ignored (they are
 * an optimisation, never needed to read the table), so this never throws.
 */
export function parseStats(stats: string | null | undefined): FileStats | undefined {
  if (!stats) return undefined;
  try {
    const parsed = JSON.parse(stats) as FileStats;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
