/**
 * A shard's mark when its batches are staged for group commits (libs/delta/staging.ts): the commit
 * counter and high-water mark count the batches staged but not yet committed, as well as the log's.
 */
import { listStaged, readStaged, type Snapshot } from '../delta';
import type { ObjectStore } from '../storage';
import { highWaterTag, kinesisAppId, readShardMark, type ShardMark } from './high-water';

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
  const staged = manifest.add.tags?.[highWaterTag(stream, shardId)];
  const stagedMark = staged !== undefined && /^\d+$/.test(staged) ? BigInt(staged) : undefined;
  const highWater =
    mark.highWater === undefined || (stagedMark !== undefined && stagedMark > mark.highWater)
      ? stagedMark
      : mark.highWater;
  return { snapshot, mark: { commits: top.version, highWater } };
}
