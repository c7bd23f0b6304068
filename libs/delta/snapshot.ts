/**
 * Loading a table snapshot: the newest checkpoint at or before the target version, then every JSON
 * commit after it, in order, with no gaps.
 */
import type { ObjectStore } from '../storage/types';
import type { Action } from './actions';
import { DeltaLogError, TableNotFoundError } from './errors';
import {
  type LastCheckpoint,
  type LogListing,
  listLog,
  readCheckpoint,
  readCommit,
  readLastCheckpoint,
} from './log';
import { commitFileName, LOG_DIR, parseLogFileName, tableKey } from './paths';
import { assertReadable } from './protocol';
import { ReplayState, type Snapshot, snapshotOf } from './replay';

/** Options of {@link loadSnapshot}. */
export interface LoadSnapshotOptions {
  /** The version to load (time travel); the latest when absent. */
  version?: number;
  /** Replay the JSON commits from version 0 even when checkpoints exist (for checks and tests). */
  ignoreCheckpoints?: boolean;
}

const READ_CONCURRENCY = 16;

/**
 * Loads the table at `tablePath` in `store` at its latest (or the given) version.
 * Throws `TableNotFoundError` when there is no log, `DeltaLogError` on a gap or an unreadable commit,
 * `UnsupportedProtocolError` when the table needs a newer reader.
 */
export async function loadSnapshot(
  store: ObjectStore,
  tablePath: string,
  options: LoadSnapshotOptions = {},
): Promise<Snapshot> {
  const table = tablePath || store.uri;
  const target = options.version;
  const last = options.ignoreCheckpoints ? undefined : await readLastCheckpoint(store, tablePath);
  const hinted = last && (target === undefined || last.version <= target);
  let listing = await listLog(store, tablePath, hinted ? last.version : undefined);
  let partial = Boolean(hinted);
  // `_last_checkpoint` is only a hint: when the checkpoint it names is not complete, list everything.
  if (hinted && !listing.checkpoints.some((c) => c.version === last.version)) {
    listing = await listLog(store, tablePath);
    partial = false;
  }
  const latest = Math.max(-1, ...listing.commits.slice(-1), ...listing.checkpoints.map((c) => c.version));
  if (latest < 0) throw new TableNotFoundError(`no Delta table at ${table}: _delta_log has no commits`);
  const version = target ?? latest;
  if (version > latest || version < 0) {
    throw new DeltaLogError(`table ${table} has no version ${version} (latest is ${latest})`);
  }
  const missing = missingCheckpoints(listing, last, version);
  const state = new ReplayState();
  let checkpointVersion: number | undefined;
  const candidates = options.ignoreCheckpoints
    ? []
    : listing.checkpoints.filter((c) => c.version <= version).reverse();
  // The newest readable checkpoint; an unreadable one is skipped for an older one (or the commits).
  for (const checkpoint of candidates) {
    try {
      state.apply(await readCheckpoint(store, tablePath, checkpoint.names), checkpoint.version);
      checkpointVersion = checkpoint.version;
      break;
    } catch (error) {
      if (!(error instanceof DeltaLogError)) throw error;
      state.reset();
      missing.push({ version: checkpoint.version, why: `is unreadable (${error.message})` });
    }
  }
  // Falling back below the hinted checkpoint needs the commits the short listing left out.
  if (partial && hinted && (checkpointVersion ?? -1) < last.version)
    listing = await listLog(store, tablePath);
  await replayCommits(store, tablePath, state, listing, (checkpointVersion ?? -1) + 1, version, missing);
  return finish(tablePath, table, state, checkpointVersion);
}

/** A checkpoint the log points at but a reader cannot use, to name it when the commits it replaces are gone. */
interface MissingCheckpoint {
  readonly version: number;
  readonly why: string;
}

function missingCheckpoints(
  listing: LogListing,
  last: LastCheckpoint | undefined,
  version: number,
): MissingCheckpoint[] {
  const missing: MissingCheckpoint[] = listing.incompleteCheckpoints
    .filter((c) => c.version <= version)
    .map((c) => ({
      version: c.version,
      why: `has ${c.parts - c.missing.length} of its ${c.parts} parts (missing part ${c.missing.join(', ')})`,
    }));
  if (last && last.version <= version && !listing.checkpoints.some((c) => c.version === last.version)) {
    if (!missing.some((m) => m.version === last.version))
      missing.push({ version: last.version, why: 'is named by _last_checkpoint but is missing' });
  }
  return missing;
}

