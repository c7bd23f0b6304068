/**
 * An MSK event as the landing sees it: per topic-partition, the records in offset order with their
 * values decoded from base64 and their Kafka timestamps.
 */
import { createHash } from 'node:crypto';
import type { MSKEvent } from 'aws-lambda';
import type { QuarantineEntry } from '../lake';

/** One Kafka record of an MSK batch. */
export interface MskBatchRecord {
  readonly offset: number;
  /** The record's timestamp (CreateTime or LogAppendTime), ms since the epoch; NaN when not a number. */
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

/** An MSK event read: the records to land, and the records whose envelope cannot be placed. */
export interface MskEventRead {
  readonly batches: MskPartitionBatch[];
  /** Each with its reason, topic, partition and offset (as far as the envelope gives them). */
  readonly rejected: QuarantineEntry[];
}

const GROUP = /^(.+)-(\d+)$/;

/** Whether `ms` is a time a `Date` can hold (±8.64e15 ms around the epoch). */
export function isDateTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/**
 * Reads an MSK event into one batch per topic-partition (sorted by topic, then partition). A record is
 * rejected (for the quarantine, never dropped, never failing the rest) when it cannot be placed: its
 * topic or partition differ from its group `<topic>-<partition>`, or its offset is not a non-negative
 * integer. A record whose timestamp is not a number is landed with a null timestamp, for batch-clean
 * to quarantine with its offset.
 */
export function readMskEvent(event: MSKEvent): MskEventRead {
  const batches: MskPartitionBatch[] = [];
  const rejected: QuarantineEntry[] = [];
  for (const [group, records] of Object.entries(event.records ?? {})) {
    if (!Array.isArray(records) || records.length === 0) continue;
    const named = GROUP.exec(group);
    const topic = named?.[1] ?? '_unplaced';
    const partition = named ? Number(named[2]) : -1;
    const byOffset = new Map<number, MskBatchRecord>();
    for (const record of records) {
      const problem = envelopeProblem(record, named ? { topic, partition } : undefined, group);
      if (problem !== undefined) {
        rejected.push(rejectedEnvelope(record, topic, partition, problem));
        continue;
      }
      byOffset.set(record.offset, {
        offset: record.offset,
        timestamp: typeof record.timestamp === 'number' ? record.timestamp : Number.NaN,
        value: Buffer.from(record.value ?? '', 'base64'),
      });
    }
    if (byOffset.size === 0) continue;
    const sorted = [...byOffset.values()].sort((a, b) => a.offset - b.offset);
    batches.push({ topic, partition, records: sorted });
  }
  batches.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  return { batches, rejected };
}

type MskRecord = MSKEvent['records'][string][number];

function envelopeProblem(
  record: MskRecord,
  group: { topic: string; partition: number } | undefined,
  groupName: string,
): string | undefined {
  if (typeof record !== 'object' || record === null)
    return `a record of group "${groupName}" is not an object`;
  if (group === undefined) return `group "${groupName}" is not <topic>-<partition>`;
  if (record.topic !== group.topic || record.partition !== group.partition) {
    return `filed under ${groupName} but it names ${record.topic}-${record.partition}`;
  }
  if (!Number.isSafeInteger(record.offset) || record.offset < 0) {
    return `offset ${JSON.stringify(record.offset)} is not a non-negative integer`;
  }
  return undefined;
}

function rejectedEnvelope(
  record: MskRecord,
  topic: string,
  partition: number,
  problem: string,
): QuarantineEntry {
  const offset = (record as { offset?: unknown } | null)?.offset;
  const placed = Number.isSafeInteger(offset) && (offset as number) >= 0;
  const bytes = Buffer.from(JSON.stringify(record) ?? 'null');
  const timestamp = (record as { timestamp?: unknown } | null)?.timestamp;
  return {
    origin: topic,
    // Deterministic, so a redelivered batch writes the same object again.
    name: placed
      ? `${partition}-${offset}`
      : `${partition}-envelope-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`,
    reason: `bad envelope: ${problem}`,
    source: `kafka:${topic}:${partition}:${placed ? offset : 'unknown'}`,
    receivedAt: new Date(typeof timestamp === 'number' && isDateTime(timestamp) ? timestamp : 0),
    bytes,
  };
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
