/**
 * Group commits (docs/performance.md, "Group commits"): a writer stages a data file and a manifest
 * `<table>/_staging/<appId>/<version>.json` (created only if absent) instead of committing it, and one
 * committer commits every staged manifest of the table in ONE commit, with one txn per app id at the
 * highest consecutive staged version. `_staging/` starts with `_`, so Delta readers never see it.
 */
import type { ObjectStore } from '../storage/types';
import type { Action, AddFile } from './actions';
import { type CommitOptions, commit, type TxnInput } from './commit';
import { ConcurrentModificationError, ConcurrentTransactionError, DeltaLogError } from './errors';
import { mapInOrder } from './map-in-order';
import { decodeFilePath, tableKey } from './paths';
import type { Snapshot } from './replay';
import { latestSnapshot, type SnapshotCache } from './snapshot-cache';
import { type MergeOptions, mergeSmallFiles } from './staging-merge';
import { type DataFile, uploadFiles } from './write';

/** The staging folder, relative to the table root. */
const STAGING_DIR = '_staging';

/** What a manifest holds: the add to commit and the txn (app id and version) it stands for. */
export interface StagedManifest {
  readonly add: AddFile;
  readonly txn: TxnInput;
}

/** A manifest found by listing: its store key, app id and version. */
export interface StagedEntry {
  readonly key: string;
  readonly appId: string;
  readonly version: number;
}

const MANIFEST_RE = /^(\d{20})\.json$/;

/** The store key of a manifest: `<table>/_staging/<appId>/<version, 20 digits>.json`. */
function stagedKey(tablePath: string, appId: string, version: number): string {
  return tableKey(tablePath, `${STAGING_DIR}/${appId}/${String(version).padStart(20, '0')}.json`);
}

/**
 * The table's staged manifests (of one app id when given), sorted by app id then version; the first
 * `limit` keys only, when given.
 */
export async function listStaged(
  store: ObjectStore,
  tablePath: string,
  appId?: string,
  limit?: number,
): Promise<StagedEntry[]> {
  const root = tableKey(tablePath, `${STAGING_DIR}/`);
  const found: StagedEntry[] = [];
  const prefix = appId === undefined ? root : `${root}${appId}/`;
  for (const { key } of await store.list(prefix, limit === undefined ? {} : { limit })) {
    const rest = key.slice(root.length);
    const slash = rest.lastIndexOf('/');
    const name = MANIFEST_RE.exec(rest.slice(slash + 1));
    if (slash <= 0 || !name) continue;
    found.push({ key, appId: rest.slice(0, slash), version: Number(name[1]) });
  }
  return found;
}

/**
 * Reads a manifest; `undefined` when it is gone (committed and deleted since it was listed). Throws a
 * `DeltaLogError` naming the key when it is not a manifest of its app id and version.
 */
export async function readStaged(
  store: ObjectStore,
  entry: StagedEntry,
): Promise<StagedManifest | undefined> {
  const bytes = await store.get(entry.key);
  if (bytes === undefined) return undefined;
  let manifest: Partial<StagedManifest>;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes)) as Partial<StagedManifest>;
  } catch (error) {
    throw new DeltaLogError(`staged manifest ${entry.key} is not JSON`, { cause: error });
  }
  const { add, txn } = manifest;
  if (typeof add?.path !== 'string' || txn?.appId !== entry.appId || txn.version !== entry.version) {
    throw new DeltaLogError(
      `staged manifest ${entry.key} does not hold an add for app ${entry.appId} version ${entry.version}`,
    );
  }
  return { add, txn };
}

/**
 * The manifests of `appId` staged above `version`, in version order, read 32 at a time: those still there
 * (one committed and deleted since the listing is left out, and so are those after it).
 */
export async function readStagedAbove(
  store: ObjectStore,
  tablePath: string,
  appId: string,
  version: number,
): Promise<StagedManifest[]> {
  const above = (await listStaged(store, tablePath, appId)).filter((entry) => entry.version > version);
  const manifests = await mapInOrder(above, READ_CONCURRENCY, (entry) => readStaged(store, entry));
  const gone = manifests.indexOf(undefined);
  return (gone < 0 ? manifests : manifests.slice(0, gone)) as StagedManifest[];
}

