/**
 * Committing actions to a table: the next `_delta_log/<version>.json` is created only if absent (never
 * overwritten); a lost race re-reads the winning commits, checks them against this commit (txn app
 * ids, metadata, removed files) and retries at the next version, a bounded number of times.
 */
import { randomUUID } from 'node:crypto';
import packageJson from '../../package.json';
import { type Backoff, backoffDelay, pause } from '../retry';
import type { ObjectStore } from '../storage/types';
import { type Action, type CommitInfo, serializeActions } from './actions';
import { writeCheckpoint } from './checkpoint-writer';
import { checkpointInterval, isAppendOnly } from './config';
import { checkExpectedTxns, checkWinner, findDuplicate } from './conflicts';
import { CommitRetriesExhaustedError, DeltaError } from './errors';
import { commitFileName, tableKey } from './paths';
import { assertWritable } from './protocol';
import { type Snapshot, snapshotOf } from './replay';
import { loadSnapshot, refreshSnapshot } from './snapshot';

/** The `engineInfo` of every commit: `pinlake/<package version>`. */
export const ENGINE_INFO = `pinlake/${packageJson.version}`;

/** An application transaction to record with the commit: `appId` reaches `version`. */
export interface TxnInput {
  readonly appId: string;
  readonly version: number;
}

/** Options of {@link commit}. */
export interface CommitOptions {
  /** `commitInfo.operation`, e.g. `WRITE`, `STREAMING UPDATE`, `OPTIMIZE`. Default `WRITE`. */
  operation?: string;
  /** `commitInfo.operationParameters` (values are written as strings, as Spark does). */
  operationParameters?: Record<string, unknown>;
  /** Txns recorded atomically with the actions: a replay of the same app id and version is skipped. */
  txns?: readonly TxnInput[];
  /**
   * The version of each app id the caller based its work on (`undefined`: none recorded). When the
   * table shows another version that is not a duplicate, the commit fails with `ConcurrentTransactionError`.
   */
  expectedTxns?: Readonly<Record<string, number | undefined>>;
  /** The snapshot the actions were computed from; loaded when absent. */
  snapshot?: Snapshot;
  /** The commit replaces all data the snapshot held: a concurrent append is then a conflict. */
  readsWholeTable?: boolean;
  /** How many times to try the next version before giving up. Default: as many as `maxWaitMs` allows. */
  maxAttempts?: number;
  /**
   * How long to keep trying (ms) before giving up. Default 60,000: under half of stream-to-delta's
   * 120 s timeout, so a writer queued behind many others on one table still commits its batch.
   */
  maxWaitMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
  /**
   * Write the interval checkpoint only while the table holds at most this many live files and
   * tombstones; above it the checkpoint is left to maintain-tables (encoding costs ~0.15 ms per action:
   * 15 s for 100,000 files, more than a writer's whole invocation). Default: no limit.
   */
  checkpointMaxFiles?: number;
}

/** What {@link commit} did. */
export type CommitResult =
  | { status: 'committed'; version: number; snapshot: Snapshot; checkpointWritten: boolean }
  | { status: 'duplicate'; version: number; appId: string; recordedVersion: number };

/**
 * Commits `actions` (adds, removes, metaData…) as the next version of the table, with a `commitInfo`
 * and the `txns`. Resolves `duplicate` without writing when the table already records one of the
 * txns' app ids at the same or a later version. Throws `ConcurrentTransactionError` when a concurrent
 * commit recorded one of the app ids at another version, `ConcurrentModificationError` when it changed
 * the protocol or the metadata (beyond housekeeping properties, see conflicts.ts) or removed a file this
 * commit removes, `CommitRetriesExhaustedError` after `maxAttempts` or `maxWaitMs`.
 * Writes a checkpoint when the new version is a multiple of the checkpoint interval (10), unless the
 * table holds more files than `checkpointMaxFiles`.
 */
