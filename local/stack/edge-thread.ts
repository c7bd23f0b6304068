/**
 * The entry point of the local stack's edge thread: the API server with ingest-stream and
 * ingest-batch, on their own core, talking to kinesalite and the Kafka broker in the main thread
 * over their real protocols. Messages: `settle` → `settled` once no request is under way;
 * `stop-accepting` → `settled` once the API accepts no more and every accepted request is answered; `close` →
 * `closed` once the server and the clients are closed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setChaos } from '../../libs/chaos';
import { startApiServer } from '../api';
import { localCredentials } from '../iam';
import type { EdgeThreadData, FromEdge, ToEdge } from './edge-messages';
import { createEdgeFunctions } from './functions';
import { apiRoutes, InFlight } from './in-flight';

const port = parentPort;
const data = workerData as EdgeThreadData;
const send = (message: FromEdge) => port?.postMessage(message);

async function serve(): Promise<void> {
  if (port === null) throw new Error('edge-thread.ts runs only as a worker thread');
  if (data.chaos > 0) setChaos(data.chaos);
  const functions = createEdgeFunctions(
    data.env,
    data.environments,
    data.logLevel,
    data.iam ? localCredentials : undefined,
  );
  const inFlight = new InFlight();
  const api = await startApiServer({ routes: apiRoutes(functions, inFlight), port: data.apiPort });
  port.on('message', (message: ToEdge) => {
    if (message.type === 'settle' || message.type === 'stop-accepting') {
      const stopped =
        message.type === 'stop-accepting' ? api.stopAccepting(message.timeoutMs) : Promise.resolve(true);
      stopped
        .then(async (answered) => answered && (await inFlight.settled(message.timeoutMs)))
        .then(
          (ok) => send({ type: 'settled', id: message.id, ok, inFlight: inFlight.size }),
          () => send({ type: 'settled', id: message.id, ok: false, inFlight: inFlight.size }),
        );
      return;
    }
    void api
      .close()
      .then(() => functions.close())
      .finally(() => {
        send({ type: 'closed' });
        port.close();
      });
  });
  send({ type: 'ready', url: api.url });
}

serve().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  port?.close();
});
