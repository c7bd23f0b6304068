/**
 * One partition's log on disk, as Kafka keeps it: segment files of record batches (offsets rewritten,
 * served to Fetch as is), rolled at `segmentBytes`, deleted oldest first past `retentionBytes` or
 * `retentionMs`. Memory holds only each segment's sparse index and the idempotent producers' recent
 * sequences, so a long run's memory stays flat. Idempotent producers are de-duplicated by
 * (producer id, epoch, sequence) as a Kafka broker does; that state is rebuilt from the batches on
 * open, as Kafka rebuilds it from its log.
 */

import { fsync, mkdirSync, readdirSync } from 'node:fs';
import {
  ErrorCode,
  type OffsetRecord,
  type RecordBatch,
  RecordBatchError,
  recordsFrom,
} from '../../libs/kafka/protocol';
import { pause } from '../../libs/retry';
import { PartitionLogError } from './errors';
import { parseSegmentFileName, Segment, type StoredBatchHeader } from './segment';

/** One record as the in-process API returns it. */
export type StoredRecord = OffsetRecord;

/** How a partition log keeps its segments (Kafka's names in brackets). */
export interface LogSettings {
  /** Roll to a new segment past this size [`log.segment.bytes`]. */
  readonly segmentBytes: number;
  /** Delete the oldest segments while the rest still hold this much [`log.retention.bytes`]; -1: no limit. */
  readonly retentionBytes: number;
  /** Delete segments whose newest batch is older than this [`log.retention.ms`]; -1: no limit. */
  readonly retentionMs: number;
  /**
   * 0: each Produce is answered only after an fsync covering its batches (group commit: the batches
   * written while one fsync runs share the next). N > 0: batches are written with write(2) before the
   * answer (a killed process loses nothing) and fsynced at most N ms later [`log.flush.interval.ms`].
   */
  readonly flushIntervalMs: number;
}

/**
 * Defaults for a laptop: 64 MiB segments, 1 GiB or 7 days per partition (Kafka: 1 GiB segments, no
 * size limit, 7 days), batches written before the answer and fsynced within a second (Kafka leaves
 * fsync to the OS). An fsync per Produce costs 16× in throughput here (docs/benchmarks.md, soak).
 */
export const DEFAULT_LOG_SETTINGS: LogSettings = {
  segmentBytes: 64 * 1024 * 1024,
  retentionBytes: 1024 * 1024 * 1024,
  retentionMs: 7 * 24 * 3600 * 1000,
  flushIntervalMs: 1000,
};

interface ProducerState {
  epoch: number;
  lastSequence: number;
  /** The last few batches, so a retried batch gets its first offset back instead of a duplicate. */
  recent: { firstSequence: number; baseOffset: number }[];
}

const RECENT_BATCHES = 5;

