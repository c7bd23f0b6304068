/**
 * A Kinesis event as the stream path sees it: one shard of one stream, and its records with their
 * sequence numbers, their data and their arrival times; the data of a whole batch decoded at once.
 */
import { isAscii } from 'node:buffer';
import type { KinesisStreamEvent } from 'aws-lambda';
import { type CleanMeta, type CleanResult, cleanAsciiRecord, cleanRecordText, type Kind } from '../records';
import { KinesisBatchError } from './errors';

/** One record of a Kinesis batch, decoded from the event. */
interface KinesisBatchRecord {
  /** The sequence number as Kinesis gives it (a decimal string, up to 128 bits). */
  readonly sequenceNumber: string;
  /** The same number, for comparisons. */
  readonly sequence: bigint;
  /** The record's data, decoded from base64. */
  readonly bytes: Buffer;
  /** `approximateArrivalTimestamp`, in milliseconds since the epoch. */
  readonly arrivalMs: number;
}

/** A Kinesis batch: the records of one shard of one stream, in event order. */
export interface KinesisBatch {
  readonly stream: string;
  readonly shardId: string;
  readonly records: readonly KinesisBatchRecord[];
}

/** The stream name an event source ARN names: `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
function streamOfArn(arn: string): string | undefined {
  const match = /^arn:[^:]*:kinesis:[^:]*:[^:]*:stream\/([^/]+)$/.exec(arn);
  return match?.[1];
}

/**
 * A Kinesis batch whose records are not decoded yet (the stream path decodes them with
 * {@link DecodedRecords}), held column by column, with no object per record (reading a 10,000-record
 * event takes ~0.7–0.9 ms, half of it checking every sequence number and event id). Record i is entry i
 * of each column.
 */
export interface KinesisEventBatch {
  readonly stream: string;
  readonly shardId: string;
  /** The number of records. */
  readonly size: number;
  /** Each record's sequence number as Kinesis gives it (checked to be an integer). */
  readonly sequenceNumbers: readonly string[];
  /**
   * The values of the sequence numbers that are not plain decimal digits (leading zeros, a sign,
   * spaces), by record: usually none. Compare sequence numbers with {@link compareSequenceAt}.
   */
  readonly oddSequences: ReadonlyMap<number, bigint>;
  /** Each record's data, base64. */
  readonly data: readonly string[];
  /** Each record's `approximateArrivalTimestamp`, in milliseconds since the epoch. */
  readonly arrivalMs: Float64Array;
}

/**
 * Checks a Kinesis event as {@link readKinesisBatch} does, leaving each record's data base64, so the
 * caller decodes the whole batch in one pass instead of one Buffer per record. Throws the same
 * {@link KinesisBatchError}s.
 */
export function scanKinesisBatch(event: KinesisStreamEvent): KinesisEventBatch {
  const first = event.Records?.[0];
  if (first === undefined) throw new KinesisBatchError('the Kinesis event has no records');
  const stream = streamOfArn(first.eventSourceARN);
  if (stream === undefined) {
    throw new KinesisBatchError(
      `record ${first.eventID}: cannot read a stream name from ${first.eventSourceARN}`,
    );
  }
  const shardId = shardOf(first.eventID);
  const ofShard = eventIdsOf(shardId);
  const records = event.Records;
  const size = records.length;
  const sequenceNumbers = new Array<string>(size);
  const data = new Array<string>(size);
  const arrivalMs = new Float64Array(size);
  const oddSequences = new Map<number, bigint>();
  for (let i = 0; i < size; i++) {
    const record = records[i]!;
    if (record.eventSourceARN !== first.eventSourceARN || !sameShard(record.eventID, shardId, ofShard)) {
      throw new KinesisBatchError(
        `record ${record.eventID} is not from ${stream}/${shardId} like the rest of the batch`,
      );
    }
    const { kinesis } = record;
    const { sequenceNumber } = kinesis;
    sequenceNumbers[i] = sequenceNumber;
    data[i] = kinesis.data;
    arrivalMs[i] = Math.round(kinesis.approximateArrivalTimestamp * 1000);
    if (!isCanonical(sequenceNumber)) oddSequences.set(i, sequenceOf(record.eventID, sequenceNumber));
  }
  return { stream, shardId, size, sequenceNumbers, oddSequences, data, arrivalMs };
}

/**
 * Reads a Kinesis event into a {@link KinesisBatch}. Throws a {@link KinesisBatchError} when the
 * event is empty, when a record's ARN or event id cannot be read, or when the records come from
 * more than one stream or shard (Lambda never mixes them).
 */
