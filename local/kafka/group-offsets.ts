/**
 * The consumer groups' committed offsets of the embedded broker, kept in `consumer-offsets.json` in its
 * data directory (replaced whole through a rename on every commit, so a restart finds the last one).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './state-file';

/** Every group's next offset to read, per topic-partition. */
export class GroupOffsets {
  private readonly committed = new Map<string, number>();
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'consumer-offsets.json');
    if (!existsSync(this.file)) return;
    for (const [key, offset] of JSON.parse(readFileSync(this.file, 'utf8')) as [string, number][])
      this.committed.set(key, offset);
  }

  /** Records `offset` as the group's next offset to read of the partition, on disk before it returns. */
  commit(group: string, topic: string, partition: number, offset: number): void {
    this.committed.set(JSON.stringify([group, topic, partition]), offset);
    writeFileAtomic(this.file, JSON.stringify([...this.committed]));
  }

  /** The group's committed offset of the partition, or undefined when it never committed one. */
  get(group: string, topic: string, partition: number): number | undefined {
    return this.committed.get(JSON.stringify([group, topic, partition]));
  }

  /** Every committed offset: `[group, topic, partition, offset]`. */
  all(): [string, string, number, number][] {
    return [...this.committed].map(([key, offset]) => {
      const [group, topic, partition] = JSON.parse(key) as [string, string, number];
      return [group, topic, partition, offset];
    });
  }
}