/** Options of {@link stageFile}. */
export interface StageOptions {
  /** The app id and the version this file stands for (the writer's counter + 1). */
  readonly txn: TxnInput;
  /** Tags on the add (e.g. the Kinesis high-water mark). */
  readonly tags?: Record<string, string>;
  /** The table as the writer read it (partition columns). */
  readonly snapshot: Snapshot;
  /** Runs after the upload and before the manifest (a crash point). */
  readonly beforeStage?: () => Promise<void> | void;
  readonly now?: () => number;
}

/**
 * Uploads the file under a new name and creates its manifest only if absent. Resolves `staged` when
 * this call created it, `taken` when the key existed (another invocation of the app staged that
 * version first): the upload is then an orphan for vacuum.
 */
export async function stageFile(
  store: ObjectStore,
  tablePath: string,
  file: DataFile,
  options: StageOptions,
): Promise<'staged' | 'taken'> {
  const now = options.now ?? Date.now;
  const [action] = await uploadFiles(store, options.snapshot, [file], options.tags, now());
  await options.beforeStage?.();
  const manifest: StagedManifest = { add: (action as { add: AddFile }).add, txn: options.txn };
  const created = await store.putIfAbsent(
    stagedKey(tablePath, options.txn.appId, options.txn.version),
    JSON.stringify(manifest),
  );
  return created ? 'staged' : 'taken';
}

/** Options of {@link commitStaged}. */
export interface CommitStagedOptions extends Pick<CommitOptions, 'checkpointMaxFiles' | 'now'> {
  /** The committer's warm snapshots (none: the table is loaded every cycle). */
  readonly snapshots?: SnapshotCache;
  /** At most this many manifests in one commit; the rest wait for the next cycle. Default 2,000. */
  readonly maxManifests?: number;
  /** Runs after the commit and before the manifests are deleted (a crash point). */
  readonly afterCommit?: () => Promise<void> | void;
  /** Merge the group's small staged files into fewer files before committing (none: commit each). */
  readonly merge?: MergeOptions;
}

/** What one {@link commitStaged} cycle did. */
export interface StagedCommit {
  /** The version of the commit; undefined when nothing was committed. */
  readonly version: number | undefined;
  /** Manifests (batches) committed. */
  readonly manifests: number;
  /** Data files the commit added (fewer than `manifests` when small files were merged). */
  readonly files: number;
  /** Rows in them (from the adds' stats). */
  readonly rows: number;
  /** Manifests at or below their app's recorded version deleted. */
  readonly deleted: number;
  /** Staged manifests left waiting (a gap before them, the cap, or a lost race). */
  readonly waiting: number;
}

const DEFAULT_MAX_MANIFESTS = 2000;
const LISTED_PER_MANIFEST = 10;
const MAX_ROUNDS = 5;
const READ_CONCURRENCY = 32;

/**
 * One committer cycle over a table: lists `_staging/`, deletes the manifests at or below their app
 * id's recorded txn version (committed already), and commits the adds of the others in one commit with
 * one txn per app id at the highest version that follows the recorded one without a gap (a gap waits).
 * Then deletes what it committed. At most `maxManifests` manifests a commit, and ten times as many
 * listed a cycle. A committer racing another one loses as any writer does (the txns
 * are checked against every winning commit) and recomputes from the table as it is then; killed
 * between the commit and the deletes, it leaves manifests the next cycle finds committed and deletes.
 * Throws storage and log errors; a cycle can always be run again.
 */
export async function commitStaged(
  store: ObjectStore,
  tablePath: string,
  options: CommitStagedOptions = {},
): Promise<StagedCommit> {
  const maxManifests = options.maxManifests ?? DEFAULT_MAX_MANIFESTS;
  // A backlog is listed a bounded part at a time (in key order; what is committed is deleted, so the
  // next cycles go on with the rest).
  const listed = await listStaged(store, tablePath, undefined, LISTED_PER_MANIFEST * maxManifests);
  const none = { version: undefined, manifests: 0, files: 0, rows: 0, deleted: 0, waiting: 0 };
  if (listed.length === 0) return none;
  const latest = () => latestSnapshot(store, tablePath, options.snapshots);
  let snapshot = await latest();
  let deleted = await deleteCommitted(store, listed, snapshot);
  let pending = listed.filter((entry) => entry.version > recorded(snapshot, entry.appId));
  for (let round = 1; pending.length > 0; round++) {
    const group = planGroup(pending, snapshot, maxManifests);
    if (group.entries.length === 0) break;
    const manifests = await mapInOrder(group.entries, READ_CONCURRENCY, (entry) => readStaged(store, entry));
    // Undefined when another committer committed some of them meanwhile.
    const adds = manifests.includes(undefined)
      ? undefined
      : await addsOf(store, snapshot, manifests as StagedManifest[], options);
    const result =
      adds && (await commitGroup(store, snapshot, adds, group.txns, group.entries.length, options));
    if (result?.status === 'committed') {
      options.snapshots?.remember(store, result.snapshot);
      await options.afterCommit?.();
      await mapInOrder(group.entries, READ_CONCURRENCY, (entry) => store.delete(entry.key));
      return {
        version: result.version,
        manifests: group.entries.length,
        files: adds?.length ?? 0,
        rows: (manifests as StagedManifest[]).reduce((n, m) => n + rowsOf(m.add), 0),
        deleted: deleted + group.entries.length,
        waiting: pending.length - group.entries.length,
      };
    }
    if (round === MAX_ROUNDS) break;
    // Lost to another committer: re-read; what it committed is now at or below the recorded versions.
    snapshot = await latest();
    deleted += await deleteCommitted(store, pending, snapshot);
    pending = pending.filter((entry) => entry.version > recorded(snapshot, entry.appId));
  }
  return { ...none, deleted, waiting: pending.length };
}

