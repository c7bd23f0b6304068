/**
 * The checks a commit makes against what concurrent writers did: exactly-once txns (duplicate or
 * concurrent), and winning commits that change what this commit depends on. Pure.
 */
import type { Action, Metadata, Txn } from './actions';
import type { CommitOptions, CommitResult, TxnInput } from './commit';
import { STAGED_COMMITS_PROPERTY } from './config';
import { ConcurrentModificationError, ConcurrentTransactionError } from './errors';
import { decodeFilePath } from './paths';
import type { Snapshot } from './replay';

/** The duplicate result when the table already records one of the txns at ≥ its version. */
export function findDuplicate(
  recorded: Readonly<Record<string, number>>,
  txns: readonly TxnInput[],
  version: number,
): CommitResult | undefined {
  for (const txn of txns) {
    const current = recorded[txn.appId];
    if (current !== undefined && current >= txn.version) {
      return { status: 'duplicate', version, appId: txn.appId, recordedVersion: current };
    }
  }
  return undefined;
}

/** Throws `ConcurrentTransactionError` when an app id is not at the version the caller computed from. */
export function checkExpectedTxns(
  snapshot: Snapshot,
  expected: Readonly<Record<string, number | undefined>>,
  txns: readonly TxnInput[],
): void {
  for (const txn of txns) {
    if (!(txn.appId in expected)) continue;
    const current = snapshot.txns[txn.appId];
    if (current !== expected[txn.appId]) {
      throw new ConcurrentTransactionError(
        `table ${snapshot.tablePath}: app ${txn.appId} is at version ${current ?? 'none'}, ` +
          `but this commit was computed from version ${expected[txn.appId] ?? 'none'}`,
      );
    }
  }
}

/**
 * Table properties whose change cannot make a commit computed before it wrong: how long the log,
 * checkpoints and removed files are kept, and how often checkpoints are written. Data files, their
 * schema and the meaning of add and remove actions are the same either side of such a change. Also
 * {@link STAGED_COMMITS_PROPERTY}: it matters only to later invocations of a shard that staged a batch,
 * and one shard's invocations run one after another (the staging writer sets it before its manifest).
 */
const HOUSEKEEPING_PROPERTIES: ReadonlySet<string> = new Set([
  'delta.checkpointInterval',
  'delta.checkpointRetentionDuration',
  'delta.deletedFileRetentionDuration',
  'delta.enableExpiredLogCleanup',
  'delta.logRetentionDuration',
  STAGED_COMMITS_PROPERTY,
]);

/**
 * Whether a winner's metadata differs from the one this commit was computed from only in
 * {@link HOUSEKEEPING_PROPERTIES} (as maintain-tables' SET TBLPROPERTIES does): same table id, name,
 * description, creation time, format, schema and partitioning, every other property equal.
 */
function onlyHousekeeping(base: Metadata, next: Metadata): boolean {
  if (
    next.id !== base.id ||
    next.name !== base.name ||
    next.description !== base.description ||
    next.createdTime !== base.createdTime ||
    next.schemaString !== base.schemaString ||
    next.format.provider !== base.format.provider ||
    !sameEntries(next.format.options, base.format.options) ||
    next.partitionColumns.length !== base.partitionColumns.length ||
    next.partitionColumns.some((column, i) => column !== base.partitionColumns[i])
  ) {
    return false;
  }
  const keys = new Set([...Object.keys(base.configuration), ...Object.keys(next.configuration)]);
  for (const key of keys) {
    if (base.configuration[key] !== next.configuration[key] && !HOUSEKEEPING_PROPERTIES.has(key))
      return false;
  }
  return true;
}

function sameEntries(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && a[key] === b[key]);
}

/**
 * Checks one winning commit against this one, computed from `base` (the metadata of the snapshot it
 * read): `duplicate` when the winner recorded one of our app ids at ≥ our version; throws when it
 * recorded one at a lower version, changed the protocol or the metadata (beyond housekeeping
 * properties when this commit sets no metadata itself: see {@link onlyHousekeeping}), removed a file we
 * remove, or (for whole-table commits) added data.
 */
export function checkWinner(
  winner: readonly Action[],
  winnerVersion: number,
  base: Metadata,
  ours: readonly Action[],
  txns: readonly TxnInput[],
  options: CommitOptions,
  table: string,
): CommitResult | undefined {
  const winnerTxns = new Map<string, Txn>();
  for (const action of winner) if ('txn' in action) winnerTxns.set(action.txn.appId, action.txn);
  for (const txn of txns) {
    const won = winnerTxns.get(txn.appId);
    if (!won) continue;
    if (won.version >= txn.version) {
      return { status: 'duplicate', version: winnerVersion, appId: txn.appId, recordedVersion: won.version };
    }
    throw new ConcurrentTransactionError(
      `table ${table}: concurrent commit ${winnerVersion} recorded app ${txn.appId} at version ${won.version} ` +
        `while this commit records version ${txn.version}; re-read the table and recompute the batch`,
    );
  }
  // A commit that sets metadata itself would overwrite the winner's: any metadata change conflicts.
  const setsMetadata = ours.some((a) => 'metaData' in a || 'protocol' in a);
  for (const action of winner) {
    if (
      'protocol' in action ||
      ('metaData' in action && (setsMetadata || !onlyHousekeeping(base, action.metaData)))
    ) {
      throw new ConcurrentModificationError(
        `table ${table}: concurrent commit ${winnerVersion} changed the table metadata`,
      );
    }
  }
  const removedByWinner = new Set(
    winner.flatMap((a) => ('remove' in a ? [decodeFilePath(a.remove.path)] : [])),
  );
  for (const action of ours) {
    if ('remove' in action && removedByWinner.has(decodeFilePath(action.remove.path))) {
      throw new ConcurrentModificationError(
        `table ${table}: concurrent commit ${winnerVersion} already removed ${action.remove.path}`,
      );
    }
  }
  if (options.readsWholeTable && winner.some((a) => 'add' in a && a.add.dataChange)) {
    throw new ConcurrentModificationError(
      `table ${table}: concurrent commit ${winnerVersion} added data this whole-table commit did not read`,
    );
  }
  return undefined;
}
