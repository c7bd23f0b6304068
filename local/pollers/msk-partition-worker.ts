import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { Context, MSKEvent } from 'aws-lambda';
import { maybeFail } from '../../libs/chaos';
import type { ObjectStore } from '../../libs/storage';
import type { KafkaBroker, StoredRecord } from '../kafka';
import { batchLength } from './batching';
import { createLambdaContext, withTimeout } from './lambda-context';
import { type MskEventSource, toMskEvent } from './msk-event';
import { writeMskOnFailureRecord } from './msk-on-failure';

/** A Lambda handler for MSK events; anything it resolves is success, a rejection fails the batch. */
export type MskHandler = (event: MSKEvent, context: Context) => Promise<unknown>;

/** The event source mapping's settings, as Lambda names them. */
export interface MskMappingSettings {
  readonly functionName: string;
  readonly handler: MskHandler;
  readonly groupId: string;
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly pollIntervalMs: number;
  readonly maxPayloadBytes: number;
  readonly timeoutMs: number;
  readonly region: string;
  readonly onFailure: ObjectStore | undefined;
  readonly log: (message: string, details: Record<string, unknown>) => void;
}

/**
 * One topic-partition's consumer, with Lambda's semantics: batches in offset order, one invocation at
 * a time, the group's committed offset moved only past handled records, bounded retries, bisect on
 * error and the on-failure destination. The chaos step `msk-poller:before-commit` crashes between the
 * invocation and the commit, so the batch is read and delivered again.
 */
export class MskPartitionWorker {
  /** When the latest read that found nothing (with nothing pending) started; undefined while busy. */
  caughtUpAt: number | undefined;
  private cursor: number;
  private buffer: StoredRecord[] = [];
  private bufferedAt = 0;
  // Batches to (re)try before reading on: bisected halves, in order.
  private plan: StoredRecord[][] = [];
  private attempts = 0;
  private invokes = 0;

  constructor(
    private readonly broker: KafkaBroker,
    private readonly source: MskEventSource,
    private readonly settings: MskMappingSettings,
    startOffset: number,
  ) {
    const committed = broker.committedOffset(settings.groupId, source.topic, source.partition);
    if (committed === undefined)
      broker.commitOffset(settings.groupId, source.topic, source.partition, startOffset);
    this.cursor = committed ?? startOffset;
  }

  /** The group's committed offset: the next offset to deliver. */
  get committed(): number {
    return this.broker.committedOffset(this.settings.groupId, this.source.topic, this.source.partition) ?? 0;
  }

  /** Runs until `signal` aborts (after the invocation under way). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let invoked = false;
      try {
        invoked = await this.step();
      } catch (error) {
        if (signal.aborted) break;
        this.settings.log('partition step failed; trying again', { ...this.where(), error });
      }
      if (!invoked) await wait(this.settings.pollIntervalMs, undefined, { signal }).catch(() => {});
    }
  }

  private where() {
    return { topic: this.source.topic, partition: this.source.partition };
  }

  // One read when nothing is planned and, if a batch is ready, one invocation; resolves whether it invoked.
  private async step(): Promise<boolean> {
    const readAt = Date.now();
    let emptyRead = false;
    if (this.plan.length === 0 && this.buffer.length < this.settings.batchSize) {
      const records = this.broker.read(this.source.topic, this.source.partition, this.cursor, 10_000);
      if (records.length > 0 && this.buffer.length === 0) this.bufferedAt = Date.now();
      this.buffer.push(...records);
      this.cursor = records.length > 0 ? records[records.length - 1]!.offset + 1 : this.cursor;
      emptyRead = records.length === 0;
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

  // The head of the plan, or a new batch from the buffer once it is full or its window has passed.
  private nextBatch(): StoredRecord[] | undefined {
    if (this.plan.length > 0) return this.plan[0];
    if (this.buffer.length === 0) return undefined;
    const full = this.buffer.length >= this.settings.batchSize;
    if (!full && Date.now() - this.bufferedAt < this.settings.batchingWindowMs) return undefined;
    const { batchSize, maxPayloadBytes } = this.settings;
    // base64 of key and value, plus the record's envelope
    const count = batchLength(this.buffer, batchSize, maxPayloadBytes, (record) => {
      return ((record.value?.length ?? 0) + (record.key?.length ?? 0)) * 1.34 + 200;
    });
    const batch = this.buffer.splice(0, count);
    this.bufferedAt = Date.now();
    this.plan.push(batch);
    return batch;
  }

  private async invoke(batch: StoredRecord[]): Promise<void> {
    const event = toMskEvent(batch, this.source);
    const context = createLambdaContext({
      functionName: this.settings.functionName,
      region: this.settings.region,
      timeoutMs: this.settings.timeoutMs,
    });
    this.invokes++;
    let failure: string | undefined;
    try {
      await withTimeout(this.settings.handler(event, context), this.settings.timeoutMs);
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    try {
      maybeFail('msk-poller:before-commit');
    } catch {
      this.crash();
      return;
    }
    if (failure === undefined) return this.advance(batch);
    if (this.settings.bisectBatchOnFunctionError && batch.length > 1) {
      // Splitting a batch does not consume the retry quota (Lambda's rule).
      const half = Math.ceil(batch.length / 2);
      this.plan.splice(0, 1, batch.slice(0, half), batch.slice(half));
      return;
    }
    return this.retryOrGiveUp(batch, failure, event, context.awsRequestId);
  }

  // A crash of the poller itself: everything not committed is read again and delivered again.
  private crash(): void {
    this.settings.log('poller crashed before committing; re-reading the partition', {
      ...this.where(),
      committed: this.committed,
    });
    this.plan = [];
    this.buffer = [];
    this.cursor = this.committed;
  }

  private advance(records: StoredRecord[]): void {
    const next = records[records.length - 1]!.offset + 1;
    this.broker.commitOffset(this.settings.groupId, this.source.topic, this.source.partition, next);
    this.plan.shift();
    this.attempts = 0;
    this.invokes = 0;
  }

  private async retryOrGiveUp(records: StoredRecord[], reason: string, event: MSKEvent, requestId: string) {
    this.attempts++;
    if (this.attempts <= this.settings.maximumRetryAttempts) return;
    const { onFailure, functionName, region } = this.settings;
    const failed = {
      functionName,
      functionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
      clusterArn: this.source.clusterArn,
      bootstrapServers: this.source.bootstrapServers,
      topic: this.source.topic,
      partition: this.source.partition,
      records,
      event,
      invokeCount: this.invokes,
      reason,
      requestId: requestId || randomUUID(),
    };
    const key = onFailure ? await writeMskOnFailureRecord(onFailure, failed) : undefined;
    this.settings.log('retries exhausted; batch sent to the on-failure destination', {
      ...this.where(),
      firstOffset: records[0]?.offset,
      lastOffset: records[records.length - 1]?.offset,
      reason,
      key,
    });
    this.advance(records);
  }
}