/**
 * The data files named by the table's staged manifests (paths relative to the table): vacuum keeps
 * them, since the committer may still commit them. Read before the snapshot vacuum decides from, so
 * a manifest committed and deleted meanwhile is in that snapshot instead.
 */
export async function stagedFiles(store: ObjectStore, tablePath: string): Promise<Set<string>> {
  const listed = await listStaged(store, tablePath);
  const manifests = await mapInOrder(listed, READ_CONCURRENCY, (entry) => readStaged(store, entry));
  return new Set(manifests.flatMap((m) => (m ? [decodeFilePath(m.add.path)] : [])));
}

const recorded = (snapshot: Snapshot, appId: string): number => snapshot.txns[appId] ?? 0;

async function deleteCommitted(
  store: ObjectStore,
  entries: readonly StagedEntry[],
  snapshot: Snapshot,
): Promise<number> {
  const committed = entries.filter((entry) => entry.version <= recorded(snapshot, entry.appId));
  await mapInOrder(committed, READ_CONCURRENCY, (entry) => store.delete(entry.key));
  return committed.length;
}

/** Per app id, the versions that follow the recorded one without a gap, up to `max` manifests in all. */
function planGroup(
  pending: readonly StagedEntry[],
  snapshot: Snapshot,
  max: number,
): { entries: StagedEntry[]; txns: TxnInput[] } {
  const entries: StagedEntry[] = [];
  const reached = new Map<string, number>();
  // Listing order: by app id, then version.
  for (const entry of pending) {
    if (entries.length >= max) break;
    const at = reached.get(entry.appId) ?? recorded(snapshot, entry.appId);
    if (entry.version !== at + 1) continue;
    reached.set(entry.appId, entry.version);
    entries.push(entry);
  }
  const txns = [...reached].map(([appId, version]) => ({ appId, version }));
  return { entries, txns };
}

function addsOf(
  store: ObjectStore,
  snapshot: Snapshot,
  manifests: readonly StagedManifest[],
  options: CommitStagedOptions,
): Promise<AddFile[]> {
  const adds = manifests.map((m) => m.add);
  if (!options.merge) return Promise.resolve(adds);
  return mergeSmallFiles(store, snapshot, adds, options.merge, (options.now ?? Date.now)());
}

async function commitGroup(
  store: ObjectStore,
  snapshot: Snapshot,
  adds: readonly AddFile[],
  txns: readonly TxnInput[],
  batches: number,
  options: CommitStagedOptions,
) {
  try {
    return await commit(
      store,
      snapshot.tablePath,
      adds.map((add): Action => ({ add })),
      {
        snapshot,
        txns,
        expectedTxns: Object.fromEntries(txns.map((t) => [t.appId, snapshot.txns[t.appId]])),
        operation: 'STREAMING UPDATE',
        operationParameters: { outputMode: 'Append', staged: String(batches) },
        checkpointMaxFiles: options.checkpointMaxFiles,
        now: options.now,
      },
    );
  } catch (error) {
    // Another committer recorded one of the app ids, or the metadata changed: re-read and recompute.
    if (error instanceof ConcurrentTransactionError || error instanceof ConcurrentModificationError) {
      return undefined;
    }
    throw error;
  }
}

function rowsOf(add: AddFile): number {
  const stats = add.stats ? (JSON.parse(add.stats) as { numRecords?: number }) : undefined;
  return stats?.numRecords ?? 0;
}