export function readKinesisBatch(event: KinesisStreamEvent): KinesisBatch {
  const batch = scanKinesisBatch(event);
  const records = batch.sequenceNumbers.map((sequenceNumber, i) => ({
    sequenceNumber,
    sequence: batch.oddSequences.get(i) ?? BigInt(sequenceNumber),
    bytes: Buffer.from(batch.data[i]!, 'base64'),
    arrivalMs: batch.arrivalMs[i]!,
  }));
  return { stream: batch.stream, shardId: batch.shardId, records };
}

/** Decimal digits without leading zeros (or `0`). */
const CANONICAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Whether the text is plain decimal digits without leading zeros: such numbers compare by length, then
 * as text, without BigInt. Checked for every record of every batch: a regular expression takes ~0.35 ms
 * for 10,000 sequence numbers of 56 digits, a loop over character codes ~0.95 ms (timed apart, Node 20).
 */
function isCanonical(text: string): boolean {
  return CANONICAL.test(text);
}

function sequenceOf(eventId: string, sequenceNumber: string): bigint {
  try {
    return BigInt(sequenceNumber);
  } catch (error) {
    throw new KinesisBatchError(`record ${eventId}: sequence number ${sequenceNumber} is not an integer`, {
      cause: error,
    });
  }
}

/** A sequence number: its text, and its value when the text is not plain decimal digits. */
export interface SequenceNumber {
  readonly sequenceNumber: string;
  readonly sequence?: bigint;
}

/** A sequence number from its value (e.g. a shard's high-water mark). */
export function sequenceNumberOf(value: bigint): SequenceNumber {
  const sequenceNumber = value.toString();
  return isCanonical(sequenceNumber) ? { sequenceNumber } : { sequenceNumber, sequence: value };
}

/** Orders two sequence numbers as numbers: negative, zero or positive. */
export function compareSequences(a: SequenceNumber, b: SequenceNumber): number {
  return compareParts(a.sequenceNumber, a.sequence, b.sequenceNumber, b.sequence);
}

/** Orders record i's sequence number against `other` as numbers: negative, zero or positive. */
export function compareSequenceAt(batch: KinesisEventBatch, i: number, other: SequenceNumber): number {
  return compareParts(
    batch.sequenceNumbers[i]!,
    batch.oddSequences.get(i),
    other.sequenceNumber,
    other.sequence,
  );
}

/** Orders the sequence numbers of records i and j as numbers: negative, zero or positive. */
export function compareRecordSequences(batch: KinesisEventBatch, i: number, j: number): number {
  const { sequenceNumbers, oddSequences } = batch;
  return compareParts(sequenceNumbers[i]!, oddSequences.get(i), sequenceNumbers[j]!, oddSequences.get(j));
}

