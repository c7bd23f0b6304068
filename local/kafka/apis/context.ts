/** One request as seen by {@link BrokerContext.onRequest}. */
export interface RequestInfo {
  readonly api: string;
  readonly apiKey: number;
  readonly version: number;
  readonly clientId: string;
}

/** What every API handler sees of the broker. */
import type { GroupOffsets } from '../group-offsets';
import type { TopicRegistry } from '../topics';
import type { KafkaAuthorizer } from './authorize';

export interface BrokerContext {
  readonly topics: TopicRegistry;
  /** The consumer groups' committed offsets (OffsetCommit, OffsetFetch). */
  readonly groups: GroupOffsets;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
  /** Create unknown topics on Metadata/Produce when the client allows it. */
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  /** SASL/OAUTHBEARER token check; when set, every connection must authenticate first. */
  readonly oauthBearer: ((token: string) => boolean) | undefined;
  /** IAM-style access control (MSK's): who each token is and what they may do; off when undefined. */
  readonly authorizer: KafkaAuthorizer | undefined;
  /** Aborted when the broker closes, to end long-polling fetches. */
  readonly closing: AbortSignal;
  log(message: string): void;
  /** Called for every request whose version is served, before it is handled. */
  onRequest(request: RequestInfo): void;
  nextProducerId(): bigint;
}

/** Per-connection state the SASL APIs change. */
export interface Session {
  mechanism: string | undefined;
  authenticated: boolean;
  /** Who authenticated (from the token), when the broker has an authorizer. */
  principal?: string;
}

/**
 * Handles one decoded request body at `version` and returns the response body, or `null` when the
 * protocol says no response is sent (Produce with acks=0).
 */
export type ApiHandler<Req, Res> = (
  ctx: BrokerContext,
  request: Req,
  version: number,
  session: Session,
) => Res | null | Promise<Res | null>;
