/**
 * One chunk of batch-clean's work on a topic: the records cleaned straight into one Parquet file, the
 * records to quarantine and, per partition, the last offset included, committed together exactly once.
 */

import type { QuarantineEntry } from '../lake';
import { type EncodedTable, TableWriter } from '../parquet';
import { type Kind, TABLE_COLUMNS } from '../records';
import { isDateTime } from './msk-batch';
import type { RawRecords } from './raw-records';

/** The txn app id of a Kafka partition in a batch table: `kafka:<topic>:<partition>`. */
export function kafkaAppId(topic: string, partition: number): string {
  return `kafka:${topic}:${partition}`;
}

/**
 * Records cleaned since the last commit. Each clean row goes straight into the chunk's Parquet writer
 * (so a chunk never holds rows, only encoded columns); rejected records are kept for the quarantine,
 * their bytes a view of their raw file. `source` (`kafka:<topic>:<partition>:<offset>`) is written
 * DELTA_BYTE_ARRAY from the prefix `kafka:<topic>:` the whole file shares, so no row builds its text.
 */
export class CleanChunk<K extends Kind> {
  /** The records cleaning rejected, to write to `quarantine/` before the commit. */
  readonly quarantine: QuarantineEntry[] = [];
  /** The last offset included, per partition. */
  readonly lastOffsets = new Map<number, number>();
  /** How many rows had each column nulled by cleaning although the raw record had a value. */
  readonly nulled: Record<string, number> = {};
  /** Records added (rows plus quarantined). */
  records = 0;
  private writer: TableWriter | undefined;
  /** What every row's `source` starts with; the writer is given only the rest (DELTA_BYTE_ARRAY). */
  private readonly sourcePrefix: string;

  /** `file` names the table in Parquet error messages. */
  constructor(
    private readonly kind: K,
    private readonly topic: string,
    private readonly file?: string,
  ) {
    this.sourcePrefix = `kafka:${topic}:`;
  }

  /** Rows written into the chunk's Parquet file so far. */
  get rowCount(): number {
    return this.writer?.rowCount ?? 0;
  }

  /**
   * Cleans records `from` to `to` (exclusive; default: to the end) of one raw file of `partition` into
   * the chunk, as `kafka:<topic>:<partition>:<offset>` received at their Kafka timestamps (a record
   * whose timestamp is missing or out of a date's range is quarantined as a bad envelope), and moves
   * the partition's last offset to the last of them. Throws the Parquet writer's error for a row it
   * cannot encode.
   */
  addRecords(partition: number, records: RawRecords, from = 0, to = records.count): void {
    const { kind, sourcePrefix } = this;
    const partitionPrefix = `${partition}:`;
    // One meta object for the whole file: cleaning copies its fields into the row and keeps nothing,
    // and the writer encodes the row as it is appended, so the Date is set to each record's time in
    // turn. Its `source` is what follows the prefix every row shares: `<partition>:<offset>`.
    const meta = { source: '', ingestedAt: new Date(0) };
    for (let i = from; i < to; i++) {
      meta.source = partitionPrefix + records.offset(i);
      const timestamp = records.timestamp(i);
      if (!isDateTime(timestamp)) {
        // No row can say when it was received: kept with the reason, filed under its landing day.
        this.quarantine.push({
          origin: this.topic,
          name: `${partition}-${records.offset(i)}`,
          reason: `bad envelope: Kafka timestamp ${timestamp} of ${this.topic}-${partition} offset ${records.offset(i)} is ${Number.isNaN(timestamp) ? 'not a number' : 'out of range'}`,
          source: sourcePrefix + meta.source,
          receivedAt: new Date(isDateTime(records.landedAt) ? records.landedAt : 0),
          bytes: records.bytes(i),
        });
        continue;
      }
      meta.ingestedAt.setTime(timestamp);
      const result = records.clean(kind, i, meta);
      if (!result.ok) {
        this.quarantine.push({
          origin: this.topic,
          name: `${partition}-${records.offset(i)}`,
          reason: result.reason,
          source: sourcePrefix + meta.source,
          receivedAt: new Date(timestamp),
          bytes: records.bytes(i),
        });
        continue;
      }
      this.writer ??= new TableWriter(TABLE_COLUMNS[kind], {
        file: this.file,
        sharedPrefixes: { source: sourcePrefix },
      });
      this.writer.append(result.row);
      for (const column of result.nulled) this.nulled[column] = (this.nulled[column] ?? 0) + 1;
    }
    this.records += Math.max(0, to - from);
    if (to > from) this.lastOffsets.set(partition, records.offset(to - 1));
  }

  /** The chunk's Parquet file, finished; undefined when every record was quarantined. */
  finish(): EncodedTable | undefined {
    return this.writer && this.writer.rowCount > 0 ? this.writer.finish() : undefined;
  }

  /** The txns of a commit of this chunk. */
  txns(): { appId: string; version: number }[] {
    return [...this.lastOffsets].map(([partition, version]) => ({
      appId: kafkaAppId(this.topic, partition),
      version,
    }));
  }
}
