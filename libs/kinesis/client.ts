import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Where and how to reach Kinesis. */
export interface KinesisClientOptions {
  readonly region: string;
  /** Endpoint override (kinesalite locally); undefined means the AWS endpoint of the region. */
  readonly endpoint?: string | undefined;
  /** Fixed credentials instead of the default chain (the local stack signs as each function's role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/**
 * A Kinesis client over HTTP/1.1 with keep-alive (`NodeHttpHandler`: kinesalite speaks HTTP/1.1 only,
 * and the Kinesis client otherwise defaults to an HTTP/2 handler). With an endpoint override and no AWS
 * credentials in the environment it signs with fixed local credentials, which kinesalite accepts.
 * Build it once per process (module scope) and reuse it.
 */
export function createKinesisClient(options: KinesisClientOptions): KinesisClient {
  const local = options.endpoint !== undefined;
  return new KinesisClient({
    region: options.region,
    endpoint: options.endpoint,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 3000,
      requestTimeout: 10000,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    }),
    ...(options.credentials
      ? { credentials: options.credentials }
      : local && !process.env.AWS_ACCESS_KEY_ID
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
  });
}
