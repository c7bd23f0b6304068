/** The APIs the embedded broker serves: schema (versions, bodies) and handler for each key. */
import { messages as M, type MessageSchema, type Struct } from '../../../libs/kafka/protocol';
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
import type { ApiHandler } from './context';
import { handleCreateTopics } from './create-topics';
import { handleFetch } from './fetch';
import { handleOffsetCommit, handleOffsetFetch } from './group-offsets';
import { handleInitProducerId } from './init-producer-id';
import { handleListOffsets } from './list-offsets';
import { handleMetadata } from './metadata';
import { handleProduce } from './produce';
import { handleSaslAuthenticate, handleSaslHandshake } from './sasl';

export interface Api {
  readonly schema: MessageSchema;
  readonly handle: ApiHandler;
}

const apiList: Api[] = [
  { schema: M.Produce, handle: authorizeProduce(handleProduce) },
  { schema: M.Fetch, handle: authorizeFetch(handleFetch) },
  { schema: M.ListOffsets, handle: authorizeListOffsets(handleListOffsets) },
  { schema: M.Metadata, handle: authorizeMetadata(handleMetadata) },
  { schema: M.ApiVersions, handle: () => apiVersionsBody() },
  { schema: M.CreateTopics, handle: authorizeCreateTopics(handleCreateTopics) },
  { schema: M.InitProducerId, handle: authorizeInitProducerId(handleInitProducerId) },
  { schema: M.OffsetCommit, handle: authorizeOffsetCommit(handleOffsetCommit) },
  { schema: M.OffsetFetch, handle: authorizeOffsetFetch(handleOffsetFetch) },
  { schema: M.SaslHandshake, handle: handleSaslHandshake },
  { schema: M.SaslAuthenticate, handle: handleSaslAuthenticate },
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
export function apiVersionsBody(errorCode = 0, only?: MessageSchema): Struct {
  const listed = only ? [only] : apiList.map((a) => a.schema);
  return {
    errorCode,
    apiKeys: listed.map((s) => ({ apiKey: s.apiKey, minVersion: s.minVersion, maxVersion: s.maxVersion })),
    throttleTimeMs: 0,
  };
}
