/**
 * The exactly-once bookkeeping of a Kinesis shard in a Delta table (DESIGN §2.4): the txn app id whose
 * version counts the shard's commits, and the high-water sequence number kept in the tags of the adds.
 */
import type { Snapshot } from '../delta';

/** The txn app id of a shard: `kinesis:<stream>:<shardId>`. */
export function kinesisAppId(stream: string, shardId: string): string {
  return `kinesis:${stream}:${shardId}`;
}

/** The add-action tag holding a shard's high-water sequence number: `pinlake.kinesis.<stream>.<shardId>.hwm`. */
export function highWaterTag(stream: string, shardId: string): string {
  return `pinlake.kinesis.${stream}.${shardId}.hwm`;
}

/** Where a shard stands in a table: its commit counter (the txn version, 0 before any) and high-water mark. */
export interface ShardMark {
  readonly commits: number;
  /** The highest sequence number committed, or undefined before the first commit. */
  readonly highWater: bigint | undefined;
}

/**
 * Reads a shard's mark from a snapshot: the txn version of its app id and the largest value of its
 * tag over the live files, compared as big integers (compaction keeps the maximum when it merges
 * tags, and checkpoints keep tags, so the mark survives both). Values that are not integers are ignored.
 */
export function readShardMark(snapshot: Snapshot, stream: string, shardId: string): ShardMark {
  const tag = highWaterTag(stream, shardId);
  let highWater: bigint | undefined;
  // The replay state's adds, not `snapshot.files`: no sorted list of every live file per invocation.
  for (const add of snapshot.state.files.values()) highWater = raiseMark(highWater, add, tag);
  return { commits: snapshot.txns[kinesisAppId(stream, shardId)] ?? 0, highWater };
}

/**
 * The larger of `highWater` and the value of an add's high-water `tag`, compared as big integers; a
 * value that is not an integer is ignored.
 */
export function raiseMark(
  highWater: bigint | undefined,
  add: { readonly tags?: Record<string, string> | null },
  tag: string,
): bigint | undefined {
  const value = add.tags?.[tag];
  if (value === undefined || !/^\d+$/.test(value)) return highWater;
  const mark = BigInt(value);
  return highWater === undefined || mark > highWater ? mark : highWater;
}
