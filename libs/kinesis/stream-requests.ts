/**
 * The bodies of the streaming API (the seed's API Gateway–Kinesis shapes), validated and turned into
 * Kinesis entries within the limits. Pure: no I/O.
 */
import * as z from 'zod/mini';
import { BadRequestError, PayloadTooLargeError } from '../http';
import type { RecordEntry } from './put-records';
import { encodeRecordData, recordSize } from './record-data';

/** Bounds applied to records (see `Limits` in libs/config). */
export interface RecordLimits {
  readonly bodyBytes: number;
  readonly recordsPerRequest: number;
  readonly recordBytes: number;
}

const stringError = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : 'must be a string';

const PartitionKey = z
  .string({ error: stringError })
  .check(
    z.minLength(1, { error: 'must not be empty' }),
    z.maxLength(256, { error: 'must be at most 256 characters' }),
  );

const Data = z.custom<NonNullable<unknown>>(
  (value) => value !== undefined && value !== null && value !== '',
  {
    error: 'is required: a JSON object, or a non-empty string',
  },
);

/** `PUT /streams/{stream}/record`: `{"StreamName"?, "Data", "PartitionKey"}`. */
const PutRecordBodySchema = z.object({
  StreamName: z.optional(z.string({ error: stringError })),
  Data,
  PartitionKey,
});

/** `PUT /streams/{stream}/records`: `{"records": [{"data", "partition-key"}]}`. */
const PutRecordsBodySchema = z.object({
  records: z.array(z.object({ data: Data, 'partition-key': PartitionKey }), { error: 'must be an array' }),
});

/**
 * The one entry of a PutRecord body for `stream`. Throws a {@link BadRequestError} naming the field
 * that is wrong, or when `StreamName` names another stream than the path; a
 * {@link PayloadTooLargeError} when the encoded record is over the limit.
 */
export function parsePutRecordBody(body: unknown, stream: string, limits: RecordLimits): RecordEntry {
  const parsed = validate(PutRecordBodySchema, body);
  if (parsed.StreamName !== undefined && parsed.StreamName !== stream) {
    throw new BadRequestError(
      `StreamName "${parsed.StreamName}" in the body does not match the path's "${stream}"`,
    );
  }
  const entry = { Data: encodeRecordData(parsed.Data), PartitionKey: parsed.PartitionKey };
  checkRecordSize(entry, 'the record', limits);
  return entry;
}

/**
 * The entries of a PutRecords body, in order. Throws a {@link BadRequestError} for an empty list, more
 * records than the limit, or a bad record (named by its index); a {@link PayloadTooLargeError} for a
 * record, or all of them together, over the size limits.
 */
export function parsePutRecordsBody(body: unknown, limits: RecordLimits): RecordEntry[] {
  const count = recordCount(body);
  if (count === 0) throw new BadRequestError('records must hold at least one record');
  if (count !== undefined && count > limits.recordsPerRequest) {
    throw new BadRequestError(
      `records holds ${count} records; at most ${limits.recordsPerRequest} are accepted`,
    );
  }
  const parsed = validate(PutRecordsBodySchema, body);
  let total = 0;
  const entries = parsed.records.map((record, index) => {
    const entry = { Data: encodeRecordData(record.data), PartitionKey: record['partition-key'] };
    total += checkRecordSize(entry, `records[${index}]`, limits);
    return entry;
  });
  if (total > limits.bodyBytes) {
    throw new PayloadTooLargeError(
      `the records total ${total} bytes once encoded; the limit is ${limits.bodyBytes}`,
    );
  }
  return entries;
}

function recordCount(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const records = (body as { records?: unknown }).records;
  return Array.isArray(records) ? records.length : undefined;
}

function checkRecordSize(entry: RecordEntry, name: string, limits: RecordLimits): number {
  const size = recordSize(entry.Data, entry.PartitionKey);
  if (size > limits.recordBytes) {
    throw new PayloadTooLargeError(
      `${name} is ${size} bytes once encoded (data plus partition key); the limit is ${limits.recordBytes}`,
    );
  }
  return size;
}

function validate<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('request body must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${pathOf(issue.path)} ${issue.message}`);
  throw new BadRequestError(`invalid request body: ${issues.join('; ')}`, { cause: parsed.error });
}

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}
