import { pause } from '../../libs/retry';
import type { ApiRoute, ProxyHandler } from '../api';
import type { EdgeFunctions } from './functions';

/** Counts the API requests being handled, so a drain can wait until every accepted one has its reply. */
export class InFlight {
  private count = 0;

  /** Requests under way now. */
  get size(): number {
    return this.count;
  }

  /** The same handler, counted while it runs. */
  track(handler: ProxyHandler): ProxyHandler {
    return async (event, context) => {
      this.count++;
      try {
        return await handler(event, context);
      } finally {
        this.count--;
      }
    };
  }

  /** Resolves true once nothing is under way, or false when requests are still running after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.count > 0) {
      if (Date.now() > deadline) return false;
      await pause(5);
    }
    return true;
  }
}

/** The API Gateway resources of serverless.yml, each counted by `inFlight`. */
export function apiRoutes(functions: EdgeFunctions, inFlight: InFlight): ApiRoute[] {
  const stream = inFlight.track(functions.ingestStream);
  const batch = inFlight.track(functions.ingestBatch);
  return [
    { method: 'POST', resource: '/topics/{topic}', handler: batch, functionName: 'ingest-batch' },
    { method: 'PUT', resource: '/streams/{stream}/record', handler: stream, functionName: 'ingest-stream' },
    { method: 'PUT', resource: '/streams/{stream}/records', handler: stream, functionName: 'ingest-stream' },
    { method: 'GET', resource: '/streams', handler: stream, functionName: 'ingest-stream' },
    { method: 'GET', resource: '/streams/{stream}', handler: stream, functionName: 'ingest-stream' },
  ];
}
