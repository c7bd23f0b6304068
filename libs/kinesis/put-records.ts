import { type KinesisClient, PutRecordsCommand, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { PinlakeError } from '../errors';
import { backoffDelay, pause } from '../retry';

/** One record to put: its bytes and partition key. */
export interface RecordEntry {
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
}

/** The outcome of one entry: where it landed, or why it did not. */
type EntryResult =
  | { readonly SequenceNumber: string; readonly ShardId: string }
  | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** A PutRecords result in the request's order, after the retries. */
export interface PutRecordsOutcome {
  readonly FailedRecordCount: number;
  readonly Records: EntryResult[];
}

/** How hard {@link putRecordsWithRetry} tries. */
export interface RetryOptions {
  /** Calls in all, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Backoff before the second call; doubles each time (default 50 ms). */
  readonly baseDelayMs?: number;
  /** Cap on one backoff (default 2,000 ms). */
  readonly maxDelayMs?: number;
  /** Random source in [0, 1) for the jitter (default Math.random). */
  readonly random?: () => number;
  /** Waits between calls (default a timer); tests may record the delays. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Raised when a PutRecords reply does not have one result per entry sent. */
class PutRecordsError extends PinlakeError {
  override readonly name: string = 'PutRecordsError';
  override readonly code: string = 'PUT_RECORDS';
}

/**
 * PutRecords with Kinesis' partial failures handled: entries that fail (throughput exceeded, internal
 * failure) are re-sent, only they, after an exponential backoff with full jitter, up to `maxAttempts`
 * calls. Resolves with every entry's final outcome in the original order; entries still failing keep
 * their last ErrorCode/ErrorMessage. A first call that fails as a whole rejects (nothing was written);
 * a later one that does leaves its entries failed with `InternalFailure`, since others were written.
 */
export async function putRecordsWithRetry(
  client: KinesisClient,
  streamName: string,
  entries: readonly RecordEntry[],
  options: RetryOptions = {},
): Promise<PutRecordsOutcome> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => pause(ms));

  const results: EntryResult[] = entries.map(() => ({
    ErrorCode: 'InternalFailure',
    ErrorMessage: 'not sent',
  }));
  let pending = entries.map((_, index) => index);
  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 1)
      await sleep(
        Math.floor(backoffDelay({ baseMs: baseDelayMs, maxMs: maxDelayMs }, attempt - 1, random())),
      );
    let reply: PutRecordsResultEntry[];
    try {
      reply = await sendOnce(client, streamName, entries, pending);
    } catch (error) {
      if (attempt === 1) throw error;
      const name = error instanceof Error ? error.name : 'Error';
      for (const index of pending) {
        results[index] = {
          ErrorCode: 'InternalFailure',
          ErrorMessage: `re-sending failed entries failed: ${name}`,
        };
      }
      break;
    }
    pending = collectResults(reply, pending, results);
  }
  return { FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length, Records: results };
}

async function sendOnce(
  client: KinesisClient,
  streamName: string,
  entries: readonly RecordEntry[],
  pending: readonly number[],
): Promise<PutRecordsResultEntry[]> {
  const output = await client.send(
    new PutRecordsCommand({
      StreamName: streamName,
      Records: pending.map((index) => entries[index]!),
    }),
  );
  const records = output.Records ?? [];
  if (records.length !== pending.length) {
    throw new PutRecordsError(
      `PutRecords to ${streamName} answered ${records.length} results for ${pending.length} records`,
    );
  }
  return records;
}

// Stores each answered entry's outcome; returns the original indexes that failed, to re-send.
function collectResults(
  reply: readonly PutRecordsResultEntry[],
  pending: readonly number[],
  results: EntryResult[],
): number[] {
  const failed: number[] = [];
  reply.forEach((entry, position) => {
    const index = pending[position]!;
    if (entry.ErrorCode) {
      results[index] = { ErrorCode: entry.ErrorCode, ErrorMessage: entry.ErrorMessage ?? entry.ErrorCode };
      failed.push(index);
    } else {
      results[index] = { SequenceNumber: entry.SequenceNumber ?? '', ShardId: entry.ShardId ?? '' };
    }
  });
  return failed;
}
