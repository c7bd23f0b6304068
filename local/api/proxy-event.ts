import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Where a request matched: the route's resource template and the path parameters it bound. */
export interface MatchedRequest {
  /** The resource template, e.g. `/streams/{stream}/record`. */
  readonly resource: string;
  /** The path without the stage, e.g. `/streams/streaming-pinlake-pin/record`. */
  readonly path: string;
  readonly stage: string;
  readonly pathParameters: Record<string, string> | null;
  readonly query: URLSearchParams;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The API Gateway REST proxy event (v1) for one HTTP request, as API Gateway builds it: headers with
 * the client's casing (last value wins) and multi-value headers, query strings, path parameters,
 * `requestContext` with the stage, request id and `identity` (source IP, user agent, API key), and
 * the body as UTF-8 text (`isBase64Encoded: false`, as for a REST API with no binary media types).
 */
export function buildProxyEvent(
  request: IncomingMessage,
  body: Buffer,
  match: MatchedRequest,
  apiId: string,
): APIGatewayProxyEvent {
  // Client-chosen names are stored as own properties and read back only as own properties, so a
  // header or parameter named `__proto__`, `constructor` or `toString` is one more name, as it is in the
  // JSON event Lambda parses (JSON.parse makes `__proto__` an own property too).
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    setOwn(headers, name, value);
    setOwn(multiValueHeaders, name, [...(ownValue(multiValueHeaders, name) ?? []), value]);
  }
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of match.query) {
    setOwn(queryStringParameters, name, value);
    setOwn(multiValueQueryStringParameters, name, [
      ...(ownValue(multiValueQueryStringParameters, name) ?? []),
      value,
    ]);
  }
  const hasQuery = match.query.size > 0;
  const now = new Date();
  const apiKey =
    Object.entries(headers).findLast(([name]) => name.toLowerCase() === 'x-api-key')?.[1] ?? null;
  const userAgent =
    Object.entries(headers).findLast(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const method = request.method ?? 'GET';
  const domainName = `${apiId}.execute-api.local`;
  return {
    resource: match.resource,
    path: match.path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: match.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId,
      authorizer: undefined,
      domainName,
      domainPrefix: apiId,
      extendedRequestId: randomUUID(),
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey,
        apiKeyId: apiKey === null ? null : 'local',
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${match.stage}${match.path}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: randomUUID(),
      requestTime: formatRequestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: match.resource,
      stage: match.stage,
    },
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
  };
}

/** Sets `key` as an own, enumerable data property, whatever its name (`__proto__` included). */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The own property `key` of `target`, never one inherited from `Object.prototype`. */
function ownValue<T>(target: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

// API Gateway's requestTime: `22/Nov/2025:10:15:30 +0000`.
function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
