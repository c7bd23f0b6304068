/**
 * Records held as one buffer's bytes and each record's bounds, read as text only when asked: the one
 * way both paths turn a batch of raw records into text and clean rows (stream-to-delta's decoded
 * Kinesis batch, batch-clean's raw file).
 */
import { isAscii } from 'node:buffer';
import { cleanAsciiRecord, cleanRecordText } from './clean-record';
import type { CleanMeta, CleanResult } from './clean-types';
import { MAX_RECORD_BYTES } from './parse';
import type { Kind } from './tables';

/**
 * Records are read as text a group of about this many bytes at a time: one Latin-1 string per group,
 * small enough to be allocated in V8's young generation and die there, where one string per batch or
 * file (a megabyte or more) would be a fresh large object whose every page the kernel has to fault in,
 * and would make the old generation collect after every few of them.
 */
const GROUP_BYTES = 64 * 1024;

/**
 * The most bytes one {@link RecordTexts} holds: record bounds are 32-bit integers, which keep every
 * index a small integer on the hot path (a Lambda payload is 6 MB, a raw file tens of MB).
 */
export const MAX_RECORDS_BYTES = 0x7fff_ffff;

/**
 * Records `0 … count - 1`, record `i` the bytes `[starts[i], ends[i])` of `data`. An all-ASCII record's
 * text is a slice of its group's Latin-1 string; a record holding any byte above 0x7F (UTF-8 beyond
 * ASCII, a byte-order mark, invalid bytes) is decoded on its own as UTF-8 (invalid sequences as U+FFFD),
 * so every record reads exactly as its bytes alone decode. No Buffer, string or object per record until
 * one is asked for.
 */
export class RecordTexts {
  /** How many records there are. */
  readonly count: number;
  /** 1 for the records of the groups read so far that hold a byte above 0x7F. */
  private readonly wide: Uint8Array;
  private group = '';
  /** The group decoded last: records [groupFirst, groupEnd), starting at byte groupStart. */
  private groupFirst = 0;
  private groupEnd = 0;
  private groupStart = 0;

  /** `starts` and `ends` as small integers: a buffer over 2 GiB is refused ({@link MAX_RECORDS_BYTES}). */
  constructor(
    protected data: Buffer,
    protected readonly starts: Int32Array,
    protected readonly ends: Int32Array,
  ) {
    if (data.length > MAX_RECORDS_BYTES) {
      throw new RangeError(`records of ${data.length} bytes: at most ${MAX_RECORDS_BYTES} are read at once`);
    }
    this.count = starts.length;
    this.wide = new Uint8Array(this.count);
  }

  /** The length of record `i` in bytes. */
  byteLength(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** The bytes of record `i`: a view of the buffer, no copy. */
  bytes(i: number): Buffer {
    return this.data.subarray(this.starts[i]!, this.ends[i]!);
  }

  /** The text of record `i`: its bytes as UTF-8, invalid sequences as U+FFFD. */
  text(i: number): string {
    if (i < this.groupFirst || i >= this.groupEnd) this.decodeGroup(i);
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (this.wide[i]) return this.data.toString('utf8', start, end);
    return this.group.slice(start - this.groupStart, end - this.groupStart);
  }

  /**
   * Record `i` cleaned as a `kind` record: what `cleanRecordText` gives for its {@link RecordTexts.text},
   * read faster (`cleanAsciiRecord`). A record over the size limit is quarantined by its length alone,
   * never turned into text.
   */
  clean<K extends Kind>(kind: K, i: number, meta: CleanMeta): CleanResult<K> {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end - start > MAX_RECORD_BYTES) return cleanRecordText(kind, '', end - start, meta);
    if (i < this.groupFirst || i >= this.groupEnd) this.decodeGroup(i);
    if (this.wide[i]) return cleanRecordText(kind, this.data.toString('utf8', start, end), end - start, meta);
    return cleanAsciiRecord(kind, this.data, start, end, this.group, this.groupStart, meta);
  }

  /** Replaces the buffer (for a subclass that gives it away) and forgets the group read from it. */
  protected replaceData(data: Buffer): void {
    this.data = data;
    this.group = '';
    this.groupFirst = 0;
    this.groupEnd = 0;
  }

  // Decodes the records from `first` on, up to GROUP_BYTES (at least one record), as one Latin-1
  // string, and marks those holding a byte above 0x7F (they are read as UTF-8).
  private decodeGroup(first: number): void {
    const { starts, ends, wide } = this;
    const from = starts[first]!;
    let last = first + 1;
    while (last < this.count && ends[last]! - from <= GROUP_BYTES) last++;
    const to = ends[last - 1]!;
    this.group = this.data.toString('latin1', from, to);
    this.groupFirst = first;
    this.groupEnd = last;
    this.groupStart = from;
    if (isAscii(this.data.subarray(from, to))) return;
    // Record by record: Node's native check over a view costs a fraction of a regular expression's scan
    // of the text (0.8 ms against 5.9 ms for 10,000 pins, half of them with non-ASCII text).
    const { buffer, byteOffset } = this.data;
    for (let record = first; record < last; record++) {
      const start = starts[record]!;
      if (!isAscii(new Uint8Array(buffer, byteOffset + start, ends[record]! - start))) wide[record] = 1;
    }
  }
}
