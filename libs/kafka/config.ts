/**
 * The producer's configuration: one typed object, built from the environment only by
 * {@link kafkaConfigFromEnv} (the single place in libs/kafka that reads it).
 */

/** How to reach the brokers: a plain list (local broker) or an MSK cluster with IAM auth. */
export type KafkaConnection =
  | { readonly kind: 'plain'; readonly brokers: readonly string[] }
  | {
      readonly kind: 'msk-iam';
      readonly clusterArn: string;
      readonly region: string;
      /** TLS to the brokers; default true (MSK's IAM listener). False only for a local SASL broker. */
      readonly tls?: boolean;
      /** The MSK API's endpoint, when not AWS's (the local stack's stand-in). */
      readonly endpoint?: string;
      /** Fixed credentials for the MSK API and the tokens, instead of the default chain (local roles). */
      readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    };

/** Configuration of {@link createKafkaProducer}. */
export interface KafkaProducerConfig {
  readonly clientId: string;
  readonly connection: KafkaConnection;
  /** Record batch compression; default `none`. */
  readonly compression?: 'none' | 'gzip';
  /** Limit for connecting and for each request, and the brokers' acks=all wait, in ms; default 10,000. */
  readonly requestTimeoutMs?: number;
  /**
   * Retries of a request that failed in a retriable way (safe: the producer is idempotent, a retry
   * resends the same sequence numbers); default 3, 0 for none.
   */
  readonly retries?: number;
  /** Pause between retries in milliseconds; default 250. */
  readonly retryDelayMs?: number;
}

/** Raised when the environment does not describe a usable Kafka connection. */
export class KafkaConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaConfigError';
  }
}

/**
 * Reads `KAFKA_BROKERS` (comma-separated host:port, wins when set) or `MSK_CLUSTER_ARN` with
 * `AWS_REGION` (and, for a local stand-in, `MSK_ENDPOINT` and `KAFKA_TLS=false`), plus optional `KAFKA_CLIENT_ID` and `KAFKA_COMPRESSION`; throws
 * {@link KafkaConfigError} naming the variable that is missing or wrong.
 */
export function kafkaConfigFromEnv(env: Readonly<Record<string, string | undefined>>): KafkaProducerConfig {
  const compression = env.KAFKA_COMPRESSION ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') {
    throw new KafkaConfigError(`KAFKA_COMPRESSION must be none or gzip, got "${compression}"`);
  }
  const clientId = env.KAFKA_CLIENT_ID || 'pinlake';
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length > 0) {
    const bad = brokers.find((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
    if (bad) throw new KafkaConfigError(`KAFKA_BROKERS entry "${bad}" is not host:port`);
    return { clientId, compression, connection: { kind: 'plain', brokers } };
  }
  const clusterArn = env.MSK_CLUSTER_ARN;
  const region = env.AWS_REGION;
  if (!clusterArn) throw new KafkaConfigError('set KAFKA_BROKERS (local) or MSK_CLUSTER_ARN (AWS)');
  if (!/^arn:aws[a-z-]*:kafka:/.test(clusterArn)) {
    throw new KafkaConfigError(`MSK_CLUSTER_ARN "${clusterArn}" is not an MSK cluster ARN`);
  }
  if (!region) throw new KafkaConfigError('AWS_REGION is required with MSK_CLUSTER_ARN');
  const tls = env.KAFKA_TLS === undefined || env.KAFKA_TLS === '' ? undefined : env.KAFKA_TLS !== 'false';
  return {
    clientId,
    compression,
    connection: {
      kind: 'msk-iam',
      clusterArn,
      region,
      ...(env.MSK_ENDPOINT ? { endpoint: env.MSK_ENDPOINT } : {}),
      ...(tls === undefined ? {} : { tls }),
    },
  };
}