export async function commit(
  store: ObjectStore,
  tablePath: string,
  actions: readonly Action[],
  options: CommitOptions = {},
): Promise<CommitResult> {
  const now = options.now ?? Date.now;
  const txns = options.txns ?? [];
  let snapshot = options.snapshot ?? (await loadSnapshot(store, tablePath));
  assertWritable(snapshot.protocol, tablePath || store.uri);
  checkAppendOnly(snapshot, actions);
  const duplicate = findDuplicate(snapshot.txns, txns, snapshot.version);
  if (duplicate) return duplicate;
  checkExpectedTxns(snapshot, options.expectedTxns ?? {}, txns);
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const giveUpAt = Date.now() + (options.maxWaitMs ?? 60_000);
  let attempt = 1;
  for (; attempt <= maxAttempts && (attempt === 1 || Date.now() < giveUpAt); attempt++) {
    const version = snapshot.version + 1;
    const timestamp = now();
    const body = serializeActions([
      { commitInfo: commitInfoFor(options, snapshot.version, actions, timestamp) },
      ...txns.map((t): Action => ({ txn: { appId: t.appId, version: t.version, lastUpdated: timestamp } })),
      ...actions,
    ]);
    if (await store.putIfAbsent(tableKey(tablePath, commitFileName(version)), body)) {
      return finishCommit(store, snapshot, actions, txns, version, timestamp, options.checkpointMaxFiles);
    }
    const refreshed = await refreshSnapshot(store, snapshot);
    for (const winner of refreshed.commits) {
      const result = checkWinner(
        winner.actions,
        winner.version,
        snapshot.metadata,
        actions,
        txns,
        options,
        tablePath || store.uri,
      );
      if (result) return result;
    }
    snapshot = refreshed.snapshot;
    await pause(backoffDelay(COMMIT_BACKOFF, attempt));
  }
  throw new CommitRetriesExhaustedError(
    `table ${tablePath || store.uri}: lost the race for the next version ${attempt - 1} times`,
  );
}

async function finishCommit(
  store: ObjectStore,
  snapshot: Snapshot,
  actions: readonly Action[],
  txns: readonly TxnInput[],
  version: number,
  timestamp: number,
  checkpointMaxFiles = Number.POSITIVE_INFINITY,
): Promise<CommitResult> {
  const state = snapshot.state.clone();
  const txnActions = txns.map(
    (t): Action => ({ txn: { appId: t.appId, version: t.version, lastUpdated: timestamp } }),
  );
  state.apply([...txnActions, ...actions], version);
  const next = snapshotOf(snapshot.tablePath, state, snapshot.checkpointVersion);
  let checkpointWritten = false;
  const small = state.files.size + state.tombstones.size <= checkpointMaxFiles;
  if (version > 0 && version % checkpointInterval(next.metadata) === 0 && small) {
    // The commit is durable already; a failed checkpoint only costs readers some replay.
    checkpointWritten = await writeCheckpoint(store, snapshot.tablePath, state, timestamp).then(
      () => true,
      () => false,
    );
  }
  return { status: 'committed', version, snapshot: next, checkpointWritten };
}

function checkAppendOnly(snapshot: Snapshot, actions: readonly Action[]): void {
  if (isAppendOnly(snapshot.metadata) && actions.some((a) => 'remove' in a && a.remove.dataChange)) {
    throw new DeltaError(
      `table ${snapshot.tablePath} is append-only (delta.appendOnly=true): it cannot remove data`,
    );
  }
}

function commitInfoFor(
  options: CommitOptions,
  readVersion: number,
  actions: readonly Action[],
  timestamp: number,
): CommitInfo {
  const parameters = Object.fromEntries(
    Object.entries(options.operationParameters ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
  return {
    timestamp,
    operation: options.operation ?? 'WRITE',
    operationParameters: parameters,
    ...(readVersion >= 0 ? { readVersion } : {}),
    isolationLevel: 'Serializable',
    isBlindAppend: !actions.some((a) => 'remove' in a),
    operationMetrics: operationMetrics(actions),
    engineInfo: ENGINE_INFO,
    txnId: randomUUID(),
  };
}

function operationMetrics(actions: readonly Action[]): Record<string, string> {
  let files = 0;
  let bytes = 0;
  let rows = 0;
  let removed = 0;
  for (const action of actions) {
    if ('add' in action) {
      files++;
      bytes += action.add.size;
      const stats = action.add.stats ? (JSON.parse(action.add.stats) as { numRecords?: number }) : undefined;
      rows += stats?.numRecords ?? 0;
    } else if ('remove' in action) {
      removed++;
    }
  }
  return {
    numFiles: String(files),
    numOutputRows: String(rows),
    numOutputBytes: String(bytes),
    numRemovedFiles: String(removed),
  };
}

// Full jitter, doubling from 20 ms (after the first lost race) up to 100 ms: racing writers spread apart so the loser of one round
// does not lose the next one too. Measured with `npm run bench -- scale`: a 1 s cap left the table idle
// (8 writers: 3.8 commits/s against 9.5); the 50 ms cap with 100 attempts gave batches up at 128 writers,
// which the time limit (`maxWaitMs`) now prevents.
const COMMIT_BACKOFF: Backoff = { baseMs: 20, maxMs: 100 };
