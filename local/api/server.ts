import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { pause } from '../../libs/retry';
import { listen } from '../listen';
import { createLambdaContext } from '../pollers';
import { buildProxyEvent, type MatchedRequest } from './proxy-event';

/** A Lambda handler for API Gateway REST proxy events (a middy handler fits). */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** One API Gateway method: an HTTP method (or `ANY`) on a resource template, and its function. */
export interface ApiRoute {
  readonly method: string;
  /** A resource template: `/streams/{stream}/record`, `/topics/{topic}`, `/{proxy+}`. */
  readonly resource: string;
  readonly handler: ProxyHandler;
  /** The function's name in its Lambda context (default the resource). */
  readonly functionName?: string;
}

/** Settings of {@link startApiServer}. */
export interface ApiServerOptions {
  readonly routes: readonly ApiRoute[];
  /** Port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  /** The stage events name when the URL has no stage prefix (default `local`). */
  readonly stage?: string;
  /** Largest body accepted (API Gateway's 10 MB by default); more gets 413. */
  readonly maxBodyBytes?: number;
  /** The functions' timeout in their Lambda context (default 29 s, API Gateway's integration limit). */
  readonly timeoutMs?: number;
}

/** A running local API. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>`; routes answer with or without a stage prefix (`/dev/streams`). */
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting: the listener closes (new connections are refused), a new request on an open
   * connection is answered 503 and its connection closed, idle connections are closed. Resolves once
   * every request accepted before has its reply, or false when some still have none after `timeoutMs`.
   */
  stopAccepting(timeoutMs: number): Promise<boolean>;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

const API_ID = 'pinlakelocal';

/**
 * Starts an in-process API Gateway (REST) stand-in on 127.0.0.1: each request that matches a route
 * becomes a real proxy event and is handed to the route's handler with a Lambda-like context. As API
 * Gateway: an unknown method or path gets 403 `Missing Authentication Token`, a handler that throws
 * or answers something malformed gets 502 `Internal server error`, a body over the limit gets 413.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  let accepting = true;
  let open = 0;
  const server = createServer((request, response) => {
    if (!accepting) {
      response.shouldKeepAlive = false;
      response.once('finish', () => request.destroy());
      return send(response, randomUUID(), { statusCode: 503, body: '{"message":"Service Unavailable"}' });
    }
    open++;
    response.once('close', () => open--);
    void serve(request, response, options, maxBodyBytes);
  });
  const port = await listen(server, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stopAccepting: async (timeoutMs) => {
      if (accepting) {
        accepting = false;
        server.close();
        server.closeIdleConnections();
      }
      const deadline = Date.now() + timeoutMs;
      while (open > 0) {
        if (Date.now() > deadline) return false;
        await pause(5);
      }
      return true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) =>
          error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING'
            ? reject(error)
            : resolve(),
        );
        server.closeAllConnections();
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: ApiServerOptions,
  maxBodyBytes: number,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) {
      // The rest of the body is never read: the connection closes once the reply is out.
      response.shouldKeepAlive = false;
      response.once('finish', () => request.destroy());
      return send(response, requestId, { statusCode: 413, body: '{"message":"Request Too Long"}' });
    }
    const found = matchRoute(
      options.routes,
      request.method ?? 'GET',
      request.url ?? '/',
      options.stage ?? 'local',
    );
    if (!found)
      return send(response, requestId, {
        statusCode: 403,
        body: '{"message":"Missing Authentication Token"}',
      });
    const event = buildProxyEvent(request, body, found.match, API_ID);
    event.requestContext.requestId = requestId;
    const context = createLambdaContext({
      functionName: found.route.functionName ?? found.route.resource,
      timeoutMs: options.timeoutMs ?? 29_000,
    });
    const result = await found.route.handler(event, context);
    if (!isProxyResult(result))
      throw new TypeError('the handler answered something that is not a proxy result');
    send(response, requestId, result);
  } catch {
    send(response, requestId, { statusCode: 502, body: '{"message":"Internal server error"}' });
  }
}

// Resolves the body, or undefined when it is over the limit: at once when `Content-Length` says so
// (nothing is read), or as soon as a chunked body passes it (reading stops there).
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    request.pause();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData);
      request.pause();
      resolve(undefined);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function matchRoute(routes: readonly ApiRoute[], method: string, url: string, defaultStage: string) {
  const parsed = new URL(url, 'http://localhost');
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  // Without a stage first, then with the first segment taken as the stage (/dev/streams/…).
  const attempts = [
    { stage: defaultStage, rest: segments },
    ...(segments.length > 1 ? [{ stage: segments[0]!, rest: segments.slice(1) }] : []),
  ];
  for (const { stage, rest } of attempts) {
    for (const route of routes) {
      if (route.method !== 'ANY' && route.method.toUpperCase() !== method.toUpperCase()) continue;
      const pathParameters = bindTemplate(route.resource, rest);
      if (pathParameters === undefined) continue;
      const path = `/${rest.join('/')}`;
      const match: MatchedRequest = {
        resource: route.resource,
        path,
        stage,
        pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
        query: parsed.searchParams,
      };
      return { route, match };
    }
  }
  return undefined;
}

// Binds `{name}` to one decoded segment and `{name+}` to the rest; undefined when the path does not fit.
function bindTemplate(resource: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = resource.split('/').filter((s) => s !== '');
  const bound: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (i >= segments.length) return undefined;
      bound[greedy[1]!] = segments.slice(i).map(decode).join('/');
      return bound;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    const param = /^\{(.+)\}$/.exec(part);
    if (param) bound[param[1]!] = decode(segment);
    else if (part !== segment) return undefined;
  }
  return parts.length === segments.length ? bound : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number'
  );
}

function send(
  response: ServerResponse,
  requestId: string,
  result: Pick<APIGatewayProxyResult, 'statusCode' | 'body'> & Partial<APIGatewayProxyResult>,
): void {
  response.statusCode = result.statusCode;
  response.setHeader('x-amzn-RequestId', requestId);
  if (!result.headers?.['Content-Type'] && !result.headers?.['content-type']) {
    response.setHeader('Content-Type', 'application/json');
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    response.setHeader(name, values.map(String));
  }
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}
