/**
 * The MSK control plane's one call the functions make, GetBootstrapBrokers, served locally on
 * 127.0.0.1 (`MSK_ENDPOINT`): it answers the embedded broker as the cluster's IAM listener, after
 * IAM allows the caller `kafka:GetBootstrapBrokers` (an action that takes only `*` as resource).
 */
import { createServer, type Server } from 'node:http';
import { accessKeyOfSignature } from '../kinesis';
import { listen } from '../listen';
import { AccessDeniedError, functionOfAccessKey, type IamEnforcer } from './enforcer';

/** A running MSK API stand-in. */
export interface LocalMskApi {
  /** `http://127.0.0.1:<port>`, for `MSK_ENDPOINT`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts the stand-in for the cluster `clusterArn` whose IAM listener is `bootstrap` (host:port). */
export async function startMskApi(options: {
  readonly clusterArn: string;
  readonly bootstrap: string;
  readonly iam: IamEnforcer | undefined;
}): Promise<LocalMskApi> {
  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown, errorType?: string) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(text);
    };
    request.resume();
    const match = /^\/v1\/clusters\/([^/]+)\/bootstrap-brokers$/.exec(
      (request.url ?? '').split('?')[0] ?? '',
    );
    if (request.method !== 'GET' || !match?.[1]) {
      return reply(
        404,
        { message: `${request.method} ${request.url} is not served locally` },
        'NotFoundException',
      );
    }
    const clusterArn = decodeURIComponent(match[1]);
    const accessKeyId = accessKeyOfSignature(request.headers.authorization);
    const functionName = functionOfAccessKey(accessKeyId);
    if (options.iam && functionName !== undefined) {
      try {
        await options.iam.require({
          functionName,
          action: 'kafka:GetBootstrapBrokers',
          resource: clusterArn,
        });
      } catch (error) {
        if (!(error instanceof AccessDeniedError)) throw error;
        return reply(403, { message: error.message }, 'ForbiddenException');
      }
    }
    if (clusterArn !== options.clusterArn) {
      return reply(404, { message: `cluster ${clusterArn} not found` }, 'NotFoundException');
    }
    reply(200, { bootstrapBrokerStringSaslIam: options.bootstrap });
  });
  const port = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
