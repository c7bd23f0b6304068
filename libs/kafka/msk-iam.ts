/**
 * MSK with IAM auth: bootstrap brokers from the cluster ARN (GetBootstrapBrokers, cached for the
 * life of the Lambda container) and OAUTHBEARER tokens from aws-msk-iam-sasl-signer-js.
 */

import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { generateAuthToken, generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { PinlakeError } from '../errors';

/** How the MSK API is reached: its endpoint (a local stand-in) and fixed credentials, both optional. */
export interface MskApiAccess {
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/** Raised when the bootstrap brokers of a cluster cannot be resolved. */
export class MskBootstrapError extends PinlakeError {
  override readonly name: string = 'MskBootstrapError';
  override readonly code: string = 'MSK_BOOTSTRAP';
}

const clients = new Map<string, KafkaClient>();
const bootstrapCache = new Map<string, Promise<string[]>>();

/**
 * The module's MSK control-plane client for a region (and endpoint and credentials, when given),
 * built once and reused across invocations.
 */
export function mskClient(region: string, access: MskApiAccess = {}): KafkaClient {
  const key = `${region}|${access.endpoint ?? ''}|${access.credentials?.accessKeyId ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new KafkaClient({
      region,
      ...(access.endpoint ? { endpoint: access.endpoint } : {}),
      ...(access.credentials ? { credentials: access.credentials } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

async function fetchBootstrap(clusterArn: string, client: KafkaClient): Promise<string[]> {
  let list: string | undefined;
  try {
    const reply = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }));
    list = reply.BootstrapBrokerStringSaslIam;
  } catch (error) {
    throw new MskBootstrapError(`GetBootstrapBrokers failed for ${clusterArn}`, { cause: error });
  }
  if (!list) throw new MskBootstrapError(`cluster ${clusterArn} has no IAM (SASL/IAM) listener`);
  return list.split(',').map((b) => b.trim());
}

/**
 * The IAM bootstrap brokers (`host:9098`) of a cluster. The first call per ARN asks the MSK API;
 * later calls reuse the answer (a failed lookup is not cached, so the next call retries).
 */
export function resolveMskBootstrapBrokers(
  clusterArn: string,
  region: string,
  client: KafkaClient = mskClient(region),
): Promise<string[]> {
  let pending = bootstrapCache.get(clusterArn);
  if (!pending) {
    pending = fetchBootstrap(clusterArn, client);
    bootstrapCache.set(clusterArn, pending);
    pending.catch(() => bootstrapCache.delete(clusterArn));
  }
  return pending;
}

/** Forgets cached bootstrap brokers (tests; a cluster whose brokers changed). */
export function clearMskBootstrapCache(): void {
  bootstrapCache.clear();
}

/** Signs an MSK IAM token for a region; the signer from aws-msk-iam-sasl-signer-js by default. */
export type MskTokenSigner = (options: { region: string }) => Promise<{ token: string; expiryTime: number }>;

/**
 * An OAUTHBEARER token provider for the Kafka client: each call signs a fresh token (valid 15
 * minutes) with the Lambda role's credentials; the client calls it on every new connection.
 */
export function mskOauthBearerTokenProvider(
  region: string,
  sign: MskTokenSigner = generateAuthToken,
): () => Promise<string> {
  return async () => (await sign({ region })).token;
}

/** Signs with fixed credentials instead of the default provider chain (the local stack's roles). */
export function signerWithCredentials(credentials: NonNullable<MskApiAccess['credentials']>): MskTokenSigner {
  return ({ region }) =>
    generateAuthTokenFromCredentialsProvider({ region, awsCredentialsProvider: async () => credentials });
}
