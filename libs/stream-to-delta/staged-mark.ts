/**
 * A shard's mark when its batches are staged for group commits (libs/delta/staging.ts): the commit
 * counter and high-water mark count the batches staged but not yet committed, as well as the log's.
 */
import {
  type AddFile,
  ConcurrentModificationError,
  latestSnapshot,
  listStaged,
  readStaged,
  readStagedAbove,
  type Snapshot,
  type SnapshotCache,
  STAGED_COMMITS_PROPERTY,
  setTableProperties,
} from '../delta';
import type { ObjectStore } from '../storage';
import { highWaterTag, kinesisAppId, raiseMark, readShardMark, type ShardMark } from './high-water';

/**
 * Reads the shard's mark from its staged manifests and the table: the counter is the larger of the
 * txn version and the highest staged version, the high-water mark the larger of the live files' tag
 * and the highest staged manifest's (manifests are staged in counter order, each above the last mark).
 * The staging prefix is listed BEFORE the table is read: a manifest committed and deleted in between
 * is then in the table; one staged at or below the txn version is not counted (a committed one, or a
 * key reused after its commit, which is never committed).
 */
export async function readStagedShardMark(
  store: ObjectStore,
  tablePath: string,
  stream: string,
  shardId: string,
  readTable: () => Promise<Snapshot>,
): Promise<{ snapshot: Snapshot; mark: ShardMark }> {
  const appId = kinesisAppId(stream, shardId);
  const top = (await listStaged(store, tablePath, appId)).at(-1);
  const [first, manifest] = await Promise.all([
    readTable(),
    top === undefined ? undefined : readStaged(store, top),
  ]);
  let snapshot = first;
  let mark = readShardMark(snapshot, stream, shardId);
  if (top === undefined || top.version <= mark.commits) return { snapshot, mark };
  if (manifest === undefined) {
    // Committed and deleted since the listing, maybe after the table was read: read it again.
    snapshot = await readTable();
    mark = readShardMark(snapshot, stream, shardId);
    return { snapshot, mark };
  }
  const highWater = raiseMark(mark.highWater, manifest.add, highWaterTag(stream, shardId));
  return { snapshot, mark: { commits: top.version, highWater } };
}

/**
 * A direct writer's mark: the log's ({@link readShardMark}), and on a table that has had staged batches
 * ({@link STAGED_COMMITS_PROPERTY}) also the shard's batches staged above its txn version, consecutive
 * from it. They were staged by earlier invocations of the shard running the staged code (during a
 * deploy that switches modes, old and new code take turns), so they are older than this batch: the
 * writer commits their adds with its own file, at the version after them. A committer committing them
 * meanwhile is a lost race on the shard's txn (the commit is checked against the version read here).
 * Listed after the table is read: a manifest committed since is caught the same way.
 */
export async function readDirectShardMark(
  store: ObjectStore,
  snapshot: Snapshot,
  stream: string,
  shardId: string,
): Promise<{ snapshot: Snapshot; mark: ShardMark; stagedAdds: AddFile[] }> {
  const mark = readShardMark(snapshot, stream, shardId);
  if (snapshot.metadata.configuration[STAGED_COMMITS_PROPERTY] !== 'true') {
    return { snapshot, mark, stagedAdds: [] };
  }
  const appId = kinesisAppId(stream, shardId);
  const manifests = await readStagedAbove(store, snapshot.tablePath, appId, mark.commits);
  const tag = highWaterTag(stream, shardId);
  const stagedAdds: AddFile[] = [];
  let { commits, highWater } = mark;
  for (const manifest of manifests) {
    if (manifest.txn.version !== commits + 1) break; // a gap: one committed meanwhile
    stagedAdds.push(manifest.add);
    commits = manifest.txn.version;
    highWater = raiseMark(highWater, manifest.add, tag);
  }
  return { snapshot, mark: { commits, highWater }, stagedAdds };
}

/**
 * Sets {@link STAGED_COMMITS_PROPERTY} on the table unless the snapshot has it (once per table: a
 * staging writer calls it before its manifest), and returns the table with it. Another writer setting
 * it (or another property) at the same moment makes this re-read and look again. The commit checkpoints
 * the table only while it holds at most `checkpointMaxFiles` files, as the writer's own commits do.
 */
export async function markStagedCommits(
  store: ObjectStore,
  snapshot: Snapshot,
  snapshots: SnapshotCache | undefined,
  checkpointMaxFiles: number,
): Promise<Snapshot> {
  let table = snapshot;
  for (let attempt = 1; table.metadata.configuration[STAGED_COMMITS_PROPERTY] !== 'true'; attempt++) {
    try {
      const set = await setTableProperties(
        store,
        table.tablePath,
        { [STAGED_COMMITS_PROPERTY]: 'true' },
        { snapshot: table, checkpointMaxFiles },
      );
      table = set.snapshot;
      snapshots?.remember(store, table);
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || attempt === 3) throw error;
      table = await latestSnapshot(store, table.tablePath, snapshots);
    }
  }
  return table;
}
