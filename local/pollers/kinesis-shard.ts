import type { KinesisStreamEvent } from 'aws-lambda';
import type { BatchInfo, SourcePartition } from './event-source';
import { type EventSource, interpretResponse, type ShardRecord, toKinesisEvent } from './kinesis-event';
import type { ShardPosition, ShardReader, StartingPosition } from './shard-reader';

/**
 * One Kinesis shard as the event-source core reads it: GetRecords through a shard iterator, the
 * checkpoint as the last sequence number handled (kept in memory, as Lambda keeps its mapping's), and
 * partial batch answers by sequence number when ReportBatchItemFailures is on.
 */
export class KinesisShard implements SourcePartition<ShardRecord, KinesisStreamEvent> {
  readonly crashStep = 'kinesis-poller:before-checkpoint';
  readonly where: { readonly shardId: string };
  /** Last sequence number handled (processed, or given up on to the on-failure destination). */
  checkpointed: string | undefined;
  // First record not yet handled, kept across a crash when there is no checkpoint to resume after.
  private resumeAt: string | undefined;

  constructor(
    private readonly reader: ShardReader,
    private readonly source: EventSource,
    private readonly startingPosition: StartingPosition,
    private readonly reportBatchItemFailures: boolean,
    checkpoint: string | undefined,
  ) {
    this.where = { shardId: source.shardId };
    this.checkpointed = checkpoint;
  }

  read(limit: number) {
    return this.reader.read(this.position(), limit);
  }

  private position(): ShardPosition {
    if (this.checkpointed !== undefined)
      return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.checkpointed };
    if (this.resumeAt !== undefined) return { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: this.resumeAt };
    return { type: this.startingPosition };
  }

  async checkpoint(last: ShardRecord): Promise<void> {
    this.checkpointed = last.SequenceNumber;
  }

  rewind(firstUnhandled: ShardRecord | undefined): void {
    this.resumeAt ??= firstUnhandled?.SequenceNumber;
    this.reader.reopen();
  }

  toEvent(records: readonly ShardRecord[]): KinesisStreamEvent {
    return toKinesisEvent(records, this.source);
  }

  outcome(response: unknown, records: readonly ShardRecord[]) {
    const sequences = records.map((r) => r.SequenceNumber);
    return interpretResponse(response, sequences, this.reportBatchItemFailures);
  }

  idOf(record: ShardRecord): string {
    return record.SequenceNumber;
  }

  // base64 of the data, plus the record's envelope
  sizeOf(record: ShardRecord): number {
    return record.Data.length * 1.34 + 400;
  }

  arrivalOf(record: ShardRecord): number {
    return record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  }

  batchInfo(records: readonly ShardRecord[]): BatchInfo {
    const first = records[0];
    const last = records[records.length - 1];
    const arrival = (record: ShardRecord | undefined) =>
      record?.ApproximateArrivalTimestamp?.toISOString() ?? null;
    const start = first?.SequenceNumber ?? null;
    const end = last?.SequenceNumber ?? null;
    return {
      field: 'KinesisBatchInfo',
      name: `${this.source.shardId}-${start}-${end}`,
      info: {
        shardId: this.source.shardId,
        startSequenceNumber: start,
        endSequenceNumber: end,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: this.source.streamArn,
      },
    };
  }
}
