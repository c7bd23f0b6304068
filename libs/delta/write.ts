/**
 * The writer API the pipelines use: append rows or already-encoded files exactly once per txn, and
 * replace a table's whole content (the analytics result tables).
 */
import { randomUUID } from 'node:crypto';
import { type EncodedTable, encodeTable } from '../parquet/encode';
import type { TableColumn } from '../parquet/schema';
import type { ObjectStore } from '../storage/types';
import type { Action, AddFile, PartitionValues } from './actions';
import { type CommitOptions, type CommitResult, commit } from './commit';
import { mapInOrder } from './map-in-order';
import { encodeFilePath, partitionDirectory, tableKey } from './paths';
import { readFileRows } from './read';
import type { ActiveFile, Snapshot } from './replay';
import { columnsFromSchema } from './schema';
import { loadSnapshot } from './snapshot';

/** A data file already encoded, to add to the table. */
export interface DataFile {
  bytes: Uint8Array;
  /** Delta stats object (numRecords, minValues, maxValues, nullCount). */
  stats?: object;
  partitionValues?: PartitionValues;
  tags?: Record<string, string>;
}

/** Options of {@link appendFiles} and {@link writeRows}. */
export interface AppendOptions
  extends Pick<
    CommitOptions,
    'operation' | 'operationParameters' | 'expectedTxns' | 'now' | 'checkpointMaxFiles'
  > {
  /** The exactly-once marker: skipped when the table already records `appId` at ≥ `version`. */
  txn?: { appId: string; version: number };
  /** More txns in the same commit (e.g. one per Kafka partition). */
  txns?: readonly { appId: string; version: number }[];
  /** Tags put on every add of this commit (e.g. the Kinesis high-water sequence numbers). */
  tags?: Record<string, string>;
  /** Adds of files uploaded already (staged batches), committed before `files` in the same commit. */
  stagedAdds?: readonly AddFile[];
  /** The snapshot the caller already read (saves a reload); loaded when absent. */
  snapshot?: Snapshot;
  /** Test hook: runs after the data files are uploaded and before the commit (a crash point). */
  beforeCommit?: () => Promise<void> | void;
}

/** The name of a new data file: `part-00000-<uuid>-c000.snappy.parquet`, unique and never reused. */
export function newDataFileName(): string {
  return `part-00000-${randomUUID()}-c000.snappy.parquet`;
}

/**
 * Uploads files under new unique names and commits their adds (and the txns) in one commit — exactly
 * once per txn: when the snapshot already holds the txn at ≥ its version, nothing is encoded, uploaded
 * or written and the result is `duplicate`. `files` may be a function of the snapshot read.
 */
export async function appendFiles(
  store: ObjectStore,
  tablePath: string,
  files: readonly DataFile[] | ((snapshot: Snapshot) => readonly DataFile[]),
  options: AppendOptions = {},
): Promise<CommitResult> {
  const txns = [...(options.txn ? [options.txn] : []), ...(options.txns ?? [])];
  const snapshot = options.snapshot ?? (await loadSnapshot(store, tablePath));
  for (const txn of txns) {
    const recorded = snapshot.txns[txn.appId];
    if (recorded !== undefined && recorded >= txn.version) {
      return { status: 'duplicate', version: snapshot.version, appId: txn.appId, recordedVersion: recorded };
    }
  }
  const now = options.now ?? Date.now;
  const encoded = typeof files === 'function' ? files(snapshot) : files;
  const uploaded = await uploadFiles(store, snapshot, encoded, options.tags, now());
  const adds = [...(options.stagedAdds ?? []).map((add): Action => ({ add })), ...uploaded];
  await options.beforeCommit?.();
  return commit(store, tablePath, adds, {
    snapshot,
    txns,
    operation: options.operation ?? (txns.length ? 'STREAMING UPDATE' : 'WRITE'),
    operationParameters: options.operationParameters ?? { mode: 'Append' },
    expectedTxns: options.expectedTxns,
    checkpointMaxFiles: options.checkpointMaxFiles,
    now,
  });
}

/**
 * Uploads each file under a new unique name in the table (its partition's folder) and resolves the add
 * actions that would reference them, with `tags` on each; nothing is committed.
 */
