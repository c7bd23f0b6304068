/**
 * Decode → clean → group by kind: the step every path from raw records to clean tables shares.
 */
import { cleanRecord, KINDS, type Kind, type RowOf } from '../records';

/** A raw record of a known kind, with where and when the pipeline received it. */
export interface RawRecord<T = unknown> {
  readonly kind: Kind;
  /** The record as received: UTF-8 JSON bytes. */
  readonly bytes: Uint8Array;
  /** `kinesis:<stream>:<shardId>:<sequenceNumber>` or `kafka:<topic>:<partition>:<offset>`. */
  readonly source: string;
  readonly ingestedAt: Date;
  /** The caller's own handle on the record (e.g. its sequence number), passed through. */
  readonly ref: T;
}

/** A record cleaning rejected, with the reason. */
export interface RejectedRecord<T = unknown> {
  readonly record: RawRecord<T>;
  readonly reason: string;
}

/** The outcome of cleaning a batch: rows per kind, rejected records, nulled fields per kind and column. */
export interface CleanedBatch<T = unknown> {
  readonly rows: { [K in Kind]: RowOf[K][] };
  readonly rejected: RejectedRecord<T>[];
  /** How many rows had each column nulled by cleaning although the raw record had a value. */
  readonly nulled: { [K in Kind]: Record<string, number> };
}

/**
 * Cleans every record (never throws for bad input: such records are returned as rejected with the
 * reason `cleanRecord` gives), keeping the rows of each kind in input order.
 */
export function cleanBatch<T>(records: Iterable<RawRecord<T>>): CleanedBatch<T> {
  const rows = { pin: [], geo: [], user: [] } as { [K in Kind]: RowOf[K][] };
  const nulled = Object.fromEntries(KINDS.map((k) => [k, {}])) as { [K in Kind]: Record<string, number> };
  const rejected: RejectedRecord<T>[] = [];
  for (const record of records) {
    const result = cleanRecord(record.kind, record.bytes, {
      source: record.source,
      ingestedAt: record.ingestedAt,
    });
    if (!result.ok) {
      rejected.push({ record, reason: result.reason });
      continue;
    }
    (rows[record.kind] as RowOf[Kind][]).push(result.row);
    const counts = nulled[record.kind];
    for (const column of result.nulled) counts[column] = (counts[column] ?? 0) + 1;
  }
  return { rows, rejected, nulled };
}
