/**
 * Table maintenance: compaction (`optimize`) and deleting unreferenced data files (`vacuum`).
 */
import { encodeTable } from '../parquet/encode';
import type { ObjectStore } from '../storage/types';
import type { Action } from './actions';
import { commit } from './commit';
import { DEFAULT_RETENTION_MS } from './config';
import { encodeFilePath, LOG_DIR, partitionDirectory, tableKey } from './paths';
import { readFileRows } from './read';
import type { ActiveFile } from './replay';
import { columnsFromSchema } from './schema';
import { loadSnapshot } from './snapshot';
import { mergeTags } from './tags';
import { newDataFileName } from './write';

/** Options of {@link optimize}. */
export interface OptimizeOptions {
  /** Files are merged into files of up to this many bytes (of input). Default 128 MiB. */
  targetSize?: number;
  now?: () => number;
}

/** What {@link optimize} did. */
export interface OptimizeResult {
  /** The version of the OPTIMIZE commit; undefined when nothing needed compacting. */
  version: number | undefined;
  filesRemoved: number;
  filesAdded: number;
  rowsRewritten: number;
}

/** The default compaction target: 128 MiB. */
export const DEFAULT_TARGET_SIZE = 128 * 1024 * 1024;

/** Groups small files per partition into bins of up to `targetSize` bytes; only bins of ≥ 2 files are returned. */
export function planCompaction(files: readonly ActiveFile[], targetSize: number): ActiveFile[][] {
  const partitions = new Map<string, ActiveFile[]>();
  for (const file of files) {
    if (file.size >= targetSize) continue;
    const key = JSON.stringify(Object.entries(file.partitionValues).sort());
    partitions.set(key, [...(partitions.get(key) ?? []), file]);
  }
  const bins: ActiveFile[][] = [];
  for (const group of partitions.values()) {
    group.sort((a, b) => a.modificationTime - b.modificationTime || (a.path < b.path ? -1 : 1));
    let bin: ActiveFile[] = [];
    let size = 0;
    for (const file of group) {
      if (bin.length > 0 && size + file.size > targetSize) {
        bins.push(bin);
        bin = [];
        size = 0;
      }
      bin.push(file);
      size += file.size;
    }
    bins.push(bin);
  }
  return bins.filter((b) => b.length >= 2);
}

/**
 * Compacts small files: per partition, bins of files up to `targetSize` are rewritten as one file each,
 * in one OPTIMIZE commit of removes and adds (all `dataChange: false`). Every row is kept, tags are
 * carried forward by `mergeTags`, txns are unchanged. Only tables whose columns libs/parquet
 * writes can be compacted.
 */
export async function optimize(
  store: ObjectStore,
  tablePath: string,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const now = options.now ?? Date.now;
  const targetSize = options.targetSize ?? DEFAULT_TARGET_SIZE;
  const snapshot = await loadSnapshot(store, tablePath);
  const bins = planCompaction(snapshot.files, targetSize);
  if (bins.length === 0) return { version: undefined, filesRemoved: 0, filesAdded: 0, rowsRewritten: 0 };
  const partitions = new Set(snapshot.partitionColumns);
  const dataColumns = columnsFromSchema(snapshot.schema).filter((c) => !partitions.has(c.name));
  const actions: Action[] = [];
  let rowsRewritten = 0;
  for (const bin of bins) {
    const rows = [];
    for (const file of bin) rows.push(...(await readFileRows(store, snapshot, file)));
    rowsRewritten += rows.length;
    const { bytes, stats } = encodeTable(dataColumns, rows);
    const relative = `${partitionDirectory(snapshot.partitionColumns, bin[0]!.partitionValues)}${newDataFileName()}`;
    await store.put(tableKey(tablePath, relative), bytes);
    const tags = mergeTags(bin);
    const timestamp = now();
    actions.push({
      add: {
        path: encodeFilePath(relative),
        partitionValues: bin[0]!.partitionValues,
        size: bytes.byteLength,
        modificationTime: timestamp,
        dataChange: false,
        stats: JSON.stringify(stats),
        ...(Object.keys(tags).length ? { tags } : {}),
      },
    });
    for (const file of bin) {
      actions.push({
        remove: {
          path: file.add.path,
          deletionTimestamp: timestamp,
          dataChange: false,
          extendedFileMetadata: true,
          partitionValues: file.partitionValues,
          size: file.size,
        },
      });
    }
  }
  const result = await commit(store, tablePath, actions, {
    snapshot,
    operation: 'OPTIMIZE',
    operationParameters: { targetSize: String(targetSize), predicate: '[]' },
    now,
  });
  return {
    version: result.status === 'committed' ? result.version : undefined,
    filesRemoved: bins.reduce((n, b) => n + b.length, 0),
    filesAdded: bins.length,
    rowsRewritten,
  };
}

/** Options of {@link vacuum}. */
export interface VacuumOptions {
  /** Files referenced within this many hours, or younger than it, are kept. Default 168 (7 days). */
  retentionHours?: number;
  /** Only report what would be deleted. */
  dryRun?: boolean;
  now?: () => number;
}

/** What {@link vacuum} deleted (or would delete, in a dry run). */
export interface VacuumResult {
  /** Paths relative to the table root, sorted. */
  deleted: string[];
  dryRun: boolean;
  /** Unreferenced files kept because they are younger than the retention (an in-flight writer may commit them). */
  keptYoung: number;
}

/**
 * Deletes data files no snapshot within the retention references: files whose tombstone is older than
 * the retention, and orphan files (uploads that were never committed) older than the retention. Never
 * deletes a file younger than the retention, the log, or anything under a `_`/`.`-prefixed folder.
 */
export async function vacuum(
  store: ObjectStore,
  tablePath: string,
  options: VacuumOptions = {},
): Promise<VacuumResult> {
  const now = (options.now ?? Date.now)();
  const retention =
    options.retentionHours === undefined ? DEFAULT_RETENTION_MS : options.retentionHours * 3_600_000;
  const cutoff = now - retention;
  const snapshot = await loadSnapshot(store, tablePath);
  const keep = new Set(snapshot.files.map((f) => f.path));
  for (const tombstone of snapshot.tombstones)
    if (tombstone.deletionTimestamp > cutoff) keep.add(tombstone.path);
  const prefix = tableKey(tablePath, '');
  const deleted: string[] = [];
  let keptYoung = 0;
  for (const object of await store.list(prefix)) {
    const relative = object.key.slice(prefix.length);
    if (
      relative.startsWith(`${LOG_DIR}/`) ||
      relative.split('/').some((s) => s.startsWith('_') || s.startsWith('.'))
    ) {
      continue;
    }
    if (keep.has(relative)) continue;
    if (object.lastModified > cutoff) {
      keptYoung++;
      continue;
    }
    deleted.push(relative);
  }
  deleted.sort();
  if (!options.dryRun) {
    for (const relative of deleted) await store.delete(tableKey(tablePath, relative));
  }
  return { deleted, dryRun: options.dryRun ?? false, keptYoung };
}
