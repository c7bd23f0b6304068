import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  BadRequestError,
  checkApiKey,
  ForbiddenError,
  HttpError,
  headerValue,
  httpEdge,
  toErrorResponse,
} from '../../../libs/http';
import { createLambdaContext } from '../../../local/pollers';
import { loadEvent } from '../../helpers/events';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function recordingLogger() {
  const lines: unknown[][] = [];
  return { lines, error: (...args: unknown[]) => void lines.push(args) };
}

describe('Function: headerValue()', () => {
  it('finds a header whatever its case, and the last of repeated ones', () => {
    // Act
    const value = headerValue({ headers: { 'X-Api-Key': 'first', 'x-api-key': 'second' } }, 'X-API-KEY');

    // Assess
    expect(value).toBe('second');
  });

  it('reads headers named after Object.prototype properties as headers, and never finds inherited ones', () => {
    // Prepare: as Lambda parses an event, `__proto__` is an own property.
    const headers = JSON.parse('{"__proto__":"p","constructor":"c","toString":"t"}') as Record<
      string,
      string
    >;

    // Act
    const found = ['__proto__', 'constructor', 'toString', 'valueOf'].map((name) =>
      headerValue({ headers }, name),
    );
    const absent = Object.getOwnPropertyNames(Object.prototype).map((name) =>
      headerValue({ headers: {} }, name),
    );

    // Assess
    expect(found).toStrictEqual(['p', 'c', 't', undefined]);
    expect(absent.every((value) => value === undefined)).toBe(true);
  });
});

describe('Function: checkApiKey()', () => {
  it('accepts any request when no key is configured', () => {
    // Act
    const check = () => checkApiKey({ headers: {} }, undefined);

    // Assess
    expect(check).not.toThrow();
  });

  it('accepts the configured key and refuses a missing or different one with Forbidden', () => {
    // Act
    const right = () => checkApiKey({ headers: { 'X-API-Key': 'secret' } }, 'secret');
    const missing = () => checkApiKey({ headers: {} }, 'secret');
    const wrong = () => checkApiKey({ headers: { 'x-api-key': 'secret2' } }, 'secret');

    // Assess
    expect(right).not.toThrow();
    expect(missing).toThrow(ForbiddenError);
    expect(wrong).toThrow(new ForbiddenError());
  });
});

describe('Function: toErrorResponse()', () => {
  it('answers an HttpError with its status and its own body, logging nothing', () => {
    // Prepare
    const logger = recordingLogger();
    const error = new HttpError(404, 'topic x not found', {
      body: { error_code: 40401, message: 'topic x not found' },
    });

    // Act
    const reply = toErrorResponse(error, logger, 'req-1');

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 404,
      headers: JSON_HEADERS,
      body: '{"error_code":40401,"message":"topic x not found"}',
    });
    expect(logger.lines).toStrictEqual([]);
  });

  it('answers anything else with a fixed 500 and logs the real error with the request id', () => {
    // Prepare
    const logger = recordingLogger();
    const error = new TypeError('Cannot read properties of undefined (secret internals)');

    // Act
    const reply = toErrorResponse(error, logger, 'req-2');

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 500,
      headers: JSON_HEADERS,
      body: '{"message":"Internal server error","requestId":"req-2"}',
    });
    expect(logger.lines).toStrictEqual([
      ['unexpected error while handling the request', { requestId: 'req-2', error }],
    ]);
  });
});

describe('Middleware: httpEdge', () => {
  const handlerThat = (fn: () => Promise<APIGatewayProxyResult>, apiKey?: string) =>
    middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      .use(httpEdge({ logger: recordingLogger(), apiKey }))
      .handler(fn);
  const context = () => createLambdaContext({ functionName: 'ingest-stream' });

  it('turns a client error thrown by the handler into its reply', async () => {
    // Prepare
    const handler = handlerThat(async () => {
      throw new BadRequestError('records must hold at least one record');
    });

    // Act
    const reply = await handler(loadEvent('apigw', 'put-records'), context());

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 400,
      headers: JSON_HEADERS,
      body: '{"message":"records must hold at least one record"}',
    });
  });

  it('refuses a request without the configured key before the handler runs', async () => {
    // Prepare
    let ran = false;
    const handler = handlerThat(async () => {
      ran = true;
      return { statusCode: 200, body: '{}' };
    }, 'pinlakeExampleApiKey0123456789');

    // Act
    const refused = await handler(loadEvent('apigw', 'invalid-missing-api-key'), context());
    const accepted = await handler(loadEvent('apigw', 'put-record'), context());

    // Assess
    expect(refused).toStrictEqual({
      statusCode: 403,
      headers: JSON_HEADERS,
      body: '{"message":"Forbidden"}',
    });
    expect(accepted).toStrictEqual({ statusCode: 200, body: '{}' });
    expect(ran).toBe(true);
  });
});
