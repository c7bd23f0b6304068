/** Looking at a table: its history (commit by commit) and a consistency check of the log and the files. */
import type { ObjectStore } from '../storage/types';
import { type Action, parseStats } from './actions';
import { listLog, readCheckpoint, readCommit, readLastCheckpoint } from './log';
import { LOG_DIR, tableKey } from './paths';
import { ReplayState } from './replay';
import { loadSnapshot } from './snapshot';

/** One commit of the table's history. */
export interface HistoryEntry {
  version: number;
  /** `commitInfo.timestamp`, else the commit file's modification time (ms). */
  timestamp: number;
  operation: string;
  operationParameters: Record<string, unknown>;
  engineInfo: string | undefined;
  addedFiles: number;
  removedFiles: number;
  /** Rows in the added files, from their stats (0 when a file has none). */
  addedRecords: number;
  /** App ids and versions recorded by the commit's txn actions. */
  txns: Record<string, number>;
}

/** The table's commits, newest first, at most `limit` of them. Throws `TableNotFoundError` when there is no table. */
export async function history(
  store: ObjectStore,
  tablePath: string,
  options: { limit?: number } = {},
): Promise<HistoryEntry[]> {
  const latest = await loadSnapshot(store, tablePath);
  const listing = await listLog(store, tablePath);
  const versions = listing.commits.filter((v) => v <= latest.version).reverse();
  const chosen = options.limit === undefined ? versions : versions.slice(0, options.limit);
  return Promise.all(
    chosen.map(async (version) =>
      summarize(version, await readCommit(store, tablePath, version), listing.commitTimes),
    ),
  );
}

function summarize(version: number, actions: readonly Action[], times: Map<number, number>): HistoryEntry {
  const entry: HistoryEntry = {
    version,
    timestamp: times.get(version) ?? 0,
    operation: 'UNKNOWN',
    operationParameters: {},
    engineInfo: undefined,
    addedFiles: 0,
    removedFiles: 0,
    addedRecords: 0,
    txns: {},
  };
  for (const action of actions) {
    if ('commitInfo' in action) {
      entry.timestamp = action.commitInfo.timestamp ?? entry.timestamp;
      entry.operation = action.commitInfo.operation ?? entry.operation;
      entry.operationParameters = action.commitInfo.operationParameters ?? {};
      entry.engineInfo = action.commitInfo.engineInfo;
    } else if ('add' in action) {
      entry.addedFiles++;
      entry.addedRecords += parseStats(action.add.stats)?.numRecords ?? 0;
    } else if ('remove' in action) {
      entry.removedFiles++;
    } else if ('txn' in action) {
      entry.txns[action.txn.appId] = action.txn.version;
    }
  }
  return entry;
}

/** The outcome of {@link checkTable}: `problems` is empty when the table is consistent. */
export interface CheckResult {
  version: number | undefined;
  commits: number;
  checkpoints: number;
  activeFiles: number;
  problems: string[];
}

/**
 * Checks a table: commit versions contiguous, every checkpoint equal to the replay of the JSON commits
 * up to its version, `_last_checkpoint` pointing at a checkpoint, every active file present with the
 * size its add records. Never throws for a problem of the table; it lists them.
 */
export async function checkTable(store: ObjectStore, tablePath: string): Promise<CheckResult> {
  const problems: string[] = [];
  const listing = await listLog(store, tablePath);
  const result: CheckResult = {
    version: listing.commits.at(-1),
    commits: listing.commits.length,
    checkpoints: listing.checkpoints.length,
    activeFiles: 0,
    problems,
  };
  if (listing.commits.length === 0) {
    problems.push(`no commits in ${tableKey(tablePath, LOG_DIR)}`);
    return result;
  }
  const first = listing.commits[0]!;
  if (first !== 0) problems.push(`the log starts at version ${first}, not 0`);
  listing.commits.forEach((v, i) => {
    if (i > 0 && v !== listing.commits[i - 1]! + 1) {
      problems.push(`versions ${listing.commits[i - 1]! + 1}..${v - 1} are missing (gap in the log)`);
    }
  });
  const checkpointAt = new Map(listing.checkpoints.map((c) => [c.version, c.names]));
  const state = new ReplayState();
  for (const version of listing.commits) {
    try {
      state.apply(await readCommit(store, tablePath, version), version);
    } catch (error) {
      problems.push(`commit ${version}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const names = checkpointAt.get(version);
    if (names && first === 0) await compareCheckpoint(store, tablePath, names, state, version, problems);
  }
  const last = await readLastCheckpoint(store, tablePath);
  if (last && !checkpointAt.has(last.version)) {
    problems.push(`_last_checkpoint names version ${last.version}, which has no complete checkpoint`);
  }
  await checkFiles(store, tablePath, state, problems);
  result.activeFiles = state.files.size;
  return result;
}

async function compareCheckpoint(
  store: ObjectStore,
  tablePath: string,
  names: string[],
  replayed: ReplayState,
  version: number,
  problems: string[],
): Promise<void> {
  const checkpoint = new ReplayState();
  try {
    checkpoint.apply(await readCheckpoint(store, tablePath, names), version);
  } catch (error) {
    problems.push(`checkpoint ${version}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const files = (s: ReplayState) => JSON.stringify([...s.files].map(([p, a]) => [p, a.size]).sort());
  const txns = (s: ReplayState) => JSON.stringify([...s.txns].map(([id, t]) => [id, t.version]).sort());
  const meta = (s: ReplayState) =>
    JSON.stringify([s.metadata?.schemaString, s.metadata?.partitionColumns, s.protocol]);
  if (files(checkpoint) !== files(replayed))
    problems.push(`checkpoint ${version}: its files differ from the replayed log`);
  if (txns(checkpoint) !== txns(replayed))
    problems.push(`checkpoint ${version}: its txns differ from the replayed log`);
  if (meta(checkpoint) !== meta(replayed)) {
    problems.push(`checkpoint ${version}: its metaData or protocol differ from the replayed log`);
  }
}

async function checkFiles(
  store: ObjectStore,
  tablePath: string,
  state: ReplayState,
  problems: string[],
): Promise<void> {
  const prefix = tableKey(tablePath, '');
  const sizes = new Map((await store.list(prefix)).map((o) => [o.key.slice(prefix.length), o.size]));
  for (const [path, add] of state.files) {
    const size = sizes.get(path);
    if (size === undefined) problems.push(`data file ${path} is missing`);
    else if (size !== add.size)
      problems.push(`data file ${path} has ${size} bytes, the log says ${add.size}`);
  }
}
