/**
 * A Kinesis event as the stream path sees it: one shard of one stream, and its records with their
 * sequence numbers, their data and their arrival times; the data of a whole batch decoded at once.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
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

/** One record of a Kinesis batch with its data still base64, as the event carries it. */
export interface KinesisEventRecord {
  /** The sequence number, checked to be an integer; compare with {@link compareSequences}. */
  readonly sequenceNumber: string;
  /** Its value, set only when the text is not plain decimal digits (leading zeros, a sign, spaces). */
  readonly sequence?: bigint;
  /** The record's data, base64. */
  readonly data: string;
  /** `approximateArrivalTimestamp`, in milliseconds since the epoch. */
  readonly arrivalMs: number;
}

/** A Kinesis batch whose records are not decoded yet (the stream path decodes them with {@link DecodedRecords}). */
export interface KinesisEventBatch {
  readonly stream: string;
  readonly shardId: string;
  readonly records: readonly KinesisEventRecord[];
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
  const records = event.Records.map((record): KinesisEventRecord => {
    const { kinesis } = record;
    if (record.eventSourceARN !== first.eventSourceARN || !sameShard(record.eventID, shardId)) {
      throw new KinesisBatchError(
        `record ${record.eventID} is not from ${stream}/${shardId} like the rest of the batch`,
      );
    }
    const { sequenceNumber } = kinesis;
    const data = kinesis.data;
    const arrivalMs = Math.round(kinesis.approximateArrivalTimestamp * 1000);
    if (CANONICAL.test(sequenceNumber)) return { sequenceNumber, data, arrivalMs };
    return { sequenceNumber, sequence: sequenceOf(record.eventID, sequenceNumber), data, arrivalMs };
  });
  return { stream, shardId, records };
}

/**
 * Reads a Kinesis event into a {@link KinesisBatch}. Throws a {@link KinesisBatchError} when the
 * event is empty, when a record's ARN or event id cannot be read, or when the records come from
 * more than one stream or shard (Lambda never mixes them).
 */
export function readKinesisBatch(event: KinesisStreamEvent): KinesisBatch {
  const { stream, shardId, records } = scanKinesisBatch(event);
  return {
    stream,
    shardId,
    records: records.map(({ sequenceNumber, sequence, data, arrivalMs }) => ({
      sequenceNumber,
      sequence: sequence ?? BigInt(sequenceNumber),
      bytes: Buffer.from(data, 'base64'),
      arrivalMs,
    })),
  };
}

// Decimal digits without leading zeros: such numbers compare by length, then as text, without BigInt.
const CANONICAL = /^(?:0|[1-9][0-9]*)$/;

function sequenceOf(eventId: string, sequenceNumber: string): bigint {
  try {
    return BigInt(sequenceNumber);
  } catch (error) {
    throw new KinesisBatchError(`record ${eventId}: sequence number ${sequenceNumber} is not an integer`, {
      cause: error,
    });
  }
}

/** A sequence number as {@link KinesisEventRecord} carries it. */
export type SequenceNumber = Pick<KinesisEventRecord, 'sequenceNumber' | 'sequence'>;

/** A sequence number from its value (e.g. a shard's high-water mark). */
export function sequenceNumberOf(value: bigint): SequenceNumber {
  const sequenceNumber = value.toString();
  return CANONICAL.test(sequenceNumber) ? { sequenceNumber } : { sequenceNumber, sequence: value };
}

/** Orders two sequence numbers as numbers: negative, zero or positive. */
export function compareSequences(a: SequenceNumber, b: SequenceNumber): number {
  if (a.sequence === undefined && b.sequence === undefined) {
    const x = a.sequenceNumber;
    const y = b.sequenceNumber;
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = a.sequence ?? BigInt(a.sequenceNumber);
  const y = b.sequence ?? BigInt(b.sequenceNumber);
  return x < y ? -1 : x > y ? 1 : 0;
}

const NON_ASCII = /[\x80-\xff]/g;

/**
 * The data of a batch's records decoded in one pass: one buffer of all their bytes and one Latin-1
 * string over it, so most records' text is a slice of that string rather than a decode of its own.
 * A record holding any byte above 0x7F (UTF-8 beyond ASCII, a byte-order mark, invalid bytes) is
 * decoded on its own as UTF-8 instead, so every record reads exactly as its bytes decode.
 */
export class DecodedRecords {
  private readonly buffer: Buffer;
  private readonly latin1: string;
  /** Record i spans bytes [ends[i], ends[i + 1]). */
  private readonly ends: Int32Array;
  private readonly wide: Uint8Array;

  constructor(records: readonly { readonly data: string }[]) {
    let size = 0;
    for (const record of records) size += Math.ceil((record.data.length * 3) / 4);
    this.buffer = Buffer.allocUnsafe(size);
    this.ends = new Int32Array(records.length + 1);
    let at = 0;
    for (let i = 0; i < records.length; i++) {
      at += this.buffer.write(records[i]!.data, at, 'base64');
      this.ends[i + 1] = at;
    }
    this.latin1 = this.buffer.toString('latin1', 0, at);
    this.wide = new Uint8Array(records.length);
    NON_ASCII.lastIndex = 0;
    let record = 0;
    for (let match = NON_ASCII.exec(this.latin1); match !== null; match = NON_ASCII.exec(this.latin1)) {
      while (this.ends[record + 1]! <= match.index) record++;
      this.wide[record] = 1;
      NON_ASCII.lastIndex = this.ends[record + 1]!;
    }
  }

  /** Record i's text: its bytes as UTF-8 (invalid sequences as U+FFFD). */
  text(i: number): string {
    const start = this.ends[i]!;
    const end = this.ends[i + 1]!;
    return this.wide[i] ? this.buffer.toString('utf8', start, end) : this.latin1.slice(start, end);
  }

  /** Record i's bytes (a view of the batch's buffer). */
  bytes(i: number): Buffer {
    return this.buffer.subarray(this.ends[i]!, this.ends[i + 1]!);
  }

  /** Record i's size in bytes. */
  byteLength(i: number): number {
    return this.ends[i + 1]! - this.ends[i]!;
  }
}

// The event id is `<shardId>:<sequenceNumber>`: checked in place, without slicing a copy per record.
function sameShard(eventId: string, shardId: string): boolean {
  if (eventId.charCodeAt(shardId.length) === 58 /* : */ && eventId.startsWith(shardId)) return true;
  return shardOf(eventId) === shardId;
}

function shardOf(eventId: string): string {
  const at = eventId.indexOf(':');
  if (at <= 0) throw new KinesisBatchError(`event id ${eventId} does not start with a shard id`);
  return eventId.slice(0, at);
}
