import { createServer, request as forward, type Server } from 'node:http';
import { listen } from '../../../local/listen';

/** One request the proxy passed on: method, path (bucket/key) and its If-None-Match header. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly ifNoneMatch: string | undefined;
}

/**
 * An HTTP proxy on 127.0.0.1 and a free port in front of an S3 stand-in (s3rver), recording what a
 * client sends, such as the If-None-Match header of the Delta commits. Headers go on unchanged, so
 * the stand-in still checks the client's signatures.
 */
export async function startRecordingS3Proxy(
  target: string,
): Promise<{ endpoint: string; seen: ProxiedRequest[]; close: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  const seen: ProxiedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const header = incoming.headers['if-none-match'];
    seen.push({
      method: incoming.method ?? '',
      path: (incoming.url ?? '').split('?')[0] ?? '',
      ifNoneMatch: Array.isArray(header) ? header.join(',') : header,
    });
    const upstream = forward(
      { host: hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  const proxyPort = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
