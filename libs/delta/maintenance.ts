/**
 * Table maintenance: compaction (`optimize`) and deleting unreferenced data files (`vacuum`).
 */
import type { ObjectStore } from '../storage/types';
import type { Action } from './actions';
import { commit } from './commit';
import { DEFAULT_RETENTION_MS } from './config';
import { mapInOrder } from './map-in-order';
import { encodeFilePath, LOG_DIR, partitionDirectory, tableKey } from './paths';
import type { ActiveFile, Snapshot } from './replay';
import { loadSnapshot, refreshSnapshot } from './snapshot';
import { stagedFiles } from './staging';
import { mergeTags } from './tags';
import { newDataFileName, rewriteFiles } from './write';

/** Options of {@link optimize}. */
export interface OptimizeOptions {
  /** Files are merged into files of up to this many bytes (of input). Default 128 MiB. */
  targetSize?: number;
  /**
   * Files of at least this many bytes are left alone. Default `targetSize`. A bin's output is a little
   * smaller than its inputs, so with the default a file just under the target is rewritten by every
   * later compaction to absorb a few small files; half the target stops that write amplification.
   */
  minFileSize?: number;
  /**
   * At most this many input files in this commit (whole bins, oldest files first); the rest is left
   * for the next call (`remaining`). Default: every small file.
   */
  maxFiles?: number;
  /** The snapshot to plan from (a cached one is fine: the commit checks what it raced with). */
  snapshot?: Snapshot;
  /**
   * Input files of a bin read at once. Default 8: at S3's ~25 ms per GET one at a time reads ~40 files/s;
   * memory stays bounded by one bin's rows (the target size), as before.
   */
  readConcurrency?: number;
  /** Runs after the new files are uploaded and before the commit (a crash point). */
  beforeCommit?: () => Promise<void> | void;
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

/** What {@link compactSome} did: {@link OptimizeResult} and what is left. */
export interface CompactionStep extends OptimizeResult {
  /** Small files left for another call because of `maxFiles`. */
  remaining: number;
  /** The table after the commit (or as planned from, when nothing was committed). */
  snapshot: Snapshot;
}

/** The default compaction target: 128 MiB. */
const DEFAULT_TARGET_SIZE = 128 * 1024 * 1024;

/**
 * Groups small files (under `minFileSize`, default `targetSize`) per partition into bins of up to
 * `targetSize` bytes; only bins of ≥ 2 files are returned.
 */
export function planCompaction(
  files: readonly ActiveFile[],
  targetSize: number,
  minFileSize = targetSize,
): ActiveFile[][] {
  const partitions = new Map<string, ActiveFile[]>();
  for (const file of files) {
    if (file.size >= Math.min(minFileSize, targetSize)) continue;
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
  const { version, filesRemoved, filesAdded, rowsRewritten } = await compactSome(store, tablePath, options);
  return { version, filesRemoved, filesAdded, rowsRewritten };
}

/**
 * One bounded step of {@link optimize}: at most `maxFiles` input files in one OPTIMIZE commit, planned
 * from `snapshot` when given; says how many small files are left and returns the table after it.
 */
export async function compactSome(
  store: ObjectStore,
  tablePath: string,
  options: OptimizeOptions = {},
): Promise<CompactionStep> {
  const now = options.now ?? Date.now;
  const targetSize = options.targetSize ?? DEFAULT_TARGET_SIZE;
  const snapshot = options.snapshot ?? (await loadSnapshot(store, tablePath));
  const planned = planCompaction(snapshot.files, targetSize, options.minFileSize);
  const bins = takeBins(planned, options.maxFiles ?? Number.POSITIVE_INFINITY);
  const remaining = planned.reduce((n, b) => n + b.length, 0) - bins.reduce((n, b) => n + b.length, 0);
  if (bins.length === 0) {
    return { version: undefined, filesRemoved: 0, filesAdded: 0, rowsRewritten: 0, remaining, snapshot };
  }
  const actions: Action[] = [];
  let rowsRewritten = 0;
  for (const bin of bins) {
    const { bytes, stats, rows } = await rewriteFiles(
      store,
      snapshot,
      bin,
      options.readConcurrency ?? READ_CONCURRENCY,
    );
    rowsRewritten += rows;
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
  await options.beforeCommit?.();
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
    remaining,
    snapshot: result.status === 'committed' ? result.snapshot : snapshot,
  };
}

const READ_CONCURRENCY = 8;

// Bins in plan order (a bin larger than `maxFiles` cut to it) while their files fit in `maxFiles`.
function takeBins(bins: ActiveFile[][], maxFiles: number): ActiveFile[][] {
  const taken: ActiveFile[][] = [];
  let files = 0;
  const cut = bins.flatMap((bin) => {
    if (bin.length <= maxFiles) return [bin];
    const pieces: ActiveFile[][] = [];
    for (let i = 0; i < bin.length; i += maxFiles) pieces.push(bin.slice(i, i + maxFiles));
    return pieces.filter((piece) => piece.length >= 2);
  });
  for (const bin of cut) {
    if (taken.length > 0 && files + bin.length > maxFiles) break;
    taken.push(bin);
    files += bin.length;
  }
  return taken;
}

/** What {@link setTableProperties} did. */
export interface PropertiesStep {
  /** The version of the SET TBLPROPERTIES commit; undefined when the table already had the properties. */
  readonly version: number | undefined;
  /** The table after the commit (or the one given, when nothing was committed). */
  readonly snapshot: Snapshot;
}

/**
 * Sets table properties (`metaData.configuration`) that differ from `properties`, keeping every other
 * property, the id, the schema and the partitioning: one metaData commit, as Spark's `ALTER TABLE … SET
 * TBLPROPERTIES`. Nothing is written when the table already has them. A writer racing the commit commits
 * after it when only housekeeping properties change (retention, checkpoint interval: see conflicts.ts),
 * else fails with `ConcurrentModificationError`; this commit fails that way if another one changed the
 * metadata first.
 */
export async function setTableProperties(
  store: ObjectStore,
  tablePath: string,
  properties: Readonly<Record<string, string>>,
  options: { snapshot?: Snapshot; now?: () => number; checkpointMaxFiles?: number } = {},
): Promise<PropertiesStep> {
  const snapshot = options.snapshot ?? (await loadSnapshot(store, tablePath));
  const configuration = snapshot.metadata.configuration;
  const changed = Object.entries(properties).filter(([key, value]) => configuration[key] !== value);
  if (changed.length === 0) return { version: undefined, snapshot };
  const metaData = {
    ...snapshot.metadata,
    configuration: { ...configuration, ...Object.fromEntries(changed) },
  };
  const result = await commit(store, tablePath, [{ metaData }], {
    snapshot,
    operation: 'SET TBLPROPERTIES',
    operationParameters: { properties: JSON.stringify(Object.fromEntries(changed)) },
    now: options.now,
    checkpointMaxFiles: options.checkpointMaxFiles,
  });
  // No txn in this commit: it cannot be a duplicate.
  if (result.status !== 'committed') return { version: undefined, snapshot };
  return { version: result.version, snapshot: result.snapshot };
}

/** Options of {@link vacuum}. */
export interface VacuumOptions {
  /** Files referenced within this many hours, or younger than it, are kept. Default 168 (7 days). */
  retentionHours?: number;
  /** Only report what would be deleted. */
  dryRun?: boolean;
  /** Go on from this key (relative to the table) instead of the start: `next` of an earlier call. */
  startAfter?: string;
  /** Stop listing once this returns true (checked between pages of 1,000 keys); `next` says where. */
  shouldStop?: () => boolean;
  /** The snapshot to decide from (a cached one is fine when it is at least as new as the listing). */
  snapshot?: Snapshot;
  /** Runs after each deleted page (a crash point). */
  afterDeletes?: () => Promise<void> | void;
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

/** What {@link vacuumSome} did: {@link VacuumResult} and where it stopped. */
export interface VacuumStep extends VacuumResult {
  /** Where a stopped listing ends (relative key): pass it as `startAfter` to go on; undefined when done. */
  next: string | undefined;
  /** Keys listed. */
  listed: number;
}

/**
 * Deletes data files no snapshot within the retention references: files whose tombstone is older than
 * the retention, and orphan files (uploads that were never committed) older than the retention. Never
 * deletes a file younger than the retention, a file a staged manifest names (a group commit not yet
 * made), the log, or anything under a `_`/`.`-prefixed folder.
 */
export async function vacuum(
  store: ObjectStore,
  tablePath: string,
  options: VacuumOptions = {},
): Promise<VacuumResult> {
  const { deleted, dryRun, keptYoung } = await vacuumSome(store, tablePath, options);
  return { deleted, dryRun, keptYoung };
}

/**
 * {@link vacuum} a page of 1,000 listed keys at a time (the log skipped in one step), from
 * `startAfter`, stopping between pages when `shouldStop` says so; `next` is where to go on.
 */
export async function vacuumSome(
  store: ObjectStore,
  tablePath: string,
  options: VacuumOptions = {},
): Promise<VacuumStep> {
  const now = (options.now ?? Date.now)();
  const retention =
    options.retentionHours === undefined ? DEFAULT_RETENTION_MS : options.retentionHours * 3_600_000;
  const cutoff = now - retention;
  // Files staged for a group commit (libs/delta/staging.ts) are not in the log yet but will be: kept.
  // Listed before the snapshot is read (or brought up to date), so a manifest committed and deleted in
  // between is in the snapshot instead.
  const keep = await stagedFiles(store, tablePath);
  const snapshot = options.snapshot
    ? (await refreshSnapshot(store, options.snapshot)).snapshot
    : await loadSnapshot(store, tablePath);
  for (const path of snapshot.state.files.keys()) keep.add(path);
  for (const [path, remove] of snapshot.state.tombstones) {
    if ((remove.deletionTimestamp ?? 0) > cutoff) keep.add(path);
  }
  const prefix = tableKey(tablePath, '');
  // Past the log in one step: `_delta_log/` sorts before data files and partition folders.
  const logEnd = `${prefix}${LOG_DIR}/\uffff`;
  const deleted: string[] = [];
  let keptYoung = 0;
  let listed = 0;
  let after = options.startAfter === undefined ? undefined : prefix + options.startAfter;
  let stopped = false;
  for (;;) {
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    const page = await store.list(prefix, { ...(after ? { startAfter: after } : {}), limit: PAGE });
    listed += page.length;
    const doomed: string[] = [];
    for (const object of page) {
      const relative = object.key.slice(prefix.length);
      if (relative.split('/').some((s) => s.startsWith('_') || s.startsWith('.'))) continue;
      if (keep.has(relative)) continue;
      if (object.lastModified > cutoff) {
        keptYoung++;
        continue;
      }
      doomed.push(relative);
    }
    if (!options.dryRun) {
      await mapInOrder(doomed, DELETE_CONCURRENCY, (relative) => store.delete(tableKey(tablePath, relative)));
      if (doomed.length > 0) await options.afterDeletes?.();
    }
    deleted.push(...doomed);
    const last = page.at(-1)?.key;
    if (page.length < PAGE || last === undefined) {
      after = undefined;
      break;
    }
    after = last.startsWith(`${prefix}${LOG_DIR}/`) ? logEnd : last;
  }
  deleted.sort();
  return {
    deleted,
    dryRun: options.dryRun ?? false,
    keptYoung,
    // Stopped before the first page: go on from where this call started ('' is the table's start).
    next: stopped ? (after?.slice(prefix.length) ?? '') : undefined,
    listed,
  };
}

const PAGE = 1000;
const DELETE_CONCURRENCY = 16;
