import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EdgeThreadData, FromEdge, ToEdge } from './edge-messages';
import { EdgeThreadError } from './errors';

/** The API, running in its own thread. */
export interface Edge {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Resolves true once no request is under way, false when some still are after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean>;
  /**
   * Stops accepting requests (new connections refused, new requests on open ones answered 503), then
   * resolves true once every accepted request has its reply, false when some still have none after `timeoutMs`.
   */
  stopAccepting(timeoutMs: number): Promise<boolean>;
  /** Closes the API and its clients, then ends the thread. */
  close(): Promise<void>;
}

// The thread compiles the TypeScript sources itself with tsx, as bin/pinlake.js does, so it runs the
// same way under the CLI and under jest.
const BOOT = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(join(__dirname, 'edge-thread.ts'))});`;

/**
 * Starts the edge thread (see edge-thread.ts) and resolves once its API listens. Rejects with an
 * {@link EdgeThreadError} when the thread fails to start.
 */
export function startEdge(data: EdgeThreadData): Promise<Edge> {
  const worker = new Worker(BOOT, { eval: true, workerData: data });
  const waiting = new Map<number, (ok: boolean) => void>();
  let nextId = 0;
  let closed: (() => void) | undefined;
  let exited = false;
  const post = (message: ToEdge) => worker.postMessage(message);
  const ask = (type: 'settle' | 'stop-accepting', timeoutMs: number) =>
    new Promise<boolean>((answer) => {
      if (exited) return answer(true);
      const id = nextId++;
      waiting.set(id, answer);
      post({ type, id, timeoutMs });
    });
  return new Promise<Edge>((resolve, reject) => {
    worker.on('error', (error) =>
      reject(new EdgeThreadError(`the API thread failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', () => {
      exited = true;
      for (const answer of waiting.values()) answer(false);
      closed?.();
      reject(new EdgeThreadError('the API thread ended before it was ready'));
    });
    worker.on('message', (message: FromEdge) => {
      if (message.type === 'failed')
        reject(new EdgeThreadError(`the API could not start: ${message.message}`));
      if (message.type === 'settled') {
        waiting.get(message.id)?.(message.ok);
        waiting.delete(message.id);
      }
      if (message.type === 'closed') closed?.();
      if (message.type !== 'ready') return;
      resolve({
        url: message.url,
        settled: (timeoutMs) => ask('settle', timeoutMs),
        stopAccepting: (timeoutMs) => ask('stop-accepting', timeoutMs),
        close: () =>
          new Promise<void>((done) => {
            if (exited) return done();
            closed = done;
            post({ type: 'close' });
          }).then(async () => {
            // Whatever the thread still holds (a keep-alive socket) must not keep the process up.
            await worker.terminate();
          }),
      });
    });
  });
}
