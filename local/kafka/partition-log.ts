/**
 * One partition's log, in memory for the life of the broker: the batches as the producer sent them
 * (offsets rewritten, served to Fetch as is) and the decoded records (served to the in-process API).
 * Idempotent producers are de-duplicated by (producer id, epoch, sequence) as a Kafka broker does.
 */
import { ErrorCode, RecordBatchError } from '../../libs/kafka/protocol/errors';
import type { RecordBatch, RecordHeader } from '../../libs/kafka/protocol/record-batch';

/** One record as the in-process API returns it. */
export interface StoredRecord {
  readonly offset: number;
  /** CreateTime, milliseconds since the epoch. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly bytes: Buffer;
}

interface ProducerState {
  epoch: number;
  lastSequence: number;
  /** The last few batches, so a retried batch gets its first offset back instead of a duplicate. */
  recent: { firstSequence: number; baseOffset: number }[];
}

const RECENT_BATCHES = 5;

/** The records of one topic partition, in offset order from 0. */
export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private readonly records: StoredRecord[] = [];
  private readonly producers = new Map<bigint, ProducerState>();
  private readonly waiters = new Set<() => void>();

  constructor(readonly where: string) {}

  /** The offset the next record will get (the high watermark: every record is committed at once). */
  get endOffset(): number {
    return this.records.length;
  }

  /** Appends a batch and returns its first offset (the earlier one for a retried idempotent batch). */
  append(batch: RecordBatch): number {
    const duplicate = this.checkSequence(batch);
    if (duplicate !== undefined) return duplicate;
    const baseOffset = this.records.length;
    const bytes = Buffer.from(batch.bytes);
    bytes.writeBigInt64BE(BigInt(baseOffset), 0);
    bytes.writeInt32BE(0, 12);
    this.batches.push({ baseOffset, lastOffset: baseOffset + batch.lastOffsetDelta, bytes });
    for (const r of batch.records) {
      this.records.push({
        offset: baseOffset + r.offsetDelta,
        timestamp: r.timestamp,
        key: r.key,
        value: r.value,
        headers: r.headers,
      });
    }
    if (batch.producerId >= 0n) this.rememberSequence(batch, baseOffset);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    return baseOffset;
  }

  private checkSequence(batch: RecordBatch): number | undefined {
    const state = batch.producerId >= 0n ? this.producers.get(batch.producerId) : undefined;
    if (!state || state.epoch !== batch.producerEpoch) return undefined;
    const seen = state.recent.find((b) => b.firstSequence === batch.baseSequence);
    if (seen) return seen.baseOffset;
    if (batch.baseSequence !== state.lastSequence + 1) {
      throw new RecordBatchError(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `${this.where}: producer ${batch.producerId} sent sequence ${batch.baseSequence}, expected ${state.lastSequence + 1}`,
      );
    }
    return undefined;
  }

  private rememberSequence(batch: RecordBatch, baseOffset: number): void {
    const state = this.producers.get(batch.producerId);
    const entry = { firstSequence: batch.baseSequence, baseOffset };
    const lastSequence = batch.baseSequence + batch.lastOffsetDelta;
    if (!state || state.epoch !== batch.producerEpoch) {
      this.producers.set(batch.producerId, { epoch: batch.producerEpoch, lastSequence, recent: [entry] });
      return;
    }
    state.lastSequence = lastSequence;
    state.recent.push(entry);
    if (state.recent.length > RECENT_BATCHES) state.recent.shift();
  }

  /** Up to `maxRecords` records from `offset` on (fewer at the end of the log). */
  read(offset: number, maxRecords: number): StoredRecord[] {
    return this.records.slice(offset, offset + maxRecords);
  }

  /**
   * The stored batches from the one holding `offset`, up to about `maxBytes` (always at least one
   * batch, as Kafka does, so a large batch cannot stall a consumer).
   */
  fetch(offset: number, maxBytes: number): Buffer {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.batches[mid]!.lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for (let i = lo; i < this.batches.length; i++) {
      const b = this.batches[i]!.bytes;
      if (chunks.length > 0 && size + b.length > maxBytes) break;
      chunks.push(b);
      size += b.length;
    }
    return Buffer.concat(chunks);
  }

  /** The first offset whose timestamp is at or after `timestamp`, or undefined when none is. */
  offsetForTimestamp(timestamp: number): StoredRecord | undefined {
    return this.records.find((r) => r.timestamp >= timestamp);
  }

  /** The record with the largest timestamp (the earliest of equals), or undefined for an empty log. */
  maxTimestampRecord(): StoredRecord | undefined {
    let best: StoredRecord | undefined;
    for (const r of this.records) if (!best || r.timestamp > best.timestamp) best = r;
    return best;
  }

  /** Resolves after the next append or after `ms`, whichever comes first; aborting `signal` ends it early. */
  waitForData(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }
}
