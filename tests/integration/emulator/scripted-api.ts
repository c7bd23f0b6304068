import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the scripted API received, its JSON body parsed. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly apiKey: string | undefined;
  readonly body: unknown;
}

/** What the script answers: a reply, `drop` (the connection is cut) or `hang` (no answer, ever). */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop' | 'hang';

/** A plain HTTP server on 127.0.0.1 whose answers a test scripts, recording every request. */
export interface ScriptedApi {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/**
 * Starts the scripted API: `answer` gets each request and how many times the same method, path and
 * body came before it (0 the first time), so a test can fail a record's first attempts only.
 */
export async function startScriptedApi(answer: (request: Received, seenBefore: number) => Answer) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry: Received = {
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        apiKey: request.headers['x-api-key'] as string | undefined,
        body: JSON.parse(text),
      };
      received.push(entry);
      const key = `${entry.method} ${entry.path} ${text}`;
      const before = seen.get(key) ?? 0;
      seen.set(key, before + 1);
      const reply = answer(entry, before);
      if (reply === 'hang') return;
      if (reply === 'drop') {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api: ScriptedApi = {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return api;
}

/** A REST Proxy v2 produce reply for one record, optionally refused with a Kafka error code. */
export function produceReply(errorCode: number | null = null): Answer {
  return {
    status: 200,
    body: {
      offsets: [
        errorCode === null
          ? { partition: 0, offset: 0, error_code: null, error: null }
          : { partition: null, offset: null, error_code: errorCode, error: `Kafka error ${errorCode}` },
      ],
      key_schema_id: null,
      value_schema_id: null,
    },
  };
}
