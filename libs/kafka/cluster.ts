/**
 * A client's view of a cluster (the producer's and the consumer's): one connection per broker
 * (reopened when it drops or its SASL session nears its end), each topic's partition leaders from
 * Metadata (cached until a request fails), and the idempotent producer id from InitProducerId.
 */
import { BrokerConnection } from './connection';
import { errorCodeName, KafkaConnectionError, KafkaResponseError, UnknownTopicError } from './errors';
import { ErrorCode } from './protocol/errors';
import * as M from './protocol/messages';

/** Where the cluster starts and how its connections are opened. */
export interface ClusterOptions {
  readonly clientId: string;
  /** The bootstrap brokers as host:port (resolved lazily: MSK asks its API). */
  readonly bootstrap: () => Promise<readonly string[]>;
  readonly tls: boolean;
  readonly token?: () => Promise<string>;
  readonly timeoutMs: number;
}

/** A topic's partition count and the node id leading each partition (-1: no leader now). */
export interface TopicLayout {
  readonly partitions: number;
  readonly leaders: readonly number[];
}

/** The id and epoch of an idempotent producer, with the next sequence number of each partition. */
export interface ProducerIdentity {
  readonly id: bigint;
  readonly epoch: number;
  readonly sequences: Map<string, number>;
}

// A session this close to its end is not used for a new request: the broker may cut it mid-request.
const SESSION_MARGIN_MS = 30_000;

/** Connections, leaders and the producer id of one cluster. */
export class Cluster {
  private readonly connections = new Map<string, Promise<BrokerConnection>>();
  private readonly brokers = new Map<number, string>();
  private readonly topics = new Map<string, Promise<TopicLayout>>();
  private identity: Promise<ProducerIdentity> | undefined;

  constructor(private readonly options: ClusterOptions) {}

  /** The partitions and leaders of `topic`, from cache or Metadata; throws {@link UnknownTopicError}. */
  topic(name: string): Promise<TopicLayout> {
    let layout = this.topics.get(name);
    if (!layout) {
      layout = this.fetchTopic(name);
      this.topics.set(name, layout);
      layout.catch(() => this.topics.delete(name));
    }
    return layout;
  }

  /** Forgets what is known of `topic`, so the next send asks Metadata again (its leader may have moved). */
  forgetTopic(name: string): void {
    this.topics.delete(name);
  }

  /** The connection to the leader of `topic`-`partition`. */
  async leader(topic: string, partition: number): Promise<BrokerConnection> {
    const layout = await this.topic(topic);
    const address = this.brokers.get(layout.leaders[partition] ?? -1);
    if (!address) {
      throw new KafkaResponseError(
        ErrorCode.LEADER_NOT_AVAILABLE,
        `${topic}-${partition} has no leader now (LEADER_NOT_AVAILABLE)`,
      );
    }
    return this.connect(address);
  }

  /** The producer id in use, asked from any broker with InitProducerId the first time. */
  producer(): Promise<ProducerIdentity> {
    if (!this.identity) {
      this.identity = this.initProducerId();
      this.identity.catch(() => {
        this.identity = undefined;
      });
    }
    return this.identity;
  }

  /** Drops `identity` if it is still current: the next send starts a new producer id at sequence 0. */
  resetProducer(identity: ProducerIdentity): void {
    void this.identity?.then((current) => {
      if (current === identity) this.identity = undefined;
    });
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    this.topics.clear();
    this.identity = undefined;
    for (const settled of await Promise.allSettled(open)) {
      if (settled.status === 'fulfilled') settled.value.close();
    }
  }

  private connect(address: string): Promise<BrokerConnection> {
    const existing = this.connections.get(address);
    if (existing) return existing.then((c) => (this.usable(c) ? c : this.reconnect(address, existing)));
    return this.reconnect(address, existing);
  }

  private usable(c: BrokerConnection): boolean {
    return !c.closed && c.sessionExpiresAt - Date.now() > SESSION_MARGIN_MS;
  }

  private reconnect(
    address: string,
    stale: Promise<BrokerConnection> | undefined,
  ): Promise<BrokerConnection> {
    if (this.connections.get(address) !== stale) return this.connect(address);
    void stale?.then((c) => c.close());
    const colon = address.lastIndexOf(':');
    const opening = BrokerConnection.open({
      host: address.slice(0, colon),
      port: Number(address.slice(colon + 1)),
      clientId: this.options.clientId,
      tls: this.options.tls,
      token: this.options.token,
      timeoutMs: this.options.timeoutMs,
    });
    this.connections.set(address, opening);
    opening.catch(() => {
      if (this.connections.get(address) === opening) this.connections.delete(address);
    });
    return opening;
  }

  /** A connection to any broker: known brokers first, then the bootstrap list in order. */
  async anyConnection(): Promise<BrokerConnection> {
    const candidates = [...new Set([...this.brokers.values(), ...(await this.options.bootstrap())])];
    let lastError: unknown = new KafkaConnectionError('no bootstrap broker is configured');
    for (const address of candidates) {
      try {
        return await this.connect(address);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private async fetchTopic(name: string): Promise<TopicLayout> {
    const connection = await this.anyConnection();
    const reply = await connection.request(M.Metadata, {
      topics: [{ name }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    for (const b of reply.brokers) this.brokers.set(b.nodeId, `${b.host}:${b.port}`);
    const topic = reply.topics.find((t) => t.name === name);
    if (!topic || topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) throw new UnknownTopicError(name);
    if (topic.errorCode !== ErrorCode.NONE) {
      const what = errorCodeName(topic.errorCode);
      throw new KafkaResponseError(topic.errorCode, `Metadata for topic "${name}" failed: ${what}`);
    }
    const leaders = new Array<number>(topic.partitions.length).fill(-1);
    for (const p of topic.partitions) leaders[p.partitionIndex] = p.leaderId;
    return { partitions: topic.partitions.length, leaders };
  }

  private async initProducerId(): Promise<ProducerIdentity> {
    const connection = await this.anyConnection();
    const reply = await connection.request(M.InitProducerId, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
    });
    if (reply.errorCode !== ErrorCode.NONE) {
      const code = reply.errorCode;
      const hint =
        code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED
          ? ' (an idempotent producer needs kafka-cluster:WriteDataIdempotently)'
          : '';
      throw new KafkaResponseError(
        code,
        `InitProducerId at ${connection.address} failed: ${errorCodeName(code)}${hint}`,
      );
    }
    return { id: reply.producerId, epoch: reply.producerEpoch, sequences: new Map() };
  }
}
