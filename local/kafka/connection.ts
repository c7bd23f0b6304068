/**
 * One client connection: splits the byte stream into size-prefixed requests, answers them strictly
 * in order, and closes the connection on anything it cannot decode or does not serve (as Kafka does),
 * except an ApiVersions request of an unknown version, which gets UNSUPPORTED_VERSION in v0 shape.
 */
import type { Socket } from 'node:net';
import {
  ErrorCode,
  encodeResponse,
  isFlexible,
  messages,
  ProtocolError,
  Reader,
  Writer,
} from '../../libs/kafka/protocol';
import { apis, apiVersionsBody, PRE_AUTH_API_KEYS } from './apis';
import type { BrokerContext, Session } from './apis/context';

/**
 * Largest request accepted, as Kafka's `socket.request.max.bytes` (100 MiB there): 16 MiB here, twice
 * the 8 MiB largest message MSK takes and above API Gateway's 10 MB body, so no request the pipeline
 * makes comes near it. A larger size prefix closes the connection before any of the frame is kept.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** A response frame: size, correlation id, the header's tagged fields when `taggedHeader`, the body. */
function frameResponse(correlationId: number, taggedHeader: boolean, writeBody: (w: Writer) => void): Buffer {
  const w = new Writer(256).int32(0).int32(correlationId);
  if (taggedHeader) w.uvarint(0);
  writeBody(w);
  return w.patchInt32(0, w.length - 4).toBuffer();
}

export function serveConnection(socket: Socket, ctx: BrokerContext): void {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  // As real brokers do: small responses go out at once instead of waiting on Nagle's algorithm.
  socket.setNoDelay(true);
  let queue = Promise.resolve();
  const session: Session = { mechanism: undefined, authenticated: false };

  const drop = (reason: string) => {
    ctx.log(`closing connection from ${peer}: ${reason}`);
    socket.destroy();
  };

  const handle = async (frame: Buffer) => {
    const r = new Reader(frame, `request from ${peer}`);
    const apiKey = r.int16();
    const version = r.int16();
    const correlationId = r.int32();
    const clientLength = r.int16();
    const clientId = clientLength < 0 ? '' : r.bytes(clientLength).toString('utf8');
    const api = apis.get(apiKey);
    const who = `client "${clientId}" (${peer})`;
    if (!api) return drop(`${who} sent API key ${apiKey} v${version}, which this broker does not serve`);
    const { schema } = api;
    if (version < schema.minVersion || version > schema.maxVersion) {
      const served = `v${schema.minVersion}-v${schema.maxVersion}`;
      if (apiKey !== messages.ApiVersions.apiKey)
        return drop(`${who} sent ${schema.name} v${version}; served: ${served}`);
      ctx.log(`${who} sent ApiVersions v${version}; answered UNSUPPORTED_VERSION (served: ${served})`);
      const body = apiVersionsBody(ErrorCode.UNSUPPORTED_VERSION, schema);
      return void socket.write(
        frameResponse(correlationId, false, (w) => encodeResponse(w, messages.ApiVersions, body, 0)),
      );
    }
    if (ctx.oauthBearer && !session.authenticated && !PRE_AUTH_API_KEYS.has(apiKey)) {
      return drop(`${who} sent ${schema.name} before authenticating`);
    }
    ctx.onRequest({ api: schema.name, apiKey, version, clientId });
    const flexible = isFlexible(schema, version);
    if (flexible) r.skipTaggedFields();
    const writeBody = await api.serve(ctx, r, version, session);
    // ApiVersions responses always use header v0, so that a client of any version can read them.
    const taggedHeader = flexible && apiKey !== messages.ApiVersions.apiKey;
    if (writeBody !== null && !socket.destroyed)
      socket.write(frameResponse(correlationId, taggedHeader, writeBody));
  };

  // The bytes received and not yet framed, kept as the chunks that came: a frame is copied into one
  // buffer once, when it is complete, never on every chunk (which made a large frame quadratic).
  let chunks: Buffer[] = [];
  let buffered = 0;
  let frameEnd = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= 4) {
      if (frameEnd === 0) {
        if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks, buffered)];
        const size = chunks[0]!.readInt32BE(0);
        if (size < 8 || size > MAX_REQUEST_BYTES) {
          chunks = [];
          buffered = 0;
          return drop(`request size ${size} is out of bounds (8 to ${MAX_REQUEST_BYTES} bytes)`);
        }
        frameEnd = 4 + size;
      }
      if (buffered < frameEnd) break;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      const frame = all.subarray(4, frameEnd);
      const rest = all.subarray(frameEnd);
      chunks = rest.length > 0 ? [rest] : [];
      buffered = rest.length;
      frameEnd = 0;
      queue = queue
        .then(() => (socket.destroyed ? undefined : handle(frame)))
        .catch((error: unknown) => {
          if (error instanceof ProtocolError) return drop(error.message);
          drop(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        });
    }
  });
  socket.on('error', () => socket.destroy());
}
