import type { MSKEvent } from 'aws-lambda';
import type { KafkaConsumer, OffsetRecord } from '../../libs/kafka';
import type { BatchInfo, SourcePartition } from './event-source';
import { type MskEventSource, toMskEvent } from './msk-event';

/** Most bytes one Fetch asks for, per partition (at least one whole batch comes whatever its size). */
const FETCH_BYTES = 4 * 1024 * 1024;

/**
 * One topic-partition as the event-source core reads it, over the Kafka protocol as a consumer of the
 * mapping's group: Fetch from the group's committed offset, the checkpoint an OffsetCommit of the next
 * offset (so it survives a restart of the poller and of the broker), a resumption an OffsetFetch. Any
 * answer of the handler is success (Lambda reads no partial batch answer for Kafka here).
 */
export class MskPartition implements SourcePartition<OffsetRecord, MSKEvent> {
  readonly crashStep = 'msk-poller:before-commit';
  readonly where: { readonly topic: string; readonly partition: number };
  /** The group's committed offset as last read or written: the next offset to deliver. */
  committed: number;
  // The next offset to fetch; undefined after a crash, when it is asked of the group again.
  private cursor: number | undefined;

  private constructor(
    private readonly consumer: KafkaConsumer,
    private readonly groupId: string,
    private readonly source: MskEventSource,
    committed: number,
  ) {
    this.where = { topic: source.topic, partition: source.partition };
    this.committed = committed;
    this.cursor = committed;
  }

  /**
   * Opens the partition for the group: its committed offset, or for a group that never committed one the
   * start (TRIM_HORIZON) or end (LATEST) of the log, committed at once so the group starts there for good.
   */
  static async open(
    consumer: KafkaConsumer,
    groupId: string,
    source: MskEventSource,
    startingPosition: 'TRIM_HORIZON' | 'LATEST',
  ): Promise<MskPartition> {
    const { topic, partition } = source;
    let committed = await consumer.committedOffset(groupId, topic, partition);
    if (committed === undefined) {
      const spec = startingPosition === 'LATEST' ? 'latest' : 'earliest';
      committed = await consumer.listOffset(topic, partition, spec);
      await consumer.commitOffset(groupId, topic, partition, committed);
    }
    return new MskPartition(consumer, groupId, source, committed);
  }

  async read(limit: number) {
    const { topic, partition } = this.source;
    this.cursor ??= (await this.consumer.committedOffset(this.groupId, topic, partition)) ?? this.committed;
    const records = await this.consumer.fetch(topic, partition, this.cursor, FETCH_BYTES, limit);
    const last = records[records.length - 1];
    if (last !== undefined) this.cursor = last.offset + 1;
    return { records, closed: false };
  }

  async checkpoint(last: OffsetRecord): Promise<void> {
    await this.consumer.commitOffset(this.groupId, this.source.topic, this.source.partition, last.offset + 1);
    this.committed = last.offset + 1;
  }

  rewind(): void {
    this.cursor = undefined;
  }

  toEvent(records: readonly OffsetRecord[]): MSKEvent {
    return toMskEvent(records, this.source);
  }

  outcome() {
    return { kind: 'success' } as const;
  }

  idOf(record: OffsetRecord): string {
    return String(record.offset);
  }

  // base64 of key and value, plus the record's envelope
  sizeOf(record: OffsetRecord): number {
    return ((record.value?.length ?? 0) + (record.key?.length ?? 0)) * 1.34 + 200;
  }

  arrivalOf(record: OffsetRecord): number {
    return record.timestamp;
  }

  batchInfo(records: readonly OffsetRecord[]): BatchInfo {
    const first = records[0];
    const last = records[records.length - 1];
    const { topic, partition } = this.source;
    return {
      field: 'KafkaBatchInfo',
      name: `${topic}-${partition}-${first?.offset ?? null}-${last?.offset ?? null}`,
      info: {
        batchSize: records.length,
        eventSourceArn: this.source.clusterArn,
        bootstrapServers: this.source.bootstrapServers,
        topic,
        partition,
        firstRecordOffset: first?.offset ?? null,
        lastRecordOffset: last?.offset ?? null,
        firstRecordTimestamp: first?.timestamp ?? null,
        lastRecordTimestamp: last?.timestamp ?? null,
      },
    };
  }
}
