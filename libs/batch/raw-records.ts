/**
 * The records of one raw data file, held as the file's bytes plus each record's position: no Buffer,
 * string or object per record until one is asked for, so batch-clean can read a file of 10,000 records
 * with a handful of allocations.
 */
import { isAscii } from 'node:buffer';
import {
  type CleanMeta,
  type CleanResult,
  cleanAsciiRecord,
  cleanRecordText,
  type Kind,
  MAX_RECORD_BYTES,
} from '../records';

/**
 * Records are decoded in groups of about this many bytes: one Latin-1 string per group, small enough
 * to be allocated in V8's young generation and die there, where one string per file (megabytes) would go
 * to the large-object space and make the old generation collect after every few files.
 */
const GROUP_BYTES = 64 * 1024;

/**
 * A raw file's records, in offset order: record `i` has offset `startOffset + i`, the bytes
 * `[start(i), end(i))` of the file, and a Kafka timestamp (or the file's landing time). Text is decoded
 * a group of records at a time as they are read in order: an all-ASCII record reads as a slice of its
 * group's Latin-1 string, any other record is decoded on its own as UTF-8 (invalid sequences as
 * U+FFFD), exactly as its bytes alone would decode.
 */
export class RawRecords {
  /** How many records the file holds. */
  readonly count: number;
  private group = '';
  /** The group decoded last: records [groupFirst, groupEnd), starting at byte groupStart. */
  private groupFirst = 0;
  private groupEnd = 0;
  private groupStart = 0;
  /** 1 for the records of the group that hold a byte above 0x7F. */
  private readonly wide: Uint8Array;

  /**
   * `data` is the whole file and `startOffset` the offset of its first record; `starts`/`ends` are the
   * byte bounds of each record in `data`; `timestamps` is one Kafka timestamp per record (ms since the
   * epoch; NaN where the landing had none) or one time for all of them; `landedAt` is when the file
   * was landed (ms since the epoch).
   */
  constructor(
    readonly data: Buffer,
    readonly startOffset: number,
    private readonly starts: Float64Array,
    private readonly ends: Float64Array,
    private readonly timestamps: Float64Array | number,
    readonly landedAt: number = typeof timestamps === 'number' ? timestamps : Number.NaN,
  ) {
    this.count = starts.length;
    this.wide = new Uint8Array(this.count);
  }

  /** The Kafka offset of record `i`. */
  offset(i: number): number {
    return this.startOffset + i;
  }

  /** The Kafka timestamp of record `i` (ms since the epoch), or the landing time of an unindexed file. */
  timestamp(i: number): number {
    const { timestamps } = this;
    return typeof timestamps === 'number' ? timestamps : timestamps[i]!;
  }

  /** The length of record `i` in bytes. */
  byteLength(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /**
   * The index after the last record of the slice that starts at record `first` and spans about
   * `bytes` bytes of the file: at least one record, at most to the end.
   */
  endOfSlice(first: number, bytes: number): number {
    const { starts, ends } = this;
    const limit = starts[first]! + bytes;
    let end = first + 1;
    while (end < this.count && ends[end]! <= limit) end++;
    return end;
  }

  /** The bytes of record `i`: a view of the file, no copy. */
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
   * Record `i` cleaned as a `kind` record: what `cleanRecordText` gives for its {@link text}, read
   * faster. A record over the size limit is quarantined by its length alone, never turned into text.
   */
  clean<K extends Kind>(kind: K, i: number, meta: CleanMeta): CleanResult<K> {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end - start > MAX_RECORD_BYTES) return cleanRecordText(kind, '', end - start, meta);
    if (i < this.groupFirst || i >= this.groupEnd) this.decodeGroup(i);
    if (this.wide[i]) return cleanRecordText(kind, this.data.toString('utf8', start, end), end - start, meta);
    return cleanAsciiRecord(kind, this.data, start, end, this.group, this.groupStart, meta);
  }

  // Decodes the records from `first` on, up to GROUP_BYTES (at least one record), as one Latin-1
  // string, and marks which of them hold a byte above 0x7F (those are read as UTF-8).
  private decodeGroup(first: number): void {
    const { starts, ends, wide } = this;
    const from = starts[first]!;
    let last = first + 1;
    while (last < this.count && ends[last]! - from <= GROUP_BYTES) last++;
    const to = ends[last - 1]!;
    const text = this.data.toString('latin1', from, to);
    this.group = text;
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

/**
 * The records of a file whose value lengths are known (from its index): each followed by one newline.
 * A null timestamp (the landing had none) reads as NaN.
 */
export function recordsByLength(
  data: Buffer,
  startOffset: number,
  lengths: readonly number[],
  timestamps: readonly (number | null)[],
  landedAt = Number.NaN,
): RawRecords {
  const starts = new Float64Array(lengths.length);
  const ends = new Float64Array(lengths.length);
  // Typed arrays keep their numbers off the JavaScript heap while the file waits its turn.
  const times = new Float64Array(timestamps.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    starts[i] = at;
    at += lengths[i]!;
    ends[i] = at;
    at++;
  }
  // A loop, not Float64Array.from with a mapping function: that call cost as much as the rest here.
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    times[i] = typeof t === 'number' ? t : Number.NaN;
  }
  return new RawRecords(data, startOffset, starts, ends, times, landedAt);
}

/** The records of a file split at newlines (a last line without one counts too), all stamped `timestamp`. */
export function recordsByLine(data: Buffer, startOffset: number, timestamp: number): RawRecords {
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  while (start < data.byteLength) {
    let end = data.indexOf(10, start);
    if (end < 0) end = data.byteLength;
    starts.push(start);
    ends.push(end);
    start = end + 1;
  }
  return new RawRecords(data, startOffset, Float64Array.from(starts), Float64Array.from(ends), timestamp);
}
