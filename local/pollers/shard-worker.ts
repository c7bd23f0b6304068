import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { maybeFail } from '../../libs/chaos';
import type { ObjectStore } from '../../libs/storage';
import { batchLength } from './batching';
import {
  type BatchOutcome,
  type EventSource,
  interpretResponse,
  type ShardRecord,
  toKinesisEvent,
} from './kinesis-event';
import { createLambdaContext, withTimeout } from './lambda-context';
import { writeOnFailureRecord } from './on-failure';
import type { ShardPosition, ShardReader, StartingPosition } from './shard-reader';

/**
 * A Lambda handler for Kinesis events (a middy or Powertools handler fits). Its answer is read as
 * Lambda reads it: a `KinesisStreamBatchResponse`, or nothing for full success.
 */
export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<unknown>;

/** The event source mapping's settings, as Lambda names them. */
export interface MappingSettings {
  readonly functionName: string;
  readonly handler: KinesisHandler;
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly startingPosition: StartingPosition;
  readonly pollIntervalMs: number;
  readonly maxPayloadBytes: number;
  readonly timeoutMs: number;
  readonly onFailure: ObjectStore | undefined;
  readonly log: (message: string, details: Record<string, unknown>) => void;
}

/**
 * One shard's consumer, with Lambda's semantics: batches in order, one invocation at a time, the
 * checkpoint moved only past handled records, retries, bisect and the on-failure destination.
 */
export class ShardWorker {
  /** Last sequence number handled (processed, or given up on to the on-failure destination). */
  checkpoint: string | undefined;
  /** When the latest read that found nothing (with nothing pending) started; undefined while busy. */
  caughtUpAt: number | undefined;
  closed = false;
  private buffer: ShardRecord[] = [];
  private bufferedAt = 0;
  // Batches to (re)try before reading on: bisected halves and partial-failure remainders, in order.
  private plan: ShardRecord[][] = [];
  private attempts = 0;
  private invokes = 0;
  // First record not yet handled, kept across a crash when there is no checkpoint to resume after.
  private resumeAt: string | undefined;

  constructor(
    private readonly reader: ShardReader,
    private readonly source: EventSource,
    private readonly settings: MappingSettings,
  ) {}

