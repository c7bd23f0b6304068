/** Picks the partition of a record as the Java client does for keys; round-robin for keyless records. */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (MurmurHash2, seed 0x9747b28c) of `data` as a signed 32-bit integer, as `Utils.murmur2`. */
function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2]! << 16;
    if (tail >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition for `key` among `count` partitions: murmur2 of the key bytes made positive, modulo
 * the count (the Java client's default, so a key lands where any Kafka client would put it).
 */
export function partitionForKey(key: Buffer, count: number): number {
  return (murmur2(key) & 0x7fffffff) % count;
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
