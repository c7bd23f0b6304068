/**
 * The producer's configuration: one typed object. libs/kafka reads no environment; the pipeline's
 * configuration builds this object (`kafkaProducerConfig` in libs/config.ts).
 */

/** How to reach the brokers: a plain list (local broker) or an MSK cluster with IAM auth. */
type KafkaConnection =
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
