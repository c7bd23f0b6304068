import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import kinesalite from 'kinesalite';
import { PinlakeError } from '../../libs/errors';
import { createKinesisClient } from '../../libs/kinesis';
import { streamNames } from '../../libs/naming';
import { pause } from '../../libs/retry';
import { listen } from '../listen';

/** Settings of {@link startKinesis}. */
export interface LocalKinesisOptions {
  /** Names the three streams `streaming-<id>-pin|geo|user` (default `pinlake`). */
  readonly pipelineId?: string;
  /**
   * Directory of kinesalite's LevelDB (leveldown): streams, records and sequence numbers survive a
   * restart on it. Default: in memory (memdown), gone with the process.
   */
  readonly path?: string;
  /** Shards per stream (default 2, so per-shard behaviour is exercised). */
  readonly shardCount?: number;
  /** Port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  /** Region the streams' ARNs name (default us-east-1). */
  readonly region?: string;
  /** How long creating a stream takes before it turns ACTIVE (default 10 ms; kinesalite's own is 500). */
  readonly createStreamMs?: number;
  /** Longest wait for the streams to turn ACTIVE (default 10 s). */
  readonly readyTimeoutMs?: number;
  /**
   * Decides each request before kinesalite sees it (IAM, as Kinesis does): resolves undefined to let
   * it through, or the message of an AccessDeniedException. Without it every request goes through.
   */
  readonly authorize?: KinesisGate;
}

/** Decides each request, and sees the replies that name what later requests will refer to. */
export interface KinesisGate {
  /** Resolves undefined to let the request through, or the message of an AccessDeniedException. */
  (request: KinesisRequest): Promise<string | undefined>;
  /**
   * Shown the decoded body of each successful reply to GetShardIterator, GetRecords and ListShards,
   * whose iterators and tokens later requests carry instead of the stream's name.
   */
  readonly observe?: (
    operation: string,
    request: Readonly<Record<string, unknown>>,
    reply: Readonly<Record<string, unknown>>,
  ) => void;
}

/** Replies whose body the gate shows to {@link KinesisGate.observe}. */
const OBSERVED = new Set(['GetShardIterator', 'GetRecords', 'ListShards']);

/** What {@link LocalKinesisOptions.authorize} is shown of a request. */
export interface KinesisRequest {
  /** The operation, e.g. `PutRecords` (from `X-Amz-Target`). */
  readonly operation: string;
  /** The access key id the request is signed with ('' when unsigned). */
  readonly accessKeyId: string;
  /** The decoded body (StreamName, StreamARN, …). */
  readonly body: Readonly<Record<string, unknown>>;
}

/** A running local Kinesis. */
export interface LocalKinesis {
  /** `http://127.0.0.1:<port>`, for `KINESIS_ENDPOINT`. */
  readonly endpoint: string;
  readonly region: string;
  /** A client for this endpoint. */
  readonly client: KinesisClient;
  /** The pipeline's streams, in kind order (pin, geo, user). */
  readonly streams: readonly string[];
  /** Stops the server and frees its memory. */
  close(): Promise<void>;
}

/** Raised when the local Kinesis cannot start or its streams never turn ACTIVE. */
class LocalKinesisError extends PinlakeError {
  override readonly name: string = 'LocalKinesisError';
  override readonly code: string = 'LOCAL_KINESIS';
}

/**
 * Starts kinesalite in this process, on disk in `path` (LevelDB through leveldown, whose prebuilt
 * binary loads without install scripts) or in memory (memdown), on 127.0.0.1, creates the pipeline's
 * three streams and resolves once all are ACTIVE. A stream that already exists is kept as it is.
 */
