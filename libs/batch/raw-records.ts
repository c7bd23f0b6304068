/**
 * The records of one raw data file, held as the file's bytes plus each record's position: no Buffer,
 * string or object per record until one is asked for, so batch-clean can read a file of 10,000 records
 * with a handful of allocations.
 */
import { RecordTexts } from '../records';

/**
 * A raw file's records, in offset order: record `i` has offset `startOffset + i`, the bytes
 * `[start(i), end(i))` of the file, and a Kafka timestamp (or the file's landing time). Text and clean
 * rows come from {@link RecordTexts}, as on the stream path.
 */
export class RawRecords extends RecordTexts {
  /**
   * `data` is the whole file and `startOffset` the offset of its first record; `starts`/`ends` are the
   * byte bounds of each record in `data`; `timestamps` is one Kafka timestamp per record (ms since the
   * epoch; NaN where the landing had none) or one time for all of them; `landedAt` is when the file
   * was landed (ms since the epoch).
   */
  constructor(
    data: Buffer,
    readonly startOffset: number,
    starts: Int32Array,
    ends: Int32Array,
    private readonly timestamps: Float64Array | number,
    readonly landedAt: number = typeof timestamps === 'number' ? timestamps : Number.NaN,
  ) {
    super(data, starts, ends);
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
  const starts = new Int32Array(lengths.length);
  const ends = new Int32Array(lengths.length);
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
  return new RawRecords(data, startOffset, Int32Array.from(starts), Int32Array.from(ends), timestamp);
}
