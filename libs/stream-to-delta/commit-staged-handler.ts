/**
 * The commit-staged Lambda handler (an EventBridge schedule, every minute): the committer of group
 * commits. Each round commits what stream-to-delta staged in each stream table (`commitStaged`, one
 * commit per table, small files merged); it loops until its time runs short, so one table gets a commit every few hundred
 * milliseconds whatever its shard count.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { maybeFail } from '../chaos';
import { commitStaged, type MergeOptions, SnapshotCache } from '../delta';
import { cleanTablePath } from '../lake';
import { KINDS } from '../records';
import { pause } from '../retry';
import type { ObjectStore } from '../storage';
import { type StreamCommitMode, WRITER_CHECKPOINT_MAX_FILES } from './write-kinesis-batch';

/** What the handler is built from. */
export interface CommitStagedDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** stream-to-delta's mode: `staged` loops for the invocation; `direct` commits leftovers once. */
  readonly commitMode: StreamCommitMode;
  /** The tables' snapshots, kept across rounds and invocations; the handler builds its own when absent. */
  readonly snapshots?: SnapshotCache;
  /** Pause after a round that committed nothing (ms). Default 1,000: ~1 LIST per table per second idle. */
  readonly idleMs?: number;
  /** A round starts only while the invocation has more than this left (ms). Default 10,000. */
  readonly reserveMs?: number;
  /** Which staged files a commit merges; default {@link COMMITTER_MERGE}. */
  readonly merge?: MergeOptions;
}

const MIB = 1024 * 1024;

/**
 * The committer merges staged files under 32 MiB (what maintain-tables calls small: half its 64 MiB
 * target) into files of up to 64 MiB, at most 16 MiB of them per commit: a table then gains about one
 * file per commit however many shards write to it, and a commit's merge stays ~1 s and one bin of rows
 * in memory. Above 16 MiB of small files per commit the rest is committed as staged, for compaction.
 */
export const COMMITTER_MERGE: MergeOptions = {
  belowBytes: 32 * MIB,
  targetBytes: 64 * MIB,
  maxBytes: 16 * MIB,
};

/** The event: EventBridge's, or `{ "untilIdle": true }` to stop after the first round with nothing to commit. */
export type CommitStagedEvent = Partial<ScheduledEvent> & { readonly untilIdle?: boolean };

/** What an invocation did, summed over its rounds and tables. */
export interface CommitStagedSummary {
  readonly rounds: number;
  readonly commits: number;
  /** Staged batches committed. */
  readonly batches: number;
  readonly rows: number;
  /** Staged batches left waiting after the last round (a gap before them, or the cap). */
  readonly waiting: number;
}

/**
 * Builds the handler. In the `staged` mode it runs rounds until the invocation has `reserveMs` left
 * (or, with `untilIdle`, until a round commits nothing); in the `direct` mode it stops after the first
 * round that commits nothing, committing what an earlier staged period left. Chaos step
 * `commit-staged:after-commit`: between a commit and the deletes of its manifests.
 */
export function createCommitStagedHandler(deps: CommitStagedDeps) {
  const { store, logger } = deps;
  const snapshots = deps.snapshots ?? new SnapshotCache();
  const idleMs = deps.idleMs ?? 1000;
  const reserveMs = deps.reserveMs ?? 10_000;
  return middy<CommitStagedEvent, CommitStagedSummary>()
    .use(injectLambdaContext(logger))
    .handler(async (event, context) => {
      const untilIdle = deps.commitMode === 'direct' || event.untilIdle === true;
      const totals = { rounds: 0, commits: 0, batches: 0, rows: 0, waiting: 0 };
      for (;;) {
        let committed = false;
        totals.waiting = 0;
        for (const kind of KINDS) {
          const table = cleanTablePath('stream', kind);
          const cycle = await commitStaged(store, table, {
            snapshots,
            checkpointMaxFiles: WRITER_CHECKPOINT_MAX_FILES,
            afterCommit: () => maybeFail('commit-staged:after-commit'),
            merge: deps.merge ?? COMMITTER_MERGE,
          });
          totals.waiting += cycle.waiting;
          if (cycle.version === undefined) continue;
          committed = true;
          totals.commits++;
          totals.batches += cycle.manifests;
          totals.rows += cycle.rows;
          logger.debug('staged batches committed', { table, ...cycle });
        }
        totals.rounds++;
        if ((untilIdle && !committed) || context.getRemainingTimeInMillis() < reserveMs) break;
        if (!committed) await pause(idleMs);
      }
      logger.info('committer done', totals);
      return totals;
    });
}