// Plain decimal texts (no value given) compare by length, then as text; others by value.
function compareParts(x: string, xValue: bigint | undefined, y: string, yValue: bigint | undefined): number {
  if (xValue === undefined && yValue === undefined) {
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const a = xValue ?? BigInt(x);
  const b = yValue ?? BigInt(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Node's base64 decoder behind `Buffer#write(…, 'base64')`, without the argument handling (a quarter of its time per record). */
type Base64Write = (this: Buffer, value: string, offset: number, length: number) => number;
const base64Write: Base64Write =
  (Buffer.prototype as unknown as { base64Write?: Base64Write }).base64Write ??
  function (this: Buffer, value: string, offset: number, length: number) {
    return this.write(value, offset, length, 'base64');
  };

/**
 * Records are read as text a group of about this many bytes at a time: one Latin-1 string per group,
 * small enough for V8's young generation, where one string per batch (a megabyte or more) would be a
 * fresh large object whose every page the kernel has to fault in (about 4 ms a megabyte on this
 * project's machine: more than the decoding itself).
 */
const GROUP_BYTES = 64 * 1024;
/** The decode buffer kept between batches, at most this large (Lambda's payload limit is 6 MB). */
const KEEP_SCRATCH_BYTES = 8 << 20;

// One decode buffer reused batch after batch, for the same reason: its pages are faulted in once.
let scratch: Buffer | undefined;

/**
 * The data of a batch's records decoded in one pass into one buffer (reused from batch to batch), read
 * as text a group at a time: an all-ASCII record's text is a slice of its group's Latin-1 string; a
 * record holding any byte above 0x7F (UTF-8 beyond ASCII, a byte-order mark, invalid bytes) is decoded on
 * its own as UTF-8, so every record reads exactly as its bytes decode. {@link DecodedRecords.release}
 * gives the buffer back for the next batch: call it when no view from {@link DecodedRecords.bytes} is
 * needed any more (without it, the next batch allocates its own).
 */
export class DecodedRecords {
  private buffer: Buffer;
  /** Record i spans bytes [ends[i], ends[i + 1]). */
  private readonly ends: Int32Array;
  private readonly wide: Uint8Array;
  private group = '';
  /** The group decoded last: records [groupFirst, groupEnd), starting at byte groupStart. */
  private groupFirst = 0;
  private groupEnd = 0;
  private groupStart = 0;

  /** Decodes `data[pick[0]]`, `data[pick[1]]`, … (every entry of `data` when `pick` is absent) as records 0, 1, …. */
  constructor(data: readonly string[], pick?: ArrayLike<number>) {
    const count = pick === undefined ? data.length : pick.length;
    let size = 0;
    for (let i = 0; i < count; i++)
      size += Math.ceil((data[pick === undefined ? i : pick[i]!]!.length * 3) / 4);
    const reused = scratch !== undefined && scratch.length >= size ? scratch : undefined;
    scratch = undefined;
    this.buffer = reused ?? Buffer.allocUnsafeSlow(size);
    this.ends = new Int32Array(count + 1);
    let at = 0;
    for (let i = 0; i < count; i++) {
      at += base64Write.call(
        this.buffer,
        data[pick === undefined ? i : pick[i]!]!,
        at,
        this.buffer.length - at,
      );
      this.ends[i + 1] = at;
    }
    this.wide = new Uint8Array(count);
  }

  /** Record i's text: its bytes as UTF-8 (invalid sequences as U+FFFD). */
  text(i: number): string {
    if (i < this.groupFirst || i >= this.groupEnd) this.decodeGroup(i);
    const start = this.ends[i]!;
    const end = this.ends[i + 1]!;
    if (this.wide[i]) return this.buffer.toString('utf8', start, end);
    return this.group.slice(start - this.groupStart, end - this.groupStart);
  }

  /** Record i cleaned as a `kind` record: what `cleanRecordText` gives for its {@link text}, read faster. */
  clean<K extends Kind>(kind: K, i: number, meta: CleanMeta): CleanResult<K> {
    if (i < this.groupFirst || i >= this.groupEnd) this.decodeGroup(i);
    const start = this.ends[i]!;
    const end = this.ends[i + 1]!;
    if (this.wide[i])
      return cleanRecordText(kind, this.buffer.toString('utf8', start, end), end - start, meta);
    return cleanAsciiRecord(kind, this.buffer, start, end, this.group, this.groupStart, meta);
  }

  /** Record i's bytes: a view of the batch's buffer, valid until {@link DecodedRecords.release}. */
  bytes(i: number): Buffer {
    return this.buffer.subarray(this.ends[i]!, this.ends[i + 1]!);
  }

  /** Record i's size in bytes. */
  byteLength(i: number): number {
    return this.ends[i + 1]! - this.ends[i]!;
  }

  /** Hands the buffer to the next batch; this object must not be used after. */
  release(): void {
    if (
      this.buffer.length <= KEEP_SCRATCH_BYTES &&
      (scratch === undefined || scratch.length < this.buffer.length)
    ) {
      scratch = this.buffer;
    }
    this.buffer = Buffer.alloc(0);
    this.group = '';
    this.groupFirst = 0;
    this.groupEnd = 0;
  }

  // Decodes the records from `first` on, up to GROUP_BYTES (at least one record), as one Latin-1
  // string, and marks those holding a byte above 0x7F (they are read as UTF-8).
  private decodeGroup(first: number): void {
    const { ends, wide } = this;
    const count = ends.length - 1;
    const from = ends[first]!;
    let last = first + 1;
    while (last < count && ends[last + 1]! - from <= GROUP_BYTES) last++;
    const to = ends[last]!;
    const text = this.buffer.toString('latin1', from, to);
    this.group = text;
    this.groupFirst = first;
    this.groupEnd = last;
    this.groupStart = from;
    if (isAscii(this.buffer.subarray(from, to))) return;
    // Record by record: Node's native check over a view costs a fraction of a regular expression's scan
    // of the text (0.8 ms against 5.9 ms for 10,000 pins, half of them with non-ASCII text).
    const { buffer, byteOffset } = this.buffer;
    for (let record = first; record < last; record++) {
      const start = ends[record]!;
      if (!isAscii(new Uint8Array(buffer, byteOffset + start, ends[record + 1]! - start))) wide[record] = 1;
    }
  }
}

/** The event ids of a shard: `<shardId>:` and the sequence number. */
function eventIdsOf(shardId: string): RegExp {
  return new RegExp(`^${shardId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`);
}

// The event id is `<shardId>:<sequenceNumber>`: checked in place with the shard's regular expression
// (~0.17 ms for 10,000 ids, against ~0.45 ms for `startsWith` and a character check), without slicing a
// copy per record; an id it does not match is read again, so a malformed one is named as such.
function sameShard(eventId: string, shardId: string, ofShard: RegExp): boolean {
  return ofShard.test(eventId) || shardOf(eventId) === shardId;
}

function shardOf(eventId: string): string {
  const at = eventId.indexOf(':');
  if (at <= 0) throw new KinesisBatchError(`event id ${eventId} does not start with a shard id`);
  return eventId.slice(0, at);
}