async function replayCommits(
  store: ObjectStore,
  tablePath: string,
  state: ReplayState,
  listing: LogListing,
  from: number,
  to: number,
  missingCheckpoints: readonly MissingCheckpoint[] = [],
): Promise<void> {
  const table = tablePath || store.uri;
  const present = new Set(listing.commits);
  for (let v = from; v <= to; v++) {
    if (present.has(v)) continue;
    // A gap a checkpoint should have covered: name the checkpoint, not just the first missing commit.
    const checkpoint = missingCheckpoints
      .filter((c) => c.version >= v)
      .sort((a, b) => a.version - b.version)[0];
    if (checkpoint) {
      throw new DeltaLogError(
        `table ${table}: checkpoint ${checkpoint.version} ${checkpoint.why}, and commit ${v}, needed to replay without it, is missing too`,
      );
    }
    throw new DeltaLogError(
      `table ${table}: commit ${v} is missing between ${from} and ${to} (the log has a gap)`,
    );
  }
  for (let start = from; start <= to; start += READ_CONCURRENCY) {
    const versions: number[] = [];
    for (let v = start; v <= Math.min(to, start + READ_CONCURRENCY - 1); v++) versions.push(v);
    const commits: Action[][] = await Promise.all(versions.map((v) => readCommit(store, tablePath, v)));
    commits.forEach((actions, i) => {
      state.apply(actions, versions[i]!);
    });
  }
}

function finish(tablePath: string, table: string, state: ReplayState, checkpointVersion?: number): Snapshot {
  if (!state.protocol || !state.metadata) {
    throw new DeltaLogError(
      `table ${table} at version ${state.version} has no ${state.protocol ? 'metaData' : 'protocol'}`,
    );
  }
  assertReadable(state.protocol, table);
  return snapshotOf(tablePath, state, checkpointVersion);
}

/** Options of {@link refreshSnapshot}. */
export interface RefreshOptions {
  /**
   * When more commits than this are new and a newer complete checkpoint exists, load from that
   * checkpoint instead of reading every commit (`commits` is then empty). Default: always read them.
   */
  readonly reloadAfter?: number;
}

const TAIL_CONCURRENCY = 32;

/**
 * Brings a snapshot up to date by applying the commits written after it (a warm writer's refresh, and
 * the path after a lost race). One LIST of the log after the snapshot's own commit (S3's `StartAfter`)
 * finds every newer commit, whatever the table's length, and they are read in parallel; a commit is
 * never read before a listing showed it (S3 answers a read of an absent key with 403, not 404, to a
 * role that may list only the table's prefix). Returns the same snapshot when nothing is new, and the
 * new commits' actions by version. Throws `DeltaLogError` on a gap in the new commits.
 */
export async function refreshSnapshot(
  store: ObjectStore,
  snapshot: Snapshot,
  options: RefreshOptions = {},
): Promise<{ snapshot: Snapshot; commits: { version: number; actions: Action[] }[] }> {
  const tablePath = snapshot.tablePath;
  const table = tablePath || store.uri;
  const logPrefix = tableKey(tablePath, `${LOG_DIR}/`);
  const after = tableKey(tablePath, commitFileName(snapshot.version));
  const versions: number[] = [];
  let newestCheckpoint = -1;
  for (const object of await store.list(logPrefix, { startAfter: after })) {
    if (object.key <= after) continue;
    const entry = parseLogFileName(object.key.slice(logPrefix.length));
    if (entry?.kind === 'commit' && entry.version > snapshot.version) versions.push(entry.version);
    else if (entry?.kind === 'checkpoint' && entry.parts === 1) {
      newestCheckpoint = Math.max(newestCheckpoint, entry.version);
    }
  }
  if (versions.length === 0) return { snapshot, commits: [] };
  versions.sort((a, b) => a - b);
  versions.forEach((version, i) => {
    if (version !== snapshot.version + 1 + i) {
      throw new DeltaLogError(
        `table ${table}: commit ${snapshot.version + 1 + i} is missing between ${snapshot.version + 1} and ${versions.at(-1)} (the log has a gap)`,
      );
    }
  });
  if (
    options.reloadAfter !== undefined &&
    versions.length > options.reloadAfter &&
    newestCheckpoint > snapshot.version
  ) {
    return { snapshot: await loadSnapshot(store, tablePath), commits: [] };
  }
  const commits: { version: number; actions: Action[] }[] = new Array(versions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < versions.length) {
      const i = next++;
      const version = versions[i]!;
      commits[i] = { version, actions: await readCommit(store, tablePath, version) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAIL_CONCURRENCY, versions.length) }, worker));
  const state = snapshot.state.clone();
  for (const commit of commits) state.apply(commit.actions, commit.version);
  return { snapshot: finish(tablePath, table, state, snapshot.checkpointVersion), commits };
}
