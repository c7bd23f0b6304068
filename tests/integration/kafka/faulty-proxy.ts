/**
 * A TCP proxy in front of the embedded broker for producer tests: it records every request, points
 * Metadata answers at itself (so every connection goes through it), and can spoil the next Produce
 * requests: lose the broker's answer (and the connection), or answer with an error code itself.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  decodeStruct,
  encodeStruct,
  messages as M,
  type MessageSchema,
  Reader,
  type Struct,
  Writer,
} from '../../../libs/kafka/protocol';

/** What to do to the next Produce request: lose its answer, or answer with this error code. */
export type ProduceFault = 'lose-answer' | { readonly errorCode: number };

interface Request {
  readonly apiKey: number;
  readonly version: number;
}

const SCHEMAS = new Map<number, MessageSchema>(Object.values(M).map((s) => [s.apiKey, s]));

/** Calls `onFrame` with each size-prefixed frame of a byte stream. */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
      pending = pending.subarray(4 + frame.length);
      onFrame(frame);
    }
  };
}

const framed = (body: Buffer) => Buffer.concat([new Writer(4).int32(body.length).toBuffer(), body]);

function encodeResponse(correlationId: number, schema: MessageSchema, version: number, body: Struct): Buffer {
  const flexible = version >= schema.flexibleFrom;
  const w = new Writer().int32(correlationId);
  if (flexible) w.uvarint(0);
  encodeStruct(w, schema.response, body, version, flexible);
  return framed(w.toBuffer());
}

function decodeBody(r: Reader, schema: MessageSchema, version: number, fields: 'request' | 'response') {
  const flexible = version >= schema.flexibleFrom;
  if (flexible) r.skipTaggedFields();
  return decodeStruct(r, schema[fields], version, flexible);
}

/** A running proxy; `faults` is consumed one per Produce request, in order. */
export class FaultyProxy {
  /** Every request that passed, in order. */
  readonly requests: Request[] = [];
  readonly faults: ProduceFault[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly brokerPort: number,
  ) {
    server.on('connection', (client) => this.serve(client));
  }

  /** Starts a proxy on 127.0.0.1 (free port) in front of the broker listening on `brokerPort`. */
  static async start(brokerPort: number): Promise<FaultyProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FaultyProxy(server, brokerPort);
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The requests seen so far as `Name vN`, e.g. `Produce v11`. */
  seen(): string[] {
    return this.requests.map((r) => `${SCHEMAS.get(r.apiKey)?.name ?? r.apiKey} v${r.version}`);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(client: Socket): void {
    const broker = connect(this.brokerPort, '127.0.0.1');
    const inFlight = new Map<number, Request & { lose: boolean }>();
    for (const s of [client, broker]) {
      this.sockets.add(s);
      s.on('close', () => {
        this.sockets.delete(s);
        client.destroy();
        broker.destroy();
      });
      s.on('error', () => s.destroy());
    }
    client.on(
      'data',
      frames((frame) => {
        const r = new Reader(frame);
        const request = { apiKey: r.int16(), version: r.int16() };
        const correlationId = r.int32();
        this.requests.push(request);
        const fault = request.apiKey === M.Produce.apiKey ? this.faults.shift() : undefined;
        if (fault === undefined || fault === 'lose-answer') {
          inFlight.set(correlationId, { ...request, lose: fault === 'lose-answer' });
          broker.write(framed(frame));
          return;
        }
        r.bytes(r.int16());
        const produce = decodeBody(r, M.Produce, request.version, 'request');
        const topics = produce.topicData as { name: string; partitionData: { index: number }[] }[];
        const responses = topics.map((t) => ({
          name: t.name,
          partitionResponses: t.partitionData.map((p) => ({
            index: p.index,
            errorCode: fault.errorCode,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: -1n,
            recordErrors: [],
            errorMessage: null,
          })),
        }));
        client.write(
          encodeResponse(correlationId, M.Produce, request.version, { responses, throttleTimeMs: 0 }),
        );
      }),
    );
    broker.on(
      'data',
      frames((frame) => {
        const correlationId = frame.readInt32BE(0);
        const request = inFlight.get(correlationId);
        inFlight.delete(correlationId);
        if (request?.lose) {
          client.destroy();
          return;
        }
        if (request?.apiKey !== M.Metadata.apiKey) {
          client.write(framed(frame));
          return;
        }
        const metadata = decodeBody(new Reader(frame.subarray(4)), M.Metadata, request.version, 'response');
        const brokers = (metadata.brokers as Struct[]).map((b) => ({
          ...b,
          host: '127.0.0.1',
          port: this.port,
        }));
        client.write(encodeResponse(correlationId, M.Metadata, request.version, { ...metadata, brokers }));
      }),
    );
  }
}
