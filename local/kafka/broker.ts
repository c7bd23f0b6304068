/**
 * The embedded Kafka broker: a single node speaking the Kafka wire protocol on 127.0.0.1 (a free
 * port by default), with its partition logs, consumer-group offsets and producer ids on disk in
 * `dataDir` (a broker started again on the same directory goes on where it stopped), plus an
 * in-process API for tests, benchmarks and the stack's lake checks (the MSK event-source poller reads
 * over the protocol, as any consumer).
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen } from '../listen';
import type { KafkaAuthorizer } from './apis/authorize';
import type { BrokerContext, RequestInfo } from './apis/context';
import { serveConnection } from './connection';
import { KafkaBrokerError } from './errors';
import { GroupOffsets } from './group-offsets';
import { DEFAULT_LOG_SETTINGS, type LogSettings, type StoredRecord } from './partition-log';
import { writeFileAtomic } from './state-file';
import { TopicRegistry } from './topics';

/** Options of {@link KafkaBroker.start}. */
export interface KafkaBrokerOptions {
  /**
   * Where the logs and the broker's state live; started again on the same directory, the broker has
   * every topic, record, committed offset and producer id it had. Default: a temporary directory
   * deleted by `close()`.
   */
  readonly dataDir?: string;
  /** Segment size, retention and fsync policy of every partition (default {@link DEFAULT_LOG_SETTINGS}). */
  readonly logSettings?: Partial<LogSettings>;
  /** How often retention runs (default 60 s; Kafka's `log.retention.check.interval.ms` is 5 min). */
  readonly retentionCheckMs?: number;
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

/**
 * One broker per data directory: `broker.lock` holds the owner's process id. A lock whose process is
 * gone (killed) is taken over; one held by a live process is refused.
 */
function takeLock(dataDir: string): void {
  const lock = join(dataDir, 'broker.lock');
  if (existsSync(lock)) {
    const owner = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try {
      process.kill(owner, 0);
      alive = true;
    } catch {
      // the owner is gone: a killed broker's lock
    }
    if (alive) {
      throw new KafkaBrokerError(
        `${dataDir} is in use by another broker (process ${owner}${owner === process.pid ? ', this one' : ''}): one stack per lake`,
      );
    }
  }
  writeFileAtomic(lock, String(process.pid));
}

/** A running embedded broker; start it with {@link KafkaBroker.start}, stop it with `close()`. */
export class KafkaBroker {
  private readonly topics: TopicRegistry;
  private readonly sockets = new Set<Socket>();
  private readonly closing = new AbortController();
  private readonly groups: GroupOffsets;
  private producerIds = 1000n;
  private readonly retentionTimer: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    private readonly options: KafkaBrokerOptions,
    /** The directory of the logs and the broker's state. */
    readonly dataDir: string,
    private readonly temporary: boolean,
  ) {
    mkdirSync(dataDir, { recursive: true });
    takeLock(dataDir);
    this.topics = new TopicRegistry(dataDir, { ...DEFAULT_LOG_SETTINGS, ...options.logSettings });
    this.groups = new GroupOffsets(dataDir);
    const ids = join(dataDir, 'producer-ids.json');
    const stored = existsSync(ids) ? BigInt(JSON.parse(readFileSync(ids, 'utf8')).next as string) : 1000n;
    let seen = -1n;
    for (const t of this.topics.all())
      for (const log of t.partitions) if (log.maxProducerId() > seen) seen = log.maxProducerId();
    this.producerIds = stored > seen ? stored : seen + 1n;
    this.retentionTimer = setInterval(() => this.applyRetention(), options.retentionCheckMs ?? 60_000);
    this.retentionTimer.unref();
  }

  /** Starts a broker and resolves once it listens; create topics given in `options.topics` that do not exist yet. */
  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const server = createServer();
    const temporary = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pinlake-kafka-'));
    const broker = new KafkaBroker(server, options, dataDir, temporary);
    for (const t of options.topics ?? []) {
      const existing = broker.partitionCount(t.name);
      if (existing === undefined) broker.createTopic(t.name, t.partitions);
      else if (existing !== t.partitions) {
        await broker.close();
        throw new KafkaBrokerError(
          `topic ${t.name} has ${existing} partitions in ${dataDir}, not ${t.partitions}: start with the same partition count or another data directory`,
        );
      }
    }
    try {
      await listen(server, options.port, options.host);
    } catch (error) {
      await broker.close();
      throw error;
    }
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
      groups: this.groups,
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
      nextProducerId: () => {
        const id = this.producerIds++;
        writeFileAtomic(
          join(this.dataDir, 'producer-ids.json'),
          JSON.stringify({ next: String(this.producerIds) }),
        );
        return id;
      },
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

  /** The first offset the partition still holds (later than 0 once retention deleted segments). */
  startOffset(topic: string, partition: number): number {
    return this.log(topic, partition).startOffset;
  }

  /** Bytes on disk of every partition log. */
  logBytes(): number {
    return this.topics
      .all()
      .reduce((sum, t) => sum + t.partitions.reduce((s, log) => s + log.sizeBytes, 0), 0);
  }

  /**
   * Records a consumer group's next offset to read for a partition (as OffsetCommit does), kept in
   * `consumer-offsets.json` (written through a rename before this returns).
   */
  commitOffset(group: string, topic: string, partition: number, offset: number): void {
    this.log(topic, partition);
    this.groups.commit(group, topic, partition, offset);
  }

  /** Every group's committed offsets: `[group, topic, partition, offset]`. */
  committedOffsets(): [string, string, number, number][] {
    return this.groups.all();
  }

  /**
   * Deletes segments past the retention (size, age) of every partition, but none holding an offset a
   * consumer group has not committed yet: locally, nothing a consumer has not taken is deleted.
   */
  applyRetention(now = Date.now()): number {
    let deleted = 0;
    for (const t of this.topics.all()) {
      t.partitions.forEach((log, partition) => {
        const groups = this.committedOffsets().filter(([, topic, p]) => topic === t.name && p === partition);
        const keepFrom =
          groups.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...groups.map((g) => g[3]));
        deleted += log.applyRetention(now, keepFrom);
      });
    }
    return deleted;
  }

  /** The group's committed offset for the partition, or undefined when it never committed. */
  committedOffset(group: string, topic: string, partition: number): number | undefined {
    return this.groups.get(group, topic, partition);
  }

  /** Stops listening, ends pending fetches and closes every client connection. */
  async close(): Promise<void> {
    clearInterval(this.retentionTimer);
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
    await this.topics.close();
    rmSync(join(this.dataDir, 'broker.lock'), { force: true });
    if (this.temporary) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
