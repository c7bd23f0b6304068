import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { maybeFail } from '../../libs/chaos';
import { batchLength } from './batching';
import type { BatchOutcome, MappingSettings, SourcePartition } from './event-source';
import { createLambdaContext, withTimeout } from './lambda-context';
import { type GiveUpCondition, writeOnFailureRecord } from './on-failure';

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * One shard's or partition's consumer, with Lambda's event-source semantics whatever the source: batches
 * in order, one invocation at a time (ParallelizationFactor 1), the batching window, the checkpoint moved
 * only past handled records, partial batch answers, bisect on error (which costs no retry), bounded
 * retries, the maximum record age, then the on-failure record. The source's chaos step crashes the poller
 * between an invocation and its checkpoint: everything not checkpointed is read and delivered again.
 */
export class SourceWorker<R, E> {
  /** When the latest read that found nothing (with nothing pending) started; undefined while busy. */
  caughtUpAt: number | undefined;
  /** Whether the source is closed and fully handled (a closed Kinesis shard). */
  closed = false;
  private buffer: R[] = [];
  private bufferedAt = 0;
  // Batches to (re)try before reading on: bisected halves and partial-failure remainders, in order.
  private plan: R[][] = [];
  private attempts = 0;
  private invokes = 0;

  constructor(
    private readonly source: SourcePartition<R, E>,
    private readonly settings: MappingSettings<E>,
  ) {}

  /** Runs until the source is closed and handled, or `signal` aborts (after the invocation under way). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.closed) {
      let invoked = false;
      try {
        invoked = await this.step();
      } catch (error) {
        if (signal.aborted) break;
        this.settings.log('poller step failed; trying again', { ...this.source.where, error });
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
      const read = await this.source.read(10_000);
      if (read.records.length > 0 && this.buffer.length === 0) this.bufferedAt = Date.now();
      this.buffer.push(...read.records);
      emptyRead = read.records.length === 0;
      this.closed = read.closed && this.buffer.length === 0;
    }
    const batch = this.nextBatch();
    if (batch) {
      this.caughtUpAt = undefined;
      await this.deliver(batch);
      return true;
    }
    this.caughtUpAt = emptyRead && this.buffer.length === 0 ? readAt : undefined;
    return false;
  }

  // The head of the plan, or a new batch from the buffer once it is full or its window has passed.
  private nextBatch(): R[] | undefined {
    if (this.plan.length > 0) return this.plan[0];
    if (this.buffer.length === 0) return undefined;
    const { batchSize, batchingWindowMs, maxPayloadBytes } = this.settings;
    const full = this.buffer.length >= batchSize;
    if (!full && Date.now() - this.bufferedAt < batchingWindowMs) return undefined;
    const count = batchLength(this.buffer, batchSize, maxPayloadBytes, (r) => this.source.sizeOf(r));
    const batch = this.buffer.splice(0, count);
    this.bufferedAt = Date.now();
    this.plan.push(batch);
    return batch;
  }

  // Gives up on the records past the maximum age at the head of the batch, then invokes the rest.
  private async deliver(batch: R[]): Promise<void> {
    const { maximumRecordAgeMs } = this.settings;
    const now = Date.now();
    const expired =
      maximumRecordAgeMs < 0
        ? 0
        : batch.findIndex((r) => now - this.source.arrivalOf(r) <= maximumRecordAgeMs);
    if (expired === 0) return this.invoke(batch);
    const old = expired < 0 ? batch : batch.slice(0, expired);
    const age = `older than the maximum record age of ${maximumRecordAgeMs / 1000} s`;
    await this.giveUp(old, 'RecordAgeExceeded', `${old.length} record(s) ${age}`, randomUUID());
    await this.advance(old, expired < 0 ? undefined : batch.slice(expired));
  }

  private async invoke(batch: R[]): Promise<void> {
    const { functionName, region, timeoutMs, handler } = this.settings;
    const context = createLambdaContext({ functionName, region, timeoutMs });
    this.invokes++;
    let outcome: BatchOutcome;
    try {
      const response = await withTimeout(handler(this.source.toEvent(batch), context), timeoutMs);
      outcome = this.source.outcome(response, batch);
    } catch (error) {
      outcome = { kind: 'error', reason: describe(error) };
    }
    try {
      maybeFail(this.source.crashStep);
    } catch {
      this.crash();
      return;
    }
    await this.settle(batch, outcome, context.awsRequestId);
  }

  // A crash of the poller itself: everything not checkpointed is read again and delivered again.
  private crash(): void {
    this.settings.log('poller crashed before its checkpoint; reading again from it', this.source.where);
    this.source.rewind(this.plan[0]?.[0] ?? this.buffer[0]);
    this.plan = [];
    this.buffer = [];
  }

  private async settle(batch: R[], outcome: BatchOutcome, requestId: string): Promise<void> {
    if (outcome.kind === 'success') return this.advance(batch);
    if (outcome.kind === 'partial') {
      const done = batch.slice(0, outcome.failedIndex);
      const rest = batch.slice(outcome.failedIndex);
      if (done.length > 0) await this.advance(done, rest);
      const first = rest[0] === undefined ? '' : this.source.idOf(rest[0]);
      return this.retryOrGiveUp(rest, `partial batch failure at ${first}`, requestId);
    }
    if (this.settings.bisectBatchOnFunctionError && batch.length > 1) {
      // Splitting a batch does not consume the retry quota (Lambda's rule).
      const half = Math.ceil(batch.length / 2);
      this.plan.splice(0, 1, batch.slice(0, half), batch.slice(half));
      return;
    }
    return this.retryOrGiveUp(batch, outcome.reason, requestId);
  }

  // Checkpoints past `records`; `rest` (if any) replaces the plan's head. A failed checkpoint leaves
  // the plan as it was, so the records are delivered again.
  private async advance(records: R[], rest?: R[]): Promise<void> {
    const last = records[records.length - 1];
    if (last !== undefined) await this.source.checkpoint(last);
    if (rest) this.plan[0] = rest;
    else this.plan.shift();
    this.attempts = 0;
    if (!rest) this.invokes = 0;
  }

  private async retryOrGiveUp(records: R[], reason: string, requestId: string): Promise<void> {
    this.attempts++;
    const { maximumRetryAttempts } = this.settings;
    if (maximumRetryAttempts < 0 || this.attempts <= maximumRetryAttempts) {
      this.plan[0] = records;
      return;
    }
    await this.giveUp(records, 'RetryAttemptsExhausted', reason, requestId);
    await this.advance(records);
  }

  private async giveUp(records: R[], condition: GiveUpCondition, reason: string, requestId: string) {
    const { onFailure, functionName, region } = this.settings;
    const batch = this.source.batchInfo(records);
    const failed = {
      functionName,
      functionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
      condition,
      batch,
      event: this.source.toEvent(records),
      invokeCount: this.invokes,
      reason,
      requestId,
    };
    const key = onFailure ? await writeOnFailureRecord(onFailure, failed) : undefined;
    const note =
      condition === 'RecordAgeExceeded'
        ? 'records past the maximum age; sent to the on-failure destination'
        : 'retries exhausted; batch sent to the on-failure destination';
    this.settings.log(note, { ...this.source.where, records: batch.name, reason, key });
  }
}