export async function startKinesis(options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
  const region = options.region ?? 'us-east-1';
  const server = kinesalite({
    ...(options.path === undefined ? {} : { path: options.path }),
    createStreamMs: options.createStreamMs ?? 10,
    deleteStreamMs: 10,
    updateStreamMs: 10,
    shardLimit: 1000,
  });
  const authorize = options.authorize;
  const servers: Server[] = [server];
  let port: number;
  if (authorize) {
    const innerPort = await listen(server, 0);
    const gate = createAuthorizingGate(innerPort, authorize);
    servers.push(gate);
    port = await listen(gate, options.port);
  } else {
    port = await listen(server, options.port);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createKinesisClient({ region, endpoint });
  const close = async () => {
    client.destroy();
    for (const each of servers.reverse()) {
      each.closeAllConnections?.();
      await new Promise<void>((resolve, reject) =>
        each.close((error) => (error ? reject(error) : resolve())),
      );
    }
  };
  const streams = streamNames(options.pipelineId ?? 'pinlake');
  try {
    await createStreams(client, streams, {
      shardCount: options.shardCount ?? 2,
      timeoutMs: options.readyTimeoutMs ?? 10_000,
    });
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { endpoint, region, client, streams, close };
}

/**
 * Creates streams (an existing one is left as it is) and resolves once all are ACTIVE; throws a
 * {@link LocalKinesisError} when one cannot be created or is not ACTIVE within `timeoutMs`.
 */
export async function createStreams(
  client: KinesisClient,
  streams: readonly string[],
  options: { readonly shardCount: number; readonly timeoutMs?: number },
): Promise<void> {
  for (const name of streams) {
    try {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: options.shardCount }));
    } catch (error) {
      if (error instanceof ResourceInUseException) continue;
      throw new LocalKinesisError(`cannot create stream ${name} in the local Kinesis`, { cause: error });
    }
  }
  await waitUntilActive(client, streams, options.timeoutMs ?? 10_000);
}

async function waitUntilActive(client: KinesisClient, streams: readonly string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (const name of streams) {
    for (;;) {
      const { StreamDescriptionSummary: summary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      if (summary?.StreamStatus === 'ACTIVE') break;
      if (Date.now() > deadline) {
        throw new LocalKinesisError(`stream ${name} is still ${summary?.StreamStatus} after ${timeoutMs} ms`);
      }
      await pause(5);
    }
  }
}

/** The access key id of a SigV4 `Authorization` header (`… Credential=<key>/<date>/…`), '' when unsigned. */
export function accessKeyOfSignature(authorization: string | undefined): string {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ?? '';
}

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

function decodeBody(contentType: string, body: Buffer): Record<string, unknown> {
  try {
    if (contentType.includes('cbor')) {
      // kinesalite's own CBOR codec (the SDK may speak CBOR to Kinesis).
      const cbor = require('cbor') as { decodeFirstSync(input: Buffer): unknown };
      return (cbor.decodeFirstSync(body) as Record<string, unknown>) ?? {};
    }
    return body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
  } catch {
    return {}; // kinesalite answers the malformed body itself
  }
}

/**
 * An HTTP server in front of kinesalite (on `innerPort`) that lets through only the requests
 * `authorize` allows, and answers the others as Kinesis does: 400 AccessDeniedException.
 */
function createAuthorizingGate(innerPort: number, authorize: KinesisGate): Server {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const contentType = String(request.headers['content-type'] ?? '');
      const target = String(request.headers['x-amz-target'] ?? '');
      const accessKeyId = accessKeyOfSignature(request.headers.authorization);
      const operation = target.slice(target.indexOf('.') + 1);
      const decoded = decodeBody(contentType, body);
      const denied = await authorize({ operation, accessKeyId, body: decoded });
      if (denied !== undefined) {
        const json = !contentType.includes('cbor');
        const reply = { __type: 'AccessDeniedException', message: denied };
        const encoded = json
          ? Buffer.from(JSON.stringify(reply))
          : (require('cbor') as { encode(value: unknown): Buffer }).encode(reply);
        response.writeHead(400, {
          'content-type': json ? 'application/x-amz-json-1.1' : 'application/x-amz-cbor-1.1',
          'x-amzn-errortype': 'AccessDeniedException',
          'content-length': encoded.length,
        });
        response.end(encoded);
        return;
      }
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: innerPort,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent,
        },
        (reply) => {
          const observe = authorize.observe;
          if (!observe || !OBSERVED.has(operation) || reply.statusCode !== 200) {
            response.writeHead(reply.statusCode ?? 502, reply.headers);
            reply.pipe(response);
            return;
          }
          readBody(reply).then(
            (replyBody) => {
              observe(operation, decoded, decodeBody(String(reply.headers['content-type'] ?? ''), replyBody));
              response.writeHead(200, reply.headers);
              response.end(replyBody);
            },
            (error: Error) => response.destroy(error),
          );
        },
      );
      upstream.on('error', (error) => response.destroy(error));
      upstream.end(body);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
}
