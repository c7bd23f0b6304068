import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { RequestError } from './errors';

/** One HTTP reply: its status, its body (the first 64 KB) and its `Retry-After` in ms, if any. */
export interface HttpReply {
  readonly status: number;
  readonly body: string;
  readonly retryAfterMs: number | undefined;
}

const KEPT_BODY_BYTES = 64 * 1024;

/** A keep-alive connection pool for one API, `maxSockets` connections at most. */
export interface ConnectionPool {
  send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<HttpReply>;
  close(): void;
}

/**
 * Opens a keep-alive pool for http: and https: URLs (connections are reused across posts, at most
 * `maxSockets` at once). `send` resolves with any HTTP reply, or rejects with a {@link RequestError}
 * when none came within `timeoutMs` or `signal` aborted.
 */
export function openConnectionPool(maxSockets: number, timeoutMs: number): ConnectionPool {
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  return {
    send: (method, url, headers, body, signal) =>
      new Promise<HttpReply>((resolve, reject) => {
        const secure = url.protocol === 'https:';
        const fail = (error: unknown) =>
          reject(
            new RequestError(`${method} ${url.href}: ${error instanceof Error ? error.message : error}`, {
              cause: error,
            }),
          );
        const request = (secure ? httpsRequest : httpRequest)(
          url,
          {
            method,
            agent: secure ? https : http,
            headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
            signal,
            timeout: timeoutMs,
          },
          (response) => {
            const chunks: Buffer[] = [];
            let kept = 0;
            response.on('data', (chunk: Buffer) => {
              if (kept < KEPT_BODY_BYTES) chunks.push(chunk);
              kept += chunk.length;
            });
            response.on('error', fail);
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                body: Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString('utf8'),
                retryAfterMs: retryAfter(response.headers),
              }),
            );
          },
        );
        request.on('timeout', () => request.destroy(new Error(`no reply within ${timeoutMs} ms`)));
        request.on('error', fail);
        request.end(body);
      }),
    close: () => {
      http.destroy();
      https.destroy();
    },
  };
}

/** Whether a reply means the record is in and, if not, why and whether trying again can help. */
export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly retry: boolean; readonly error: string };

/**
 * Judges one reply: 2xx is accepted, except a REST Proxy reply (`batch`) whose record carries an
 * error code (50003, retriable, is retried); 429 and 5xx are worth retrying; other codes are final.
 * The error names the status and the API's message.
 */
export function judgeReply(batch: boolean, reply: HttpReply): Verdict {
  if (reply.status >= 200 && reply.status < 300) {
    if (!batch) return { ok: true };
    // REST Proxy answers 200 with a per-record error code when Kafka refused the record.
    const offset = parseJson(reply.body)?.offsets?.[0];
    if (offset?.error_code === null || offset?.error_code === undefined) return { ok: true };
    return {
      ok: false,
      retry: offset.error_code === 50003,
      error: `Kafka error ${offset.error_code}: ${offset.error ?? 'no message'}`,
    };
  }
  const parsed = parseJson(reply.body);
  const message = parsed?.message ?? parsed?.Message ?? reply.body;
  return {
    ok: false,
    retry: reply.status === 429 || reply.status >= 500,
    error: `HTTP ${reply.status}: ${String(message).slice(0, 200)}`,
  };
}

interface ReplyBody {
  message?: unknown;
  Message?: unknown;
  offsets?: { error_code?: number | null; error?: string | null }[];
}

function parseJson(body: string): ReplyBody | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as ReplyBody) : undefined;
  } catch {
    return undefined;
  }
}

// Retry-After in seconds (the HTTP-date form is rare from APIs and ignored).
function retryAfter(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value) * 1000;
}