  /** Runs until the shard is closed and read, or `signal` aborts (after the invocation under way). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.closed) {
      let invoked = false;
      try {
        invoked = await this.step();
      } catch (error) {
        if (signal.aborted) break;
        this.settings.log('shard step failed; trying again', { shardId: this.source.shardId, error });
      }
      // Keep invoking while records are ready (Lambda catches up at once); otherwise poll again later.
      if (!invoked) await wait(this.settings.pollIntervalMs, undefined, { signal }).catch(() => {});
    }
  }

  // One read when nothing is planned and, if a batch is ready, one invocation; resolves whether it invoked.
  private async step(): Promise<boolean> {
    const readAt = Date.now();
    let emptyRead = false;
    if (this.plan.length === 0 && this.buffer.length < this.settings.batchSize) {
      const read = await this.reader.read(this.position(), 10_000);
      if (read.records.length > 0 && this.buffer.length === 0) this.bufferedAt = Date.now();
      this.buffer.push(...read.records);
      emptyRead = read.records.length === 0;
      this.closed = read.closed && this.buffer.length === 0;
    }
    const batch = this.nextBatch();
    if (batch) {
      this.caughtUpAt = undefined;
      await this.invoke(batch);
      return true;
    }
    this.caughtUpAt = emptyRead && this.buffer.length === 0 ? readAt : undefined;
    return false;
  }

  private position(): ShardPosition {
    if (this.checkpoint !== undefined)
      return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.checkpoint };
    if (this.resumeAt !== undefined) return { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: this.resumeAt };
    return { type: this.settings.startingPosition };
  }

  // The head of the plan, or a new batch from the buffer once it is full or its window has passed.
  private nextBatch(): ShardRecord[] | undefined {
    if (this.plan.length > 0) return this.plan[0];
    if (this.buffer.length === 0) return undefined;
    const full = this.buffer.length >= this.settings.batchSize;
    if (!full && Date.now() - this.bufferedAt < this.settings.batchingWindowMs) return undefined;
    const { batchSize, maxPayloadBytes } = this.settings;
    // base64 of the data, plus the record's envelope
    const count = batchLength(
      this.buffer,
      batchSize,
      maxPayloadBytes,
      (record) => record.Data.length * 1.34 + 400,
    );
    const batch = this.buffer.splice(0, count);
    this.bufferedAt = Date.now();
    this.plan.push(batch);
    return batch;
  }

  private async invoke(batch: ShardRecord[]): Promise<void> {
    const event = toKinesisEvent(batch, this.source);
    const context = createLambdaContext({
      functionName: this.settings.functionName,
      region: this.source.region,
      timeoutMs: this.settings.timeoutMs,
    });
    this.invokes++;
    let outcome: BatchOutcome;
    try {
      const response = await withTimeout(this.settings.handler(event, context), this.settings.timeoutMs);
      const sequences = batch.map((r) => r.SequenceNumber);
      outcome = interpretResponse(response, sequences, this.settings.reportBatchItemFailures);
    } catch (error) {
      outcome = {
        kind: 'error',
        reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
    try {
      maybeFail('kinesis-poller:before-checkpoint');
    } catch {
      this.crash();
      return;
    }
    await this.settle(batch, outcome, event, context.awsRequestId);
  }

  // A crash of the poller itself: everything not checkpointed is read again and re-delivered.
  private crash(): void {
    this.settings.log('poller crashed before its checkpoint; re-reading the shard', {
      shardId: this.source.shardId,
      checkpoint: this.checkpoint,
    });
    this.resumeAt ??= this.plan[0]?.[0]?.SequenceNumber;
    this.plan = [];
    this.buffer = [];
    this.reader.reopen();
  }

  private async settle(
    batch: ShardRecord[],
    outcome: BatchOutcome,
    event: KinesisStreamEvent,
    requestId: string,
  ) {
    if (outcome.kind === 'success') return this.advance(batch);
    if (outcome.kind === 'partial') {
      const done = batch.slice(0, outcome.failedIndex);
      const rest = batch.slice(outcome.failedIndex);
      if (done.length > 0) this.advance(done, rest);
      return this.retryOrGiveUp(rest, `partial batch failure at ${rest[0]?.SequenceNumber}`, requestId);
    }
    if (this.settings.bisectBatchOnFunctionError && batch.length > 1) {
      // Splitting a batch does not consume the retry quota (Lambda's rule).
      const half = Math.ceil(batch.length / 2);
      this.plan.splice(0, 1, batch.slice(0, half), batch.slice(half));
      return;
    }
    return this.retryOrGiveUp(batch, outcome.reason, requestId, event);
  }

  // Marks `records` handled; `rest` (if any) replaces the plan's head.
  private advance(records: ShardRecord[], rest?: ShardRecord[]): void {
    this.checkpoint = records[records.length - 1]?.SequenceNumber ?? this.checkpoint;
    if (rest) this.plan[0] = rest;
    else this.plan.shift();
    this.attempts = 0;
    if (!rest) this.invokes = 0;
  }

  private async retryOrGiveUp(
    records: ShardRecord[],
    reason: string,
    requestId: string,
    event?: KinesisStreamEvent,
  ) {
    this.attempts++;
    if (this.attempts <= this.settings.maximumRetryAttempts) {
      this.plan[0] = records;
      return;
    }
    const { onFailure, functionName } = this.settings;
    const failed = {
      functionName,
      functionArn: `arn:aws:lambda:${this.source.region}:000000000000:function:${functionName}`,
      streamArn: this.source.streamArn,
      shardId: this.source.shardId,
      records,
      event: event ?? toKinesisEvent(records, this.source),
      invokeCount: this.invokes,
      reason,
      requestId: requestId || randomUUID(),
    };
    const key = onFailure ? await writeOnFailureRecord(onFailure, failed) : undefined;
    this.settings.log('retries exhausted; batch sent to the on-failure destination', {
      shardId: this.source.shardId,
      startSequenceNumber: records[0]?.SequenceNumber,
      endSequenceNumber: records[records.length - 1]?.SequenceNumber,
      reason,
      key,
    });
    this.advance(records);
  }
}
