/**
 * One connection from a client (the producer, the consumer) to a broker: TCP or TLS, ApiVersions to
 * pick each API's version, SASL/OAUTHBEARER when a token provider is given, then requests matched to
 * responses by correlation id (several may be in flight; Kafka answers them in order).
 *
 * An idle connection does not keep the process alive: its socket is unref'd whenever no request is in
 * flight. A warm Lambda container still reuses it (the runtime keeps the process), while a process that
 * has nothing left to do, such as `sls invoke local` after the reply, exits.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { KafkaConnectionError, KafkaSetupError } from './errors';
import { ErrorCode } from './protocol/errors';
import * as M from './protocol/messages';
import { Reader } from './protocol/reader';
import { decodeResponse, encodeRequest, isFlexible, type MessageSchema } from './protocol/schema';
import { Writer } from './protocol/writer';

/** How to open a {@link BrokerConnection}. */
export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly clientId: string;
  readonly tls: boolean;
  /** Signs an OAUTHBEARER token; when set the connection authenticates before any other request. */
  readonly token?: () => Promise<string>;
  /** Limit for connecting and for each request, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * The versions the clients (producer, consumer) speak, lowest to highest; the highest the broker also
 * lists is used. Produce and Fetch start at the first versions with record batch v2 (magic 2).
 */
const CLIENT_VERSIONS: ReadonlyMap<number, readonly [number, number]> = new Map([
  [M.Produce.apiKey, [3, 11]],
  [M.Fetch.apiKey, [4, 12]],
  [M.ListOffsets.apiKey, [1, 9]],
  [M.OffsetCommit.apiKey, [2, 8]],
  [M.OffsetFetch.apiKey, [1, 7]],
  [M.Metadata.apiKey, [1, 12]],
  [M.InitProducerId.apiKey, [0, 5]],
  [M.SaslHandshake.apiKey, [1, 1]],
  [M.SaslAuthenticate.apiKey, [0, 2]],
] as const);
const API_VERSIONS_VERSION = 3;
const SOFTWARE = { clientSoftwareName: 'pinlake', clientSoftwareVersion: '0.1.0' };

interface InFlight {
  /** Decodes the response body and resolves the request with it (throws if it does not decode). */
  readonly receive: (body: Reader) => void;
  readonly reject: (error: Error) => void;
}

/** An ApiVersions reply, and whether the broker refused the version asked (answering in v0 shape). */
interface ApiVersionsReply extends M.ApiVersionsResponse {
  readonly refused: boolean;
}

