/** Picks the partition of a record as the Java client does for keys; round-robin for keyless records. */
import { murmur2 } from '@platformatic/kafka';

/**
 * The partition for `key` among `count` partitions: murmur2 of the key bytes made positive, modulo
 * the count (the Java client's default, so a key lands where any Kafka client would put it).
 */
export function partitionForKey(key: Buffer, count: number): number {
  return (murmur2(key, false) & 0x7fffffff) % count;
}

/** Spreads keyless records over the partitions of each topic in turn. */
export class RoundRobin {
  private readonly next = new Map<string, number>();

  /** The next partition of `topic` among `count`. */
  take(topic: string, count: number): number {
    const n = this.next.get(topic) ?? 0;
    this.next.set(topic, n + 1);
    return n % count;
  }
}
