/**
 * A bare Kafka wire client for tests: sends hand-built requests and returns the raw response
 * frames, so tests can send what real clients never would (bad CRCs, unknown versions, snappy).
 */
import { connect, type Socket } from 'node:net';
import {
  decodeStruct,
  encodeStruct,
  type MessageSchema,
  Reader,
  type Struct,
  Writer,
} from '../../../libs/kafka/protocol';

export class WireClient {
  private pending: Buffer = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private correlationId = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
        const size = this.pending.readInt32BE(0);
        this.frames.push(this.pending.subarray(4, 4 + size));
        this.pending = this.pending.subarray(4 + size);
      }
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static connect(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one request with a v1 or v2 header (by `flexible`) around `body`; returns its correlation id. */
  sendRaw(apiKey: number, version: number, body: Buffer, flexible: boolean): number {
    const id = ++this.correlationId;
    const w = new Writer()
      .int32(0)
      .int16(apiKey)
      .int16(version)
      .int32(id)
      .int16(4)
      .bytes(Buffer.from('test'));
    if (flexible) w.uvarint(0);
    w.bytes(body);
    this.socket.write(w.patchInt32(0, w.length - 4).toBuffer());
    return id;
  }

  /** Encodes `request` with the schema at `version` and sends it. */
  send(schema: MessageSchema, version: number, request: Struct): number {
    const flexible = version >= schema.flexibleFrom;
    const body = new Writer();
    encodeStruct(body, schema.request, request, version, flexible);
    return this.sendRaw(schema.apiKey, version, body.toBuffer(), flexible);
  }

  /** The next response frame (correlation id + body), or `closed` when the broker hung up first. */
  async nextFrame(timeoutMs = 5000): Promise<Buffer | 'closed'> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) return 'closed';
      if (Date.now() > deadline) throw new Error('no response from the broker in time');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.frames.shift()!;
  }

  /** Sends a request and decodes its response (header v0/v1 as the schema says). */
  async call(
    schema: MessageSchema,
    version: number,
    request: Struct,
  ): Promise<{ correlationId: number; body: Struct }> {
    this.send(schema, version, request);
    const frame = await this.nextFrame();
    if (frame === 'closed') throw new Error(`broker closed the connection on ${schema.name} v${version}`);
    const flexible = version >= schema.flexibleFrom;
    const r = new Reader(frame, 'response');
    const correlationId = r.int32();
    if (flexible && schema.apiKey !== 18) r.skipTaggedFields();
    const body = decodeStruct(r, schema.response, version, flexible);
    if (r.remaining !== 0) throw new Error(`${r.remaining} bytes left after the ${schema.name} response`);
    return { correlationId, body };
  }

  close(): void {
    this.socket.destroy();
  }
}
