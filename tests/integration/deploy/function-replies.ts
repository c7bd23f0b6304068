import { QUERY_IDS } from '../../../libs/analytics';
import type { FunctionName } from './function-fixtures';

// What each function answers to each of its fixtures on the local stand-ins, whatever runs it (a zip on
// the Lambda Node, `sls invoke local`). The fixtures run in order on one lake: land-topics lands the MSK
// fixtures, batch-clean cleans them, batch-analytics reads the result and maintain-tables keeps every
// table the others wrote.

/** One fixture's outcome: the reply, or the error the handler threw. */
export interface Invocation {
  readonly fixture: string;
  readonly reply?: unknown;
  readonly error?: unknown;
}

const KAFKA = { 'Content-Type': 'application/vnd.kafka.v2+json' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const STREAMS = ['streaming-pinlake-pin', 'streaming-pinlake-geo', 'streaming-pinlake-user'];
const OK = { batchItemFailures: [] };
const QUERIES = QUERY_IDS;

const restProxy = (statusCode: number, body: unknown) => ({ statusCode, headers: KAFKA, body });
const streamApi = (statusCode: number, body: unknown) => ({ statusCode, headers: JSON_TYPE, body });
const putRecordReply = streamApi(200, { SequenceNumber: '<sequence>', ShardId: '<shard>' });

const REPLIES: Record<string, unknown> = {
  'apigw/rest-proxy-bad-body.json': restProxy(422, {
    error_code: 42206,
    message: 'records[1].value is required: the record as a JSON value',
  }),
  'apigw/rest-proxy-unknown-topic.json': restProxy(404, {
    error_code: 40401,
    message: 'Topic pinlake.comments not found.',
  }),
  'apigw/rest-proxy-valid.json': restProxy(200, {
    offsets: [{ partition: '<partition>', offset: '<offset>', error_code: null, error: null }],
    key_schema_id: null,
    value_schema_id: null,
  }),
  'apigw/rest-proxy-wrong-content-type.json': restProxy(415, {
    error_code: 415,
    message:
      'HTTP 415 Unsupported Media Type: Content-Type application/json; send application/vnd.kafka.json.v2+json (REST Proxy v2, embedded JSON)',
  }),
  'apigw/describe-stream.json': streamApi(200, {
    StreamDescriptionSummary: {
      StreamName: 'streaming-pinlake-user',
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/streaming-pinlake-user',
      StreamStatus: 'ACTIVE',
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: '<time>',
      OpenShardCount: 2,
      EncryptionType: 'NONE',
    },
  }),
  'apigw/invalid-bad-json.json': streamApi(400, {
    message:
      "request body is not valid JSON: Expected ',' or '}' after property value in JSON at position 60",
  }),
  // API Gateway refuses a request without the key before the function sees it; the function itself
  // does not check keys, so on its own it accepts the record.
  'apigw/invalid-missing-api-key.json': putRecordReply,
  'apigw/invalid-missing-partition-key.json': streamApi(400, {
    message: 'invalid request body: PartitionKey is required',
  }),
  'apigw/invalid-too-many-records.json': streamApi(400, {
    message: 'records holds 501 records; at most 500 are accepted',
  }),
  'apigw/invalid-unknown-stream.json': streamApi(404, {
    message: `stream "streaming-0a1b2c3d4e5f-pin" is not one of this pipeline's streams (${STREAMS.join(', ')})`,
  }),
  'apigw/list-streams.json': streamApi(200, { StreamNames: STREAMS, HasMoreStreams: false }),
  'apigw/put-record.json': putRecordReply,
  'apigw/put-records.json': streamApi(200, {
    FailedRecordCount: 0,
    Records: [1, 2, 3].map(() => ({ SequenceNumber: '<sequence>', ShardId: '<shard>' })),
  }),
};

/** What the scheduled functions answer, reduced to what does not depend on the clock. */
const SCHEDULED: Record<string, unknown> = {
  // STREAM_COMMIT_MODE is direct: one round, nothing staged, and the invocation ends.
  'commit-staged': { rounds: 1, commits: 0, batches: 0, rows: 0, waiting: 0 },
  'batch-clean': { recordsRead: 14, rowsWritten: { pin: 4, geo: 3, user: 3 }, quarantined: 4, commits: 3 },
  'batch-analytics': {
    runId: '2026-11-22T02-00-00.000Z',
    statuses: QUERIES.map((id) => `${id}: written`),
    inputs: { pin: { files: 1, rows: 4 }, geo: { files: 1, rows: 3 }, user: { files: 1, rows: 3 } },
  },
  'maintain-tables': {
    tables: [
      ...[...QUERIES].sort().map((id) => `tables/analytics/${id}`),
      'tables/batch/geo',
      'tables/batch/pin',
      'tables/batch/user',
      'tables/stream/geo',
      'tables/stream/pin',
      'tables/stream/user',
    ],
  },
};

/** The expected outcome of each of `fixtures` for function `name`. */
export function expectedReplies(name: FunctionName, fixtures: readonly string[]): Invocation[] {
  return fixtures.map((fixture) => {
    if (fixture.startsWith('msk/') || fixture.startsWith('kinesis/')) return { fixture, reply: OK };
    if (fixture.startsWith('schedule/')) return { fixture, reply: SCHEDULED[name] };
    return { fixture, reply: REPLIES[fixture] ?? `no expected reply is written for ${fixture}` };
  });
}

const VARYING: Record<string, string> = {
  SequenceNumber: '<sequence>',
  ShardId: '<shard>',
  StreamCreationTimestamp: '<time>',
  partition: '<partition>',
  offset: '<offset>',
};

/** Replaces the values that change from run to run (sequence numbers, shards, offsets, times). */
function maskVarying(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskVarying);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key in VARYING ? VARYING[key] : maskVarying(v)]),
  );
}

/**
 * An outcome as {@link expectedReplies} states it: API replies with their JSON body parsed and the
 * varying values masked; scheduled functions' summaries reduced to their clock-free parts.
 */
export function normalise(
  name: FunctionName,
  fixture: string,
  outcome: { reply?: unknown; error?: unknown },
): Invocation {
  if (outcome.error !== undefined) return { fixture, error: outcome.error };
  const reply = outcome.reply as Record<string, unknown> | null;
  if (fixture.startsWith('schedule/') && reply !== null) return { fixture, reply: summarise(name, reply) };
  // `sls invoke local` prints a JSON body parsed already when its Content-Type is application/json.
  if (reply !== null && 'body' in reply) {
    const body = typeof reply.body === 'string' ? JSON.parse(reply.body) : reply.body;
    return { fixture, reply: maskVarying({ ...reply, body: withoutLineAndColumn(body) }) };
  }
  return { fixture, reply };
}

/** Node 22's JSON.parse adds `(line L column C)` to its message, Node 20's does not. */
function withoutLineAndColumn(body: unknown): unknown {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return body;
  return { ...(body as object), message: message.replace(/ \(line \d+ column \d+\)$/, '') };
}

function summarise(name: FunctionName, reply: Record<string, unknown>): unknown {
  if (name === 'batch-clean') {
    const { recordsRead, rowsWritten, quarantined, commits } = reply;
    return { recordsRead, rowsWritten, quarantined, commits };
  }
  if (name === 'batch-analytics') {
    const results = reply.results as { id: string; status: string }[];
    return { runId: reply.runId, statuses: results.map((r) => `${r.id}: ${r.status}`), inputs: reply.inputs };
  }
  if (name === 'maintain-tables') {
    return { tables: (reply.tables as { table: string }[]).map((t) => t.table) };
  }
  return reply;
}
