/**
 * One chunk of batch-clean's work on a topic: the clean rows, the records to quarantine and, per
 * partition, the last offset included, committed together exactly once.
 */
import type { CleanedBatch, QuarantineEntry } from '../pipeline';
import type { Kind, RowOf } from '../records';

/** The txn app id of a Kafka partition in a batch table: `kafka:<topic>:<partition>`. */
export function kafkaAppId(topic: string, partition: number): string {
  return `kafka:${topic}:${partition}`;
}

/** Rows, quarantine entries and offsets gathered since the last commit. */
export class CleanChunk<K extends Kind> {
  rows: RowOf[K][] = [];
  quarantine: QuarantineEntry[] = [];
  /** The last offset included, per partition. */
  lastOffsets = new Map<number, number>();
  nulled: Record<string, number> = {};
  records = 0;

  constructor(
    private readonly kind: K,
    private readonly topic: string,
  ) {}

  /** Adds the cleaned records of one partition, the last of them at `lastOffset`. */
  add(partition: number, cleaned: CleanedBatch<number>, lastOffset: number): void {
    for (const row of cleaned.rows[this.kind]) this.rows.push(row);
    for (const { record, reason } of cleaned.rejected) {
      this.quarantine.push({
        origin: this.topic,
        name: `${partition}-${record.ref}`,
        reason,
        source: record.source,
        receivedAt: record.ingestedAt,
        bytes: record.bytes,
      });
    }
    for (const [column, count] of Object.entries(cleaned.nulled[this.kind])) {
      this.nulled[column] = (this.nulled[column] ?? 0) + count;
    }
    this.records += cleaned.rows[this.kind].length + cleaned.rejected.length;
    this.lastOffsets.set(partition, lastOffset);
  }

  /** The txns of a commit of this chunk. */
  txns(): { appId: string; version: number }[] {
    return [...this.lastOffsets].map(([partition, version]) => ({
      appId: kafkaAppId(this.topic, partition),
      version,
    }));
  }

  /** Empties the chunk after a commit. */
  reset(): void {
    this.rows = [];
    this.quarantine = [];
    this.lastOffsets = new Map();
    this.nulled = {};
    this.records = 0;
  }
}