/** The records of one topic partition, in offset order from its log start offset. */
export class PartitionLog {
  private readonly segments: Segment[] = [];
  private readonly producers = new Map<bigint, ProducerState>();
  private readonly waiters = new Set<() => void>();
  private written = 0;
  private synced = 0;
  private syncing = false;
  private readonly syncWaiters: { upTo: number; done: (error?: Error) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** Bytes cut from a torn last batch when the log was opened (a crash mid-write). */
  readonly recoveredBytes: number;

  /** Opens (or creates) the log kept in `dir`, recovering the last segment as Kafka does. */
  constructor(
    readonly where: string,
    readonly dir: string,
    private readonly settings: LogSettings = DEFAULT_LOG_SETTINGS,
  ) {
    mkdirSync(dir, { recursive: true });
    const bases = readdirSync(dir)
      .map(parseSegmentFileName)
      .filter((base): base is number => base !== undefined)
      .sort((a, b) => a - b);
    let truncated = 0;
    bases.forEach((base, i) => {
      const opened = Segment.open(dir, base, i === bases.length - 1, (header) =>
        this.rememberSequence(header),
      );
      truncated += opened.truncatedBytes;
      this.segments.push(opened.segment);
    });
    this.recoveredBytes = truncated;
    if (this.segments.length === 0) this.segments.push(Segment.create(dir, 0));
    if (settings.flushIntervalMs > 0) {
      this.flushTimer = setInterval(() => void this.flushed(true), settings.flushIntervalMs);
      this.flushTimer.unref();
    }
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** The offset the next record will get (the high watermark: every record is committed at once). */
  get endOffset(): number {
    return this.active.nextOffset;
  }

  /** The first offset still in the log (Kafka's log start offset: older segments were deleted). */
  get startOffset(): number {
    return this.segments[0]!.baseOffset;
  }

  /** Bytes of every segment. */
  get sizeBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  /** Appends a batch with write(2) and returns its first offset (the earlier one for a retried idempotent batch). */
  append(batch: RecordBatch): number {
    const duplicate = this.checkSequence(batch);
    if (duplicate !== undefined) return duplicate;
    const baseOffset = this.endOffset;
    const bytes = Buffer.from(batch.bytes);
    bytes.writeBigInt64BE(BigInt(baseOffset), 0);
    bytes.writeInt32BE(0, 12);
    if (this.active.size > 0 && this.active.size + bytes.length > this.settings.segmentBytes) this.roll();
    const header = this.active.append(bytes);
    this.written++;
    this.rememberSequence(header);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    return baseOffset;
  }

  // Kafka flushes a segment when it rolls; the new one starts at the next offset.
  private roll(): void {
    const old = this.active;
    old.sync();
    // Its file stays open until it is deleted: an fsync of it may still be under way.
    this.segments.push(Segment.create(this.dir, old.nextOffset));
  }

  /**
   * Resolves once every batch appended so far is on the device (fsync). With `flushIntervalMs` > 0
   * it resolves at once unless `force`: the timer flushes.
   */
  flushed(force = false): Promise<void> {
    if (!force && this.settings.flushIntervalMs > 0) return Promise.resolve();
    if (this.synced >= this.written) return Promise.resolve();
    const upTo = this.written;
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ upTo, done: (error) => (error ? reject(error) : resolve()) });
      this.startSync();
    });
  }

  private startSync(): void {
    if (this.syncing || this.syncWaiters.length === 0) return;
    this.syncing = true;
    const upTo = this.written;
    fsync(this.active.handle(), (error) => {
      this.syncing = false;
      if (!error) this.synced = Math.max(this.synced, upTo);
      const ready = this.syncWaiters.filter((w) => error || w.upTo <= upTo);
      for (const w of ready) this.syncWaiters.splice(this.syncWaiters.indexOf(w), 1);
      for (const w of ready) w.done(error ?? undefined);
      this.startSync();
    });
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

  private rememberSequence(batch: StoredBatchHeader): void {
    if (batch.producerId < 0n) return;
    const state = this.producers.get(batch.producerId);
    const entry = { firstSequence: batch.baseSequence, baseOffset: batch.baseOffset };
    const lastSequence = batch.baseSequence + (batch.lastOffset - batch.baseOffset);
    if (!state || state.epoch !== batch.producerEpoch) {
      this.producers.set(batch.producerId, { epoch: batch.producerEpoch, lastSequence, recent: [entry] });
      return;
    }
    state.lastSequence = lastSequence;
    state.recent.push(entry);
    if (state.recent.length > RECENT_BATCHES) state.recent.shift();
  }

  /** The largest producer id seen in the log, or -1n. */
  maxProducerId(): bigint {
    let max = -1n;
    for (const id of this.producers.keys()) if (id > max) max = id;
    return max;
  }

  private segmentOf(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Up to `maxRecords` records from `offset` on (fewer at the end of the log), read from disk. */
  read(offset: number, maxRecords: number): StoredRecord[] {
    if (offset < this.startOffset) {
      throw new PartitionLogError(
        `${this.where}: offset ${offset} was deleted by retention (the log starts at ${this.startOffset})`,
      );
    }
    const records: StoredRecord[] = [];
    let at = offset;
    while (records.length < maxRecords && at < this.endOffset) {
      const read = recordsFrom(this.fetch(at, 1024 * 1024), at, this.where, maxRecords - records.length);
      const last = read[read.length - 1];
      if (last === undefined) break;
      records.push(...read);
      at = last.offset + 1;
    }
    return records;
  }

  /**
   * The stored batches from the one holding `offset`, up to about `maxBytes` (always at least one
   * batch, as Kafka does, so a large batch cannot stall a consumer), from one segment.
   */
  fetch(offset: number, maxBytes: number): Buffer {
    if (offset >= this.endOffset || offset < this.startOffset) return Buffer.alloc(0);
    let i = this.segmentOf(offset);
    while (i < this.segments.length - 1 && offset >= this.segments[i]!.nextOffset) i++;
    const segment = this.segments[i]!;
    let start = -1;
    let end = -1;
    segment.walk(offset, (header) => {
      if (header.lastOffset < offset) return true;
      if (start < 0) start = header.position;
      else if (header.position + header.size - start > maxBytes) return false;
      end = header.position + header.size;
      return true;
    });
    return start < 0 ? Buffer.alloc(0) : segment.readAt(start, end - start);
  }

  /** The first record whose timestamp is at or after `timestamp`, or undefined when none is. */
  offsetForTimestamp(timestamp: number): StoredRecord | undefined {
    for (const segment of this.segments) {
      if (segment.maxTimestamp < timestamp) continue;
      let found: number | undefined;
      segment.walk(segment.baseOffset, (header) => {
        if (header.maxTimestamp >= timestamp) found = header.baseOffset;
        return found === undefined;
      });
      if (found === undefined) continue;
      const record = this.read(found, 100_000).find((r) => r.timestamp >= timestamp);
      if (record) return record;
    }
    return undefined;
  }

  /** The record with the largest timestamp (the earliest of equals), or undefined for an empty log. */
  maxTimestampRecord(): StoredRecord | undefined {
    let best: Segment | undefined;
    for (const s of this.segments) if (s.size > 0 && (!best || s.maxTimestamp > best.maxTimestamp)) best = s;
    if (!best) return undefined;
    const max = best.maxTimestamp;
    let found: number | undefined;
    best.walk(best.baseOffset, (header) => {
      if (header.maxTimestamp === max) found = header.baseOffset;
      return found === undefined;
    });
    if (found === undefined) return undefined;
    return this.read(found, 100_000).find((r) => r.timestamp === max);
  }

  /**
   * Deletes the oldest segments past the retention by size or age, never the active one and never
   * one holding an offset at or after `keepFrom` (the consumers' committed offsets: locally nothing
   * unconsumed is deleted). Returns the number of segments deleted.
   */
  applyRetention(now: number, keepFrom = Number.POSITIVE_INFINITY): number {
    const { retentionBytes, retentionMs } = this.settings;
    let total = this.sizeBytes;
    let deleted = 0;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const newest = oldest.maxTimestamp >= 0 ? oldest.maxTimestamp : oldest.modifiedAt;
      const bySize = retentionBytes >= 0 && total - oldest.size >= retentionBytes;
      const byAge = retentionMs >= 0 && now - newest > retentionMs;
      if (!(bySize || byAge) || oldest.nextOffset > keepFrom) break;
      oldest.delete();
      this.segments.shift();
      total -= oldest.size;
      deleted++;
    }
    return deleted;
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

  /** Flushes the active segment to the device and closes every file (after an fsync under way). */
  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    while (this.syncing) await pause(1);
    this.active.sync();
    this.synced = this.written;
    for (const s of this.segments) s.close();
  }
}
