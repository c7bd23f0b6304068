/**
 * The contract between the event-source core ({@link SourceWorker}) and its adapters (Kinesis shards,
 * MSK partitions). The core owns Lambda's semantics — batches, the batching window, retries, bisect,
 * maximum record age, giving up to the on-failure destination, crash redelivery; an adapter supplies
 * only what differs between sources: reading, positions and checkpoints, and the shapes of events,
 * answers and on-failure records.
 */
import type { Context } from 'aws-lambda';
import type { ObjectStore } from '../../libs/storage';

/** A Lambda handler as an event source mapping invokes it; its answer is read by the source's rules. */
type SourceHandler<E> = (event: E, context: Context) => Promise<unknown>;

/** What a handler's answer means for its batch. */
export type BatchOutcome =
  | { readonly kind: 'success' }
  /** Records before `failedIndex` are done; retry from it. */
  | { readonly kind: 'partial'; readonly failedIndex: number }
  /** The whole batch failed: the function threw, or its answer was malformed. */
  | { readonly kind: 'error'; readonly reason: string };

/** What an on-failure record says of the records given up on, in the source's own terms. */
export interface BatchInfo {
  /** The record's field: `KinesisBatchInfo` or `KafkaBatchInfo`. */
  readonly field: string;
  readonly info: Readonly<Record<string, unknown>>;
  /** The object name's stem: the shard or partition and the range, so a rewrite replaces it. */
  readonly name: string;
}

/** One shard or partition of an event source, as the core reads and checkpoints it. */
export interface SourcePartition<R, E> {
  /** Names it in log notes: `{ shardId }` or `{ topic, partition }`. */
  readonly where: Readonly<Record<string, string | number>>;
  /** The chaos step that crashes the poller between an invocation and its checkpoint. */
  readonly crashStep: string;
  /** Up to `limit` records after the last read (or from the checkpoint); `closed` once a closed shard is read. */
  read(limit: number): Promise<{ readonly records: R[]; readonly closed: boolean }>;
  /** Marks every record up to `last` handled (Kinesis: the checkpoint; Kafka: the group's offset commit). */
  checkpoint(last: R): Promise<void>;
  /** Forgets what was read and not handled: the next read starts after the checkpoint, or at `firstUnhandled`. */
  rewind(firstUnhandled: R | undefined): void;
  toEvent(records: readonly R[]): E;
  /** How Lambda reads the handler's answer for this source. */
  outcome(response: unknown, records: readonly R[]): BatchOutcome;
  /** The record's id in notes and reasons: its sequence number or offset. */
  idOf(record: R): string;
  /** The record's estimated share of an event, in bytes (its encoded data plus its envelope). */
  sizeOf(record: R): number;
  /** When the record reached the source, in ms since the epoch (its age counts from there). */
  arrivalOf(record: R): number;
  batchInfo(records: readonly R[]): BatchInfo;
}

/** The event source mapping's settings, as Lambda names them, plus what the local stack adds. */
export interface MappingSettings<E> {
  readonly functionName: string;
  readonly handler: SourceHandler<E>;
  readonly region: string;
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  /** Retries of a failing record before giving up on it; negative: until it is too old (Lambda's -1). */
  readonly maximumRetryAttempts: number;
  /** Records older than this are given up on instead of invoked; negative: no limit (Lambda's -1). */
  readonly maximumRecordAgeMs: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly pollIntervalMs: number;
  /** Largest event, in bytes (6 MB, the synchronous-invoke limit). */
  readonly maxPayloadBytes: number;
  readonly timeoutMs: number;
  /** Where given-up batches go (`quarantine/onfailure/<function>/…`); without it they are only logged. */
  readonly onFailure: ObjectStore | undefined;
  readonly log: (message: string, details: Record<string, unknown>) => void;
}

/** The common options of both pollers, with Lambda's names. */
export interface MappingOptions<E> {
  readonly functionName: string;
  readonly handler: SourceHandler<E>;
  /** Where given-up batches go (`quarantine/onfailure/<function>/…`); without it they are only logged. */
  readonly onFailure?: ObjectStore;
  /** Records per invocation at most (default 100, Lambda's). */
  readonly batchSize?: number;
  /** How long to gather records for a fuller batch (default: the source's, 0 for Kinesis, 500 ms for MSK). */
  readonly batchingWindowMs?: number;
  /** Retries of a failing record before giving up on it (default 3; Lambda's default -1 is unbounded). */
  readonly maximumRetryAttempts?: number;
  /** Records older than this many seconds are given up on (default -1: no limit, Lambda's). */
  readonly maximumRecordAgeSeconds?: number;
  /** Split a failing batch in two before retrying (default true). */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Where reading starts without a checkpoint or committed offset (default TRIM_HORIZON). */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause between reads of a caught-up shard or partition (default 100 ms; Lambda's is about 1 s). */
  readonly pollIntervalMs?: number;
  /** The function's timeout (default 60 s): an invocation running longer fails. */
  readonly timeoutMs?: number;
  /** Receives what the poller does not throw: crashes, retries exhausted, read errors. */
  readonly log?: (message: string, details: Record<string, unknown>) => void;
}

const SIX_MB = 6 * 1024 * 1024;

/** The settings of a mapping from its options, with Lambda's defaults and the source's window. */
export function mappingSettings<E>(
  options: MappingOptions<E>,
  region: string,
  defaultWindowMs: number,
): MappingSettings<E> {
  const age = options.maximumRecordAgeSeconds ?? -1;
  return {
    functionName: options.functionName,
    handler: options.handler,
    region,
    batchSize: options.batchSize ?? 100,
    batchingWindowMs: options.batchingWindowMs ?? defaultWindowMs,
    maximumRetryAttempts: options.maximumRetryAttempts ?? 3,
    maximumRecordAgeMs: age < 0 ? -1 : age * 1000,
    bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? true,
    pollIntervalMs: options.pollIntervalMs ?? 100,
    maxPayloadBytes: SIX_MB,
    timeoutMs: options.timeoutMs ?? 60_000,
    onFailure: options.onFailure,
    log: options.log ?? (() => {}),
  };
}
