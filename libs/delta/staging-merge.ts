/**
 * Merging a group commit's small staged files (libs/delta/staging.ts) into fewer files before the
 * commit, so the table gains a few files per commit instead of one per batch, whatever the write rate.
 */
import type { ObjectStore } from '../storage/types';
import type { AddFile } from './actions';
import { decodeFilePath } from './paths';
import { activeFileOf, type Snapshot } from './replay';
import { mergeTags } from './tags';
import { rewriteFiles, uploadFiles } from './write';

/** Which staged files a group commit merges. */
export interface MergeOptions {
  /** Staged files smaller than this (bytes) are merged. */
  readonly belowBytes: number;
  /** A merged file is made of at most this many input bytes. */
  readonly targetBytes: number;
  /** At most this many input bytes are merged per commit (the rest is committed as staged). */
  readonly maxBytes: number;
}

const READ_CONCURRENCY = 8;

/**
 * The adds to commit for a group: per partition, the small files (in the group's order, up to
 * `maxBytes`) are read and written again as files of up to `targetBytes` of input, with their tags
 * merged (`mergeTags`: each shard's high-water mark stays the largest); every other file, and a bin of
 * one file, is kept as staged. The merged files are uploaded before the commit: a lost commit leaves
 * them unreferenced, and the files they replace are never committed; both are orphans for vacuum once
 * their manifests are gone.
 */
export async function mergeSmallFiles(
  store: ObjectStore,
  snapshot: Snapshot,
  adds: readonly AddFile[],
  options: MergeOptions,
  now: number,
): Promise<AddFile[]> {
  const kept: AddFile[] = [];
  const bins: AddFile[][] = [];
  const open = new Map<string, { files: AddFile[]; bytes: number }>();
  let budget = options.maxBytes;
  for (const add of adds) {
    if (add.size >= options.belowBytes || add.size > budget) {
      kept.push(add);
      continue;
    }
    budget -= add.size;
    const partition = JSON.stringify(Object.entries(add.partitionValues ?? {}).sort());
    let bin = open.get(partition);
    if (bin && bin.bytes + add.size > options.targetBytes) {
      bins.push(bin.files);
      bin = undefined;
    }
    bin ??= { files: [], bytes: 0 };
    bin.files.push(add);
    bin.bytes += add.size;
    open.set(partition, bin);
  }
  for (const bin of open.values()) bins.push(bin.files);
  for (const bin of bins) {
    if (bin.length === 1) {
      kept.push(bin[0]!);
      continue;
    }
    const files = bin.map((add) => activeFileOf(decodeFilePath(add.path), add));
    const { bytes, stats } = await rewriteFiles(store, snapshot, files, READ_CONCURRENCY);
    const [action] = await uploadFiles(
      store,
      snapshot,
      [{ bytes, stats, partitionValues: files[0]!.partitionValues, tags: mergeTags(files) }],
      undefined,
      now,
    );
    kept.push((action as { add: AddFile }).add);
  }
  return kept;
}
