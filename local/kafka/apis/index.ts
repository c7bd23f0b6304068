/** The APIs the embedded broker serves: schema (versions, bodies) and handler for each key. */
import {
  decodeRequest,
  encodeResponse,
  messages as M,
  type MessageSchema,
  type Reader,
  type Writer,
} from '../../../libs/kafka/protocol';
import {
  authorizeCreateTopics,
  authorizeFetch,
  authorizeInitProducerId,
  authorizeListOffsets,
  authorizeMetadata,
  authorizeOffsetCommit,
  authorizeOffsetFetch,
  authorizeProduce,
} from './authorize';
import type { ApiHandler, BrokerContext, Session } from './context';
import { handleCreateTopics } from './create-topics';
import { handleFetch } from './fetch';
import { handleOffsetCommit, handleOffsetFetch } from './group-offsets';
import { handleInitProducerId } from './init-producer-id';
import { handleListOffsets } from './list-offsets';
import { handleMetadata } from './metadata';
import { handleProduce } from './produce';
import { handleSaslAuthenticate, handleSaslHandshake } from './sasl';

/** One served API: its schema and how a request body read at `version` is answered. */
export interface Api {
  readonly schema: MessageSchema;
  /**
   * Decodes the request body from `r`, handles it, and resolves with what writes the response body,
   * or null when no response is sent.
   */
  readonly serve: (
    ctx: BrokerContext,
    r: Reader,
    version: number,
    session: Session,
  ) => Promise<((w: Writer) => void) | null>;
}

/** Pairs a schema with its handler, the request and response types checked against each other. */
function api<Req, Res>(schema: MessageSchema<Req, Res>, handle: ApiHandler<Req, Res>): Api {
  return {
    schema,
    serve: async (ctx, r, version, session) => {
      const response = await handle(ctx, decodeRequest(r, schema, version), version, session);
      return response === null ? null : (w) => encodeResponse(w, schema, response, version);
    },
  };
}

const apiList: Api[] = [
  api(M.Produce, authorizeProduce(handleProduce)),
  api(M.Fetch, authorizeFetch(handleFetch)),
  api(M.ListOffsets, authorizeListOffsets(handleListOffsets)),
  api(M.Metadata, authorizeMetadata(handleMetadata)),
  api(M.ApiVersions, () => apiVersionsBody()),
  api(M.CreateTopics, authorizeCreateTopics(handleCreateTopics)),
  api(M.InitProducerId, authorizeInitProducerId(handleInitProducerId)),
  api(M.OffsetCommit, authorizeOffsetCommit(handleOffsetCommit)),
  api(M.OffsetFetch, authorizeOffsetFetch(handleOffsetFetch)),
  api(M.SaslHandshake, handleSaslHandshake),
  api(M.SaslAuthenticate, handleSaslAuthenticate),
];

/** APIs a client may call before it has authenticated on a SASL broker. */
export const PRE_AUTH_API_KEYS: ReadonlySet<number> = new Set([
  M.ApiVersions.apiKey,
  M.SaslHandshake.apiKey,
  M.SaslAuthenticate.apiKey,
]);

/** Every supported API by key. */
export const apis: ReadonlyMap<number, Api> = new Map(apiList.map((a) => [a.schema.apiKey, a]));

/** The ApiVersions reply: every API with the version range served. */
export function apiVersionsBody(errorCode = 0, only?: MessageSchema): M.ApiVersionsResponse {
  const listed = only ? [only] : apiList.map((a) => a.schema);
  return {
    errorCode,
    apiKeys: listed.map((s) => ({ apiKey: s.apiKey, minVersion: s.minVersion, maxVersion: s.maxVersion })),
    throttleTimeMs: 0,
  };
}
