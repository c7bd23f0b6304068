import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { maybeFail } from '../chaos';
import type { Config } from '../config';
import { httpEdge, jsonResponse, MethodNotAllowedError, NotFoundError, readJsonBody } from '../http';
import { kindOfStream, streamNames } from '../naming';
import type { RetryOptions } from './put-records';
import { describeOneStream, listExistingStreams, putManyRecords, putOneRecord } from './stream-api';
import { parsePutRecordBody, parsePutRecordsBody } from './stream-requests';

// --chaos fails the edge before it writes: a failure after Kinesis accepted a record is a lost reply,
// which makes any HTTP client send the record again (HTTP is at-least-once; docs/design.md §4).
const CHAOS_POINT = 'ingest-stream:before-put';

/** What the streaming API needs: its settings, a Kinesis client built once, and a logger. */
export interface StreamApiDeps {
  readonly config: Config;
  readonly kinesis: KinesisClient;
  readonly logger: Logger;
  /** Overrides of the PutRecords retry (attempts default to the config's limit). */
  readonly retry?: RetryOptions;
}

type StreamRoute =
  | { readonly action: 'list' }
  | { readonly action: 'describe' | 'record' | 'records'; readonly stream: string };

const METHODS = { list: 'GET', describe: 'GET', record: 'PUT', records: 'PUT' } as const;

/**
 * The `ingest-stream` Lambda handler (API Gateway REST proxy events): `PUT /streams/{stream}/record`,
 * `PUT /streams/{stream}/records`, `GET /streams`, `GET /streams/{stream}`, behind the HTTP edge
 * (API key, error mapping). Only the pipeline's three streams are accepted.
 */
export function createStreamApiHandler(deps: StreamApiDeps) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(deps.logger))
    .use(httpEdge({ logger: deps.logger, apiKey: deps.config.apiKey }))
    .handler((event) => handleStreamRequest(event, deps));
}

/**
 * Answers one streaming API request; throws an `HttpError` for every client mistake (the HTTP edge
 * turns it into the reply). A chaos step `ingest-stream:before-reply` may fail after Kinesis has the
 * records, as a Lambda crash before replying would.
 */
async function handleStreamRequest(
  event: APIGatewayProxyEvent,
  deps: StreamApiDeps,
): Promise<APIGatewayProxyResult> {
  const route = routeOf(event);
  if (event.httpMethod !== METHODS[route.action]) {
    throw new MethodNotAllowedError(
      `${event.httpMethod} is not allowed on ${event.path}; use ${METHODS[route.action]}`,
    );
  }
  const { config, kinesis } = deps;
  if (route.action === 'list') {
    const reply = await listExistingStreams(kinesis, streamNames(config.pipelineId));
    return jsonResponse(200, reply);
  }
  const stream = route.stream;
  if (kindOfStream(config.pipelineId, stream) === undefined) {
    throw new NotFoundError(
      `stream "${stream}" is not one of this pipeline's streams (${streamNames(config.pipelineId).join(', ')})`,
    );
  }
  let reply: unknown;
  if (route.action === 'describe') {
    reply = await describeOneStream(kinesis, stream);
  } else if (route.action === 'record') {
    const entry = parsePutRecordBody(readJsonBody(event, config.limits), stream, config.limits);
    maybeFail(CHAOS_POINT);
    reply = await putOneRecord(kinesis, stream, entry);
  } else {
    const entries = parsePutRecordsBody(readJsonBody(event, config.limits), config.limits);
    maybeFail(CHAOS_POINT);
    reply = await putManyRecords(kinesis, stream, entries, {
      maxAttempts: config.limits.putRecordsAttempts,
      ...deps.retry,
    });
  }
  return jsonResponse(200, reply);
}

// Routes by path segments after `streams`, so a stage prefix or a greedy proxy resource both work.
function routeOf(event: APIGatewayProxyEvent): StreamRoute {
  const segments = (event.path ?? '').split('/').filter((s) => s !== '');
  const at = segments.indexOf('streams');
  const rest = at >= 0 ? segments.slice(at + 1) : undefined;
  const fromPath = rest?.[0] === undefined ? undefined : safeDecode(rest[0]);
  const stream = event.pathParameters?.stream ?? event.pathParameters?.['stream-name'] ?? fromPath;
  if (rest?.length === 0) return { action: 'list' };
  if (stream !== undefined && rest?.length === 1) return { action: 'describe', stream };
  if (stream !== undefined && rest?.length === 2 && (rest[1] === 'record' || rest[1] === 'records')) {
    return { action: rest[1], stream };
  }
  throw new NotFoundError(`no route for ${event.httpMethod} ${event.path}`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
