/**
 * The embedded Kafka broker: a single node speaking the Kafka wire protocol on 127.0.0.1 (a free
 * port by default), with topics kept in memory for its lifetime, plus an in-process API for the
 * local MSK event-source poller.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { listen } from '../listen';
import type { KafkaAuthorizer } from './apis/authorize';
import type { BrokerContext, RequestInfo } from './apis/context';
import { serveConnection } from './connection';
import type { StoredRecord } from './partition-log';
import { TopicRegistry } from './topics';

/** Options of {@link KafkaBroker.start}. */
export interface KafkaBrokerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (a free port). */
  readonly port?: number;
  /** Create unknown topics when a client's Metadata request allows it; default true. */
  readonly autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics with -1; default 1. */
  readonly defaultPartitions?: number;
  /** Topics to create at start. */
  readonly topics?: readonly { name: string; partitions: number }[];
  /**
   * Require SASL/OAUTHBEARER on every connection (as MSK IAM does, without TLS): the function gets
   * each bearer token and says whether to accept it. Off by default.
   */
  readonly oauthBearer?: (token: string) => boolean;
  /**
   * IAM access control as MSK's: every connection authenticates with SASL/OAUTHBEARER, the token
   * names a principal, and each request's actions are authorized (see apis/authorize.ts). Off by default.
   */
  readonly authorizer?: KafkaAuthorizer;
  /** Where log lines go (rejected requests, topic creation); default stderr. */
  readonly log?: (line: string) => void;
  /** Observer of every served request (API, version, client id), e.g. to see what a client negotiated. */
  readonly onRequest?: (request: RequestInfo) => void;
}

/** Raised by the in-process API for an unknown topic or partition. */
export class KafkaBrokerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KafkaBrokerError';
  }
}

/** A running embedded broker; start it with {@link KafkaBroker.start}, stop it with `close()`. */
export class KafkaBroker {
  private readonly topics = new TopicRegistry();
  private readonly sockets = new Set<Socket>();
  private readonly closing = new AbortController();
  private readonly committed = new Map<string, number>();
  private producerIds = 1000n;

  private constructor(
    private readonly server: Server,
    private readonly options: KafkaBrokerOptions,
  ) {}

  /** Starts a broker and resolves once it listens; create topics given in `options.topics`. */
  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const server = createServer();
    const broker = new KafkaBroker(server, options);
    for (const t of options.topics ?? []) broker.createTopic(t.name, t.partitions);
    await listen(server, options.port, options.host);
    const ctx = broker.context();
    server.on('connection', (socket) => {
      broker.sockets.add(socket);
      socket.once('close', () => broker.sockets.delete(socket));
      serveConnection(socket, ctx);
    });
    return broker;
  }

  private context(): BrokerContext {
    const address = this.server.address();
    if (address === null || typeof address === 'string')
      throw new KafkaBrokerError('broker is not listening on TCP');
    const log = this.options.log ?? ((line: string) => process.stderr.write(`[kafka] ${line}\n`));
    return {
      topics: this.topics,
      nodeId: 0,
      host: address.address,
      port: address.port,
      clusterId: 'pinlake-local',
      autoCreateTopics: this.options.autoCreateTopics ?? true,
      defaultPartitions: this.options.defaultPartitions ?? 1,
      closing: this.closing.signal,
      oauthBearer: this.options.oauthBearer ?? (this.options.authorizer ? () => true : undefined),
      authorizer: this.options.authorizer,
      log,
      onRequest: this.options.onRequest ?? (() => undefined),
      nextProducerId: () => this.producerIds++,
    };
  }

  /** The port the broker listens on. */
  get port(): number {
    const address = this.server.address();
    return address !== null && typeof address !== 'string' ? address.port : 0;
  }

  /** `host:port` for clients' bootstrap list (the `KAFKA_BROKERS` value). */
  get bootstrap(): string {
    return `${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** Creates a topic; throws when the name is invalid, the count is not 1..1000, or it exists. */
  createTopic(name: string, partitions: number): void {
    this.topics.create(name, partitions);
  }

  /** The names of every topic, sorted. */
  topicNames(): string[] {
    return this.topics
      .all()
      .map((t) => t.name)
      .sort();
  }

  /** The number of partitions of a topic, or undefined when it does not exist. */
  partitionCount(topic: string): number | undefined {
    return this.topics.get(topic)?.partitions.length;
  }

  private log(topic: string, partition: number) {
    const log = this.topics.get(topic)?.partitions[partition];
    if (!log) throw new KafkaBrokerError(`no partition ${topic}-${partition} on the embedded broker`);
    return log;
  }

  /** Up to `maxRecords` records of a partition from `offset` on, in offset order. */
  read(topic: string, partition: number, offset: number, maxRecords: number): StoredRecord[] {
    return this.log(topic, partition).read(offset, maxRecords);
  }

  /** The offset the next record of the partition will get (the high watermark). */
  endOffset(topic: string, partition: number): number {
    return this.log(topic, partition).endOffset;
  }

  /** Records a consumer group's next offset to read for a partition (as a commit after a batch). */
  commitOffset(group: string, topic: string, partition: number, offset: number): void {
    this.log(topic, partition);
    this.committed.set(JSON.stringify([group, topic, partition]), offset);
  }

  /** The group's committed offset for the partition, or undefined when it never committed. */
  committedOffset(group: string, topic: string, partition: number): number | undefined {
    return this.committed.get(JSON.stringify([group, topic, partition]));
  }

  /** Stops listening, ends pending fetches and closes every client connection. */
  async close(): Promise<void> {
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
