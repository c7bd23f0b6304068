/**
 * Authorization of each request on a broker with an {@link KafkaAuthorizer}, as MSK's IAM access
 * control does it: the session's principal (from its SASL token) must be allowed `Connect` on the
 * cluster, then the action each API needs on each topic, group or the cluster. Denied topics get
 * TOPIC_AUTHORIZATION_FAILED in the reply; a denied cluster action CLUSTER_AUTHORIZATION_FAILED.
 */
import { ErrorCode, type Struct } from '../../../libs/kafka/protocol';
import type { ApiHandler, BrokerContext, Session } from './context';

/** What a Kafka action is asked on: the cluster, a topic or a consumer group. */
export type KafkaResource =
  | { readonly kind: 'cluster' }
  | { readonly kind: 'topic'; readonly name: string }
  | { readonly kind: 'group'; readonly name: string };

/** MSK's IAM actions (without the `kafka-cluster:` prefix) that the broker asks about. */
export type KafkaAction =
  | 'Connect'
  | 'DescribeTopic'
  | 'WriteData'
  | 'WriteDataIdempotently'
  | 'ReadData'
  | 'CreateTopic'
  | 'DescribeGroup'
  | 'AlterGroup';

/** Decides who a token is and what they may do. */
export interface KafkaAuthorizer {
  /** The principal a bearer token stands for, or undefined to refuse the token. */
  authenticate(token: string): Promise<string | undefined> | string | undefined;
  /** Whether `principal` may do `action` on `resource`; a denial is logged by the authorizer. */
  authorize(principal: string, action: KafkaAction, resource: KafkaResource): Promise<boolean>;
}

const allowed = async (
  ctx: BrokerContext,
  session: Session,
  action: KafkaAction,
  resource: KafkaResource,
): Promise<boolean> => {
  if (!ctx.authorizer) return true;
  if (session.principal === undefined) return false;
  return ctx.authorizer.authorize(session.principal, action, resource);
};

/** The topics of a request that `actions` are all allowed on. */
async function allowedTopics(
  ctx: BrokerContext,
  session: Session,
  names: readonly string[],
  actions: readonly KafkaAction[],
): Promise<Set<string>> {
  const result = new Set<string>();
  for (const name of new Set(names)) {
    let ok = true;
    for (const action of actions) ok = ok && (await allowed(ctx, session, action, { kind: 'topic', name }));
    if (ok) result.add(name);
  }
  return result;
}

type TopicList = { name?: string | null; topic?: string }[];
const nameOf = (entry: { name?: string | null; topic?: string }) => entry.topic ?? entry.name ?? '';

/**
 * Wraps a handler whose request and response carry a list of topics (`listField` in the request,
 * `responseField` in the reply): denied topics are taken out before the handler runs and answered
 * with TOPIC_AUTHORIZATION_FAILED.
 */
function perTopic(
  handler: ApiHandler,
  actions: readonly KafkaAction[],
  fields: { request: string; response: string },
  denied: (entry: { name?: string | null; topic?: string }) => Struct,
): ApiHandler {
  return async (ctx, body, version, session) => {
    const topics = body[fields.request] as TopicList | null;
    if (!ctx.authorizer || topics === null) return handler(ctx, body, version, session);
    const ok = await allowedTopics(ctx, session, topics.map(nameOf), actions);
    const kept = topics.filter((entry) => ok.has(nameOf(entry)));
    const refused = topics.filter((entry) => !ok.has(nameOf(entry)));
    const reply =
      kept.length > 0 || refused.length === 0
        ? await handler(ctx, { ...body, [fields.request]: kept }, version, session)
        : null;
    if (reply === null && kept.length > 0) return null;
    const base = reply ?? { throttleTimeMs: 0, [fields.response]: [] };
    return { ...base, [fields.response]: [...(base[fields.response] as Struct[]), ...refused.map(denied)] };
  };
}

const partitionsOf = (entry: Struct, field: string) => (entry[field] as Struct[] | undefined) ?? [];

/** Produce: WriteData and DescribeTopic on each topic (MSK requires both). */
export const authorizeProduce = (handler: ApiHandler): ApiHandler =>
  perTopic(
    handler,
    ['DescribeTopic', 'WriteData'],
    { request: 'topicData', response: 'responses' },
    (entry) => ({
      name: nameOf(entry),
      partitionResponses: partitionsOf(entry as Struct, 'partitionData').map((p) => ({
        index: p.index,
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        baseOffset: -1n,
        errorMessage: `not authorized to write to ${nameOf(entry)}`,
        logAppendTimeMs: -1n,
        logStartOffset: -1n,
        recordErrors: [],
      })),
    }),
  );

/** Fetch: ReadData and DescribeTopic on each topic. */
export const authorizeFetch = (handler: ApiHandler): ApiHandler =>
  perTopic(handler, ['DescribeTopic', 'ReadData'], { request: 'topics', response: 'responses' }, (entry) => ({
    topic: nameOf(entry),
    partitions: partitionsOf(entry as Struct, 'partitions').map((p) => ({
      partitionIndex: p.partition,
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      highWatermark: -1n,
      abortedTransactions: null,
      preferredReadReplica: -1,
      records: null,
    })),
  }));

