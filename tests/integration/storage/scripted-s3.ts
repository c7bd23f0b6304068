import { Readable } from 'node:stream';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** What the interceptor saw of one HTTP request the SDK was about to send. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** A scripted reply: send the request on to s3rver, or answer with this status and XML body. */
export type ScriptedReply =
  | 'forward'
  | { readonly status: number; readonly xml: string; readonly forward?: true };

interface HttpRequestLike {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The XML error body S3 sends, e.g. `s3ErrorXml('PreconditionFailed', '…')`. */
export function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SCRIPTED</RequestId><HostId>SCRIPTED</HostId></Error>`;
}

/**
 * Puts a middleware on the client's real stack, just inside the SDK's deserializer, that answers
 * requests as `script` says. A scripted reply is a raw HTTP response, so the SDK's own parser
 * builds the exception (name, $metadata.httpStatusCode, retries) exactly as with AWS. With
 * `forward: true` the request reaches s3rver first and its reply is replaced (a lost reply).
 * Returns the list of requests seen, in order.
 */
export function interceptS3(
  client: S3Client,
  script: (request: SeenRequest) => ScriptedReply | Promise<ScriptedReply>,
): SeenRequest[] {
  const seen: SeenRequest[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const http = args.request as HttpRequestLike;
      const headers = Object.fromEntries(Object.entries(http.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const request: SeenRequest = {
        method: http.method,
        path: http.path,
        query: { ...http.query },
        headers,
      };
      seen.push(request);
      const reply = await script(request);
      if (reply === 'forward') return next(args);
      if (reply.forward) {
        const real = (await next(args)) as { response: { body?: Readable } };
        real.response.body?.resume();
      }
      const response = {
        statusCode: reply.status,
        reason: 'scripted',
        headers: { 'content-type': 'application/xml' },
        body: Readable.from([Buffer.from(reply.xml)]),
      };
      return { response, output: undefined } as unknown as Awaited<ReturnType<typeof next>>;
    },
    { step: 'deserialize', priority: 'low', name: 'scriptedS3Replies' },
  );
  return seen;
}

/**
 * Gives an s3rver-backed client S3's conditional create: a PUT with `If-None-Match: *` on a key
 * that exists gets S3's real 412 PreconditionFailed reply. s3rver ignores the header, and no
 * AWS account is reachable here; the check is not atomic, which is fine for sequential tests.
 * `probe` is a client without the middleware, used to look the key up.
 */
export function emulateConditionalWrites(client: S3Client, probe: S3Client): SeenRequest[] {
  return interceptS3(client, async (request) => {
    if (request.method !== 'PUT' || request.headers['if-none-match'] !== '*') return 'forward';
    const [bucket, ...key] = request.path.replace(/^\//, '').split('/');
    const exists = await probe
      .send(new HeadObjectCommand({ Bucket: bucket, Key: decodeURIComponent(key.join('/')) }))
      .then(
        () => true,
        () => false,
      );
    if (!exists) return 'forward';
    return {
      status: 412,
      xml: s3ErrorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'),
    };
  });
}