export async function uploadFiles(
  store: ObjectStore,
  snapshot: Snapshot,
  files: readonly DataFile[],
  tags: Record<string, string> | undefined,
  now: number,
): Promise<Action[]> {
  return Promise.all(
    files.map(async (file): Promise<Action> => {
      const partitionValues = file.partitionValues ?? {};
      const relative = `${partitionDirectory(snapshot.partitionColumns, partitionValues)}${newDataFileName()}`;
      await store.put(tableKey(snapshot.tablePath, relative), file.bytes);
      const fileTags = { ...tags, ...file.tags };
      const add: AddFile = {
        path: encodeFilePath(relative),
        partitionValues: Object.fromEntries(
          snapshot.partitionColumns.map((c) => [c, partitionValues[c] ?? null]),
        ),
        size: file.bytes.byteLength,
        modificationTime: now,
        dataChange: true,
        ...(file.stats ? { stats: JSON.stringify(file.stats) } : {}),
        ...(Object.keys(fileTags).length ? { tags: fileTags } : {}),
      };
      return { add };
    }),
  );
}

/**
 * Encodes rows with libs/parquet (one file per partition of the table; partition columns are not
 * written into the files, as Spark does) and appends them with {@link appendFiles}, exactly once per txn.
 */
export async function writeRows(
  store: ObjectStore,
  tablePath: string,
  columns: readonly TableColumn[],
  rows: readonly object[],
  options: AppendOptions = {},
): Promise<CommitResult> {
  return appendFiles(
    store,
    tablePath,
    (snapshot) => encodeFiles(columns, rows, snapshot.partitionColumns),
    options,
  );
}

/** Encodes rows into one data file per distinct partition. */
function encodeFiles(
  columns: readonly TableColumn[],
  rows: readonly object[],
  partitionColumns: readonly string[],
): DataFile[] {
  if (partitionColumns.length === 0) return rows.length ? [encodeTable(columns, rows)] : [];
  const dataColumns = columns.filter((c) => !partitionColumns.includes(c.name));
  const groups = new Map<string, { values: PartitionValues; rows: object[] }>();
  for (const row of rows) {
    const values = Object.fromEntries(
      partitionColumns.map((c) => [c, partitionString((row as Record<string, unknown>)[c])]),
    );
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    ...encodeTable(dataColumns, g.rows),
    partitionValues: g.values,
  }));
}

function partitionString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * Replaces the whole content of the table with `rows` in one commit (removes every active file, adds
 * the new ones): the analytics result tables. A concurrent append makes it fail rather than lose data.
 */
export async function replaceRows(
  store: ObjectStore,
  tablePath: string,
  columns: readonly TableColumn[],
  rows: readonly object[],
  options: Pick<AppendOptions, 'txn' | 'now'> = {},
): Promise<CommitResult> {
  const now = options.now ?? Date.now;
  const snapshot = await loadSnapshot(store, tablePath);
  const recorded = options.txn ? snapshot.txns[options.txn.appId] : undefined;
  if (options.txn && recorded !== undefined && recorded >= options.txn.version) {
    return {
      status: 'duplicate',
      version: snapshot.version,
      appId: options.txn.appId,
      recordedVersion: recorded,
    };
  }
  const files = encodeFiles(columns, rows, snapshot.partitionColumns);
  const adds = await uploadFiles(store, snapshot, files, undefined, now());
  const removes: Action[] = snapshot.files.map((f) => ({
    remove: {
      path: f.add.path,
      deletionTimestamp: now(),
      dataChange: true,
      extendedFileMetadata: true,
      partitionValues: f.partitionValues,
      size: f.size,
    },
  }));
  return commit(store, tablePath, [...removes, ...adds], {
    snapshot,
    txns: options.txn ? [options.txn] : [],
    operation: 'WRITE',
    operationParameters: { mode: 'Overwrite' },
    readsWholeTable: true,
    now,
  });
}

export { createTable } from './create-table';

/**
 * Reads the rows of files of the table (`readConcurrency` files at a time, kept in order) and encodes
 * them as one data file of the table's columns, partition columns left out as in every data file: what
 * compaction and a group commit's merge write in place of small files.
 */
export async function rewriteFiles(
  store: ObjectStore,
  snapshot: Snapshot,
  files: readonly ActiveFile[],
  readConcurrency: number,
): Promise<EncodedTable & { rows: number }> {
  const parts = await mapInOrder(files, readConcurrency, (file) => readFileRows(store, snapshot, file));
  const rows = parts.flat();
  const partitions = new Set(snapshot.partitionColumns);
  const columns = columnsFromSchema(snapshot.schema).filter((c) => !partitions.has(c.name));
  return { ...encodeTable(columns, rows), rows: rows.length };
}
