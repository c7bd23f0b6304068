/**
 * The add tags that carry a writer's high-water marks (e.g. a Kinesis shard's last sequence number,
 * DESIGN §2.4), and the rule that keeps them through compaction. Pure.
 */
import type { Snapshot } from './replay';

const INTEGER = /^-?\d+$/;

/**
 * Merges tags of compacted files, per key: when every value is an integer (such as a Kinesis sequence
 * number, longer than any JavaScript number), the result is the MAXIMUM compared as big integers — so
 * a shard's high-water mark survives compaction; otherwise the value of the newest file wins.
 * `files` must be ordered oldest first.
 */
export function mergeTags(files: readonly { tags: Record<string, string> }[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const keys = new Set(files.flatMap((f) => Object.keys(f.tags)));
  for (const key of keys) {
    const values = files.flatMap((f) => (f.tags[key] === undefined ? [] : [f.tags[key]!]));
    if (values.every((v) => INTEGER.test(v))) {
      merged[key] = values.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
    } else {
      merged[key] = values.at(-1)!;
    }
  }
  return merged;
}

/**
 * The highest value of an integer tag over the snapshot's live files, compared as big integers (so a
 * 56-digit Kinesis sequence number compares exactly); `undefined` when no live file carries the tag.
 * Compaction keeps this value (see {@link mergeTags}).
 */
export function maxTagValue(snapshot: Snapshot, key: string): string | undefined {
  let max: string | undefined;
  for (const file of snapshot.files) {
    const value = file.tags[key];
    if (value === undefined || !INTEGER.test(value)) continue;
    if (max === undefined || BigInt(value) > BigInt(max)) max = value;
  }
  return max;
}
