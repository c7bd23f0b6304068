/**
 * An MSK event as the landing sees it: per topic-partition, the records in offset order with their
 * values decoded from base64 and their Kafka timestamps.
 */
import type { MSKEvent } from 'aws-lambda';
import { BatchPathError } from './errors';

/** One Kafka record of an MSK batch. */
export interface MskBatchRecord {
  readonly offset: number;
  /** The record's timestamp (CreateTime or LogAppendTime), ms since the epoch. */
  readonly timestamp: number;
  /** The value's bytes (empty for a record without a value). */
  readonly value: Buffer;
}

/** The records of one topic-partition, in offset order, each offset once. */
export interface MskPartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly MskBatchRecord[];
}

/**
 * Reads an MSK event into one batch per topic-partition (sorted by topic, then partition). Throws a
 * {@link BatchPathError} naming the record when a record's topic, partition, offset or timestamp is
 * missing or malformed, or when a record sits under another group than its own `<topic>-<partition>`.
 */
export function readMskEvent(event: MSKEvent): MskPartitionBatch[] {
  const batches: MskPartitionBatch[] = [];
  for (const [group, records] of Object.entries(event.records ?? {})) {
    if (!Array.isArray(records) || records.length === 0) continue;
    const first = records[0]!;
    const { topic, partition } = first;
    if (typeof topic !== 'string' || !Number.isSafeInteger(partition) || `${topic}-${partition}` !== group) {
      throw new BatchPathError(`MSK event group "${group}": its first record names ${topic}-${partition}`);
    }
    const byOffset = new Map<number, MskBatchRecord>();
    for (const record of records) {
      const where = `${group} offset ${record.offset}`;
      if (record.topic !== topic || record.partition !== partition) {
        throw new BatchPathError(`MSK record ${where}: it names ${record.topic}-${record.partition}`);
      }
      if (!Number.isSafeInteger(record.offset) || record.offset < 0) {
        throw new BatchPathError(`MSK record ${where}: the offset is not a non-negative integer`);
      }
      if (!Number.isFinite(record.timestamp)) {
        throw new BatchPathError(`MSK record ${where}: the timestamp is not a number`);
      }
      byOffset.set(record.offset, {
        offset: record.offset,
        timestamp: record.timestamp,
        value: Buffer.from(record.value ?? '', 'base64'),
      });
    }
    const sorted = [...byOffset.values()].sort((a, b) => a.offset - b.offset);
    batches.push({ topic, partition, records: sorted });
  }
  return batches.sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
}

/** Splits offset-ordered records into runs of consecutive offsets (a new run at every gap). */
export function splitIntoRuns(records: readonly MskBatchRecord[]): MskBatchRecord[][] {
  const runs: MskBatchRecord[][] = [];
  let run: MskBatchRecord[] = [];
  for (const record of records) {
    const last = run[run.length - 1];
    if (last !== undefined && record.offset !== last.offset + 1) {
      runs.push(run);
      run = [];
    }
    run.push(record);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