/** ListOffsets: DescribeTopic on each topic. */
export const authorizeListOffsets = (handler: ApiHandler): ApiHandler =>
  perTopic(handler, ['DescribeTopic'], { request: 'topics', response: 'topics' }, (entry) => ({
    name: nameOf(entry),
    partitions: partitionsOf(entry as Struct, 'partitions').map((p) => ({
      partitionIndex: p.partitionIndex,
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      timestamp: -1n,
      offset: -1n,
      leaderEpoch: -1,
    })),
  }));

/** CreateTopics: CreateTopic on each topic. */
export const authorizeCreateTopics = (handler: ApiHandler): ApiHandler =>
  perTopic(handler, ['CreateTopic'], { request: 'topics', response: 'topics' }, (entry) => ({
    name: nameOf(entry),
    errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
    errorMessage: `not authorized to create ${nameOf(entry)}`,
  }));

/** Metadata: DescribeTopic on each named topic; a request for all topics lists only describable ones. */
export const authorizeMetadata =
  (handler: ApiHandler): ApiHandler =>
  async (ctx, body, version, session) => {
    const reply = await handler(ctx, body, version, session);
    if (!ctx.authorizer || reply === null) return reply;
    const all = body.topics === null;
    const topics: Struct[] = [];
    for (const topic of reply.topics as Struct[]) {
      const name = String(topic.name ?? '');
      if (await allowed(ctx, session, 'DescribeTopic', { kind: 'topic', name })) topics.push(topic);
      else if (!all) topics.push({ errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, name, partitions: [] });
    }
    return { ...reply, topics };
  };

/** InitProducerId for an idempotent producer: WriteDataIdempotently on the cluster. */
export const authorizeInitProducerId =
  (handler: ApiHandler): ApiHandler =>
  async (ctx, body, version, session) => {
    if (await allowed(ctx, session, 'WriteDataIdempotently', { kind: 'cluster' })) {
      return handler(ctx, body, version, session);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      producerId: -1n,
      producerEpoch: -1,
    };
  };

/** A group's decision, then the topics': a reply whose every partition carries `errorCode`. */
function refuseAll(topics: TopicList, partitions: (entry: Struct) => number[], errorCode: number) {
  return topics.map((entry) => ({
    name: nameOf(entry),
    partitions: partitions(entry as Struct).map((partitionIndex) => ({
      partitionIndex,
      errorCode,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      metadata: null,
    })),
  }));
}

const committedPartitions = (entry: Struct) =>
  partitionsOf(entry, 'partitions').map((p) => p.partitionIndex as number);
const fetchedPartitions = (entry: Struct) => (entry.partitionIndexes as number[] | undefined) ?? [];

/** OffsetCommit: AlterGroup on the group (MSK's READ GROUP), then ReadData on each topic. */
export const authorizeOffsetCommit =
  (handler: ApiHandler): ApiHandler =>
  async (ctx, body, version, session) => {
    const group = { kind: 'group', name: String(body.groupId) } as const;
    if (!(await allowed(ctx, session, 'AlterGroup', group))) {
      const topics = refuseAll(
        body.topics as TopicList,
        committedPartitions,
        ErrorCode.GROUP_AUTHORIZATION_FAILED,
      );
      return { throttleTimeMs: 0, topics };
    }
    const withTopics = perTopic(
      handler,
      ['ReadData'],
      { request: 'topics', response: 'topics' },
      (entry) => refuseAll([entry], committedPartitions, ErrorCode.TOPIC_AUTHORIZATION_FAILED)[0]!,
    );
    return withTopics(ctx, body, version, session);
  };

/** OffsetFetch: DescribeGroup on the group, then DescribeTopic on each topic named. */
export const authorizeOffsetFetch =
  (handler: ApiHandler): ApiHandler =>
  async (ctx, body, version, session) => {
    const group = { kind: 'group', name: String(body.groupId) } as const;
    const topics = (body.topics as TopicList | null) ?? [];
    if (!(await allowed(ctx, session, 'DescribeGroup', group))) {
      const refused = refuseAll(topics, fetchedPartitions, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: refused };
    }
    const withTopics = perTopic(
      handler,
      ['DescribeTopic'],
      { request: 'topics', response: 'topics' },
      (entry) => refuseAll([entry], fetchedPartitions, ErrorCode.TOPIC_AUTHORIZATION_FAILED)[0]!,
    );
    const reply = await withTopics(ctx, body, version, session);
    if (reply === null || body.topics !== null || !ctx.authorizer) return reply;
    // Every topic of the group was asked for: leave out those the principal may not describe.
    const describable = await allowedTopics(ctx, session, (reply.topics as TopicList).map(nameOf), [
      'DescribeTopic',
    ]);
    return { ...reply, topics: (reply.topics as TopicList).filter((t) => describable.has(nameOf(t))) };
  };