/** An open, authenticated connection; open one with {@link BrokerConnection.open}. */
export class BrokerConnection {
  readonly address: string;
  /** When the broker ends the SASL session (ms since the epoch); Infinity without a session limit. */
  sessionExpiresAt = Number.POSITIVE_INFINITY;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly versions = new Map<number, number>();
  private pending: Buffer = Buffer.alloc(0);
  private correlationId = 0;
  private failure: KafkaConnectionError | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.address = `${options.host}:${options.port}`;
    socket.setNoDelay(true);
    socket.unref();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(new KafkaConnectionError(`${this.address}: ${error.message}`)));
    socket.on('close', () => this.fail(new KafkaConnectionError(`${this.address} closed the connection`)));
  }

  /** Connects, negotiates versions and authenticates; rejects with a Kafka*Error naming the broker. */
  static async open(options: ConnectionOptions): Promise<BrokerConnection> {
    const address = `${options.host}:${options.port}`;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const target = { host: options.host, port: options.port };
      const s = options.tls
        ? connectTls({ ...target, servername: options.host }, () => resolve(s))
        : connectTcp(target, () => resolve(s));
      s.setTimeout(options.timeoutMs, () =>
        s.destroy(new Error(`no connection within ${options.timeoutMs} ms`)),
      );
      s.once('error', (error) =>
        reject(
          new KafkaConnectionError(`Connection to ${address} failed: ${error.message}`, { cause: error }),
        ),
      );
    });
    socket.setTimeout(0);
    const connection = new BrokerConnection(socket, options);
    try {
      await connection.negotiateVersions();
      if (options.token) await connection.authenticate(options.token);
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  /** Whether the connection can no longer carry requests. */
  get closed(): boolean {
    return this.failure !== undefined || this.socket.destroyed;
  }

  /** The version of `schema`'s API this connection uses; throws {@link KafkaSetupError} if none fits. */
  versionOf(schema: MessageSchema): number {
    const version = this.versions.get(schema.apiKey);
    if (version === undefined) {
      throw new KafkaSetupError(
        `broker ${this.address} supports no ${schema.name} version this producer speaks`,
      );
    }
    return version;
  }

  /** Sends a request at the negotiated version and resolves with the decoded response body. */
  request<Req, Res>(schema: MessageSchema<Req, Res>, body: Req): Promise<Res> {
    const version = this.versionOf(schema);
    return this.send(schema, version, body, (r) => {
      if (isFlexible(schema, version)) r.skipTaggedFields();
      return decodeResponse(r, schema, version);
    });
  }

  /** Closes the socket; requests still in flight reject with {@link KafkaConnectionError}. */
  close(): void {
    this.fail(new KafkaConnectionError(`connection to ${this.address} closed by the client`));
  }

  private send<Req, Res>(
    schema: MessageSchema<Req, unknown>,
    version: number,
    body: Req,
    decode: (r: Reader) => Res,
  ): Promise<Res> {
    if (this.failure) return Promise.reject(this.failure);
    this.correlationId = (this.correlationId + 1) & 0x7fffffff;
    const id = this.correlationId;
    const w = new Writer(512).int32(0).int16(schema.apiKey).int16(version).int32(id);
    const clientId = Buffer.from(this.options.clientId);
    w.int16(clientId.length).bytes(clientId);
    if (isFlexible(schema, version)) w.uvarint(0);
    encodeRequest(w, schema, body, version);
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new KafkaConnectionError(
            `${schema.name} to ${this.address} got no answer within ${this.options.timeoutMs} ms`,
          ),
        );
      }, this.options.timeoutMs);
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      const resolved = settle(resolve);
      this.inFlight.set(id, { receive: (r) => resolved(decode(r)), reject: settle(reject) });
      this.socket.ref();
      this.socket.write(w.patchInt32(0, w.length - 4).toBuffer());
    });
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
      const frame = this.pending.subarray(4, 4 + this.pending.readInt32BE(0));
      this.pending = this.pending.subarray(4 + frame.length);
      const reader = new Reader(frame, `response from ${this.address}`);
      const call = this.inFlight.get(reader.int32());
      if (!call) {
        this.fail(new KafkaConnectionError(`${this.address} answered a request that was not sent`));
        return;
      }
      this.inFlight.delete(frame.readInt32BE(0));
      if (this.inFlight.size === 0) this.socket.unref();
      try {
        call.receive(reader);
      } catch (error) {
        const message = `${this.address} sent a response that does not decode`;
        this.fail(new KafkaConnectionError(message, { cause: error }));
        call.reject(new KafkaConnectionError(message, { cause: error }));
        return;
      }
    }
  }

  private fail(error: KafkaConnectionError): void {
    this.failure ??= error;
    for (const call of this.inFlight.values()) call.reject(this.failure);
    this.inFlight.clear();
    this.socket.destroy();
  }

  // ApiVersions answers in header v0 whatever its version, and in the v0 shape when it refuses ours.
  private async negotiateVersions(): Promise<void> {
    const decode =
      (version: number) =>
      (r: Reader): ApiVersionsReply => {
        // errorCode leads the body in every version: read it first to know the shape of the rest.
        const bytes = r.bytes(r.remaining);
        const refused = bytes.length >= 2 && bytes.readInt16BE(0) === ErrorCode.UNSUPPORTED_VERSION;
        const body = new Reader(bytes, `ApiVersions from ${this.address}`);
        return { refused, ...decodeResponse(body, M.ApiVersions, refused ? 0 : version) };
      };
    let reply = await this.send(M.ApiVersions, API_VERSIONS_VERSION, SOFTWARE, decode(API_VERSIONS_VERSION));
    if (reply.refused) reply = await this.send(M.ApiVersions, 0, {}, decode(0));
    const listed = reply.apiKeys;
    for (const [apiKey, [low, high]] of CLIENT_VERSIONS) {
      const broker = listed.find((a) => a.apiKey === apiKey);
      const version = broker ? Math.min(high, broker.maxVersion) : -1;
      if (broker && version >= Math.max(low, broker.minVersion)) this.versions.set(apiKey, version);
    }
  }

  private async authenticate(token: () => Promise<string>): Promise<void> {
    const handshake = await this.request(M.SaslHandshake, { mechanism: 'OAUTHBEARER' });
    if (handshake.errorCode !== ErrorCode.NONE) {
      const offered = handshake.mechanisms.join(', ') || 'none';
      throw new KafkaSetupError(
        `broker ${this.address} does not offer SASL/OAUTHBEARER (offered: ${offered})`,
      );
    }
    let bearer: string;
    try {
      bearer = await token();
    } catch (error) {
      throw new KafkaSetupError(`no OAUTHBEARER token for ${this.address}`, { cause: error });
    }
    // RFC 7628 client first message: GS2 header, then auth=Bearer <token>, separated by 0x01.
    const authBytes = Buffer.from(`n,,\x01auth=Bearer ${bearer}\x01\x01`);
    const reply = await this.request(M.SaslAuthenticate, { authBytes });
    if (reply.errorCode !== ErrorCode.NONE) {
      const reason = reply.errorMessage ?? `error ${reply.errorCode}`;
      throw new KafkaSetupError(`SASL authentication failed at ${this.address}: ${reason}`);
    }
    const lifetime = Number(reply.sessionLifetimeMs ?? 0n);
    if (lifetime > 0) this.sessionExpiresAt = Date.now() + lifetime;
  }
}
