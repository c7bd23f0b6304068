import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { PollerError } from './errors';
import type { ShardRecord } from './kinesis-event';

/** Where a shard's reading starts when nothing has been processed yet. */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** The position to (re)open a shard at. */
export type ShardPosition =
  | { readonly type: StartingPosition }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** One GetRecords answer: the records, and whether the shard is closed and fully read. */
export interface ShardRead {
  readonly records: ShardRecord[];
  readonly closed: boolean;
}

/**
 * Reads one shard in order with GetShardIterator + GetRecords, reopening the iterator at a given
 * position (after a crash, or when an iterator expires after 5 minutes).
 */
export class ShardReader {
  private iterator: string | undefined;

  constructor(
    private readonly client: KinesisClient,
    readonly streamName: string,
    readonly shardId: string,
  ) {}

  /** Forgets the iterator; the next read opens the shard at `position`. */
  reopen(): void {
    this.iterator = undefined;
  }

  /** Up to `limit` records from the current iterator, opening it at `position` when needed. */
  async read(position: ShardPosition, limit: number): Promise<ShardRead> {
    this.iterator ??= await this.open(position);
    let output: Awaited<ReturnType<typeof this.getRecords>>;
    try {
      output = await this.getRecords(this.iterator, limit);
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'ExpiredIteratorException') throw error;
      this.iterator = await this.open(position);
      output = await this.getRecords(this.iterator, limit);
    }
    this.iterator = output.NextShardIterator;
    const records = (output.Records ?? []).map((r) => ({
      SequenceNumber: r.SequenceNumber ?? '',
      Data: r.Data ?? new Uint8Array(),
      PartitionKey: r.PartitionKey ?? '',
      ApproximateArrivalTimestamp: r.ApproximateArrivalTimestamp,
    }));
    return { records, closed: output.NextShardIterator === undefined || output.NextShardIterator === null };
  }

  private getRecords(iterator: string, limit: number) {
    return this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
  }

  private async open(position: ShardPosition): Promise<string> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: this.shardId,
        ShardIteratorType: position.type,
        StartingSequenceNumber: 'sequenceNumber' in position ? position.sequenceNumber : undefined,
      }),
    );
    if (!ShardIterator)
      throw new PollerError(`Kinesis gave no iterator for ${this.streamName}/${this.shardId}`);
    return ShardIterator;
  }
}
