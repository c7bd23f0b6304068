/**
 * Authorization of each request on a broker with an {@link KafkaAuthorizer}, as MSK's IAM access
 * control does it: the session's principal (from its SASL token) must be allowed `Connect` on the
 * cluster, then the action each API needs on each topic, group or the cluster. Denied topics get
 * TOPIC_AUTHORIZATION_FAILED in the reply; a denied cluster action CLUSTER_AUTHORIZATION_FAILED.
 */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
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

/** A topic entry of a request: named `name` in most APIs, `topic` in Fetch. */
type Named = { readonly name?: string | null; readonly topic?: string };
const nameOf = (entry: Named) => entry.topic ?? entry.name ?? '';

/** Where an API's request and reply keep their lists of topics. */
interface TopicLists<Req, Res, In extends Named, Out> {
  /** The request's topics; null asks for all. */
  readonly asked: (request: Req) => readonly In[] | null;
  /** The request with only `kept` of its topics. */
  readonly keep: (request: Req, kept: readonly In[]) => Req;
  /** The reply's topics. */
  readonly answered: (reply: Res) => readonly Out[];
  /** `reply` with `topics` as its topics; without a reply (no topic allowed), a reply of `topics` only. */
  readonly withTopics: (reply: Res | null, topics: readonly Out[]) => Res;
}

/**
 * Wraps a handler whose request and response carry a list of topics (`lists`): denied topics are taken
 * out before the handler runs and answered with `denied` (TOPIC_AUTHORIZATION_FAILED).
 */
function perTopic<Req, Res, In extends Named, Out>(
  handler: ApiHandler<Req, Res>,
  actions: readonly KafkaAction[],
  lists: TopicLists<Req, Res, In, Out>,
  denied: (entry: In) => Out,
): ApiHandler<Req, Res> {
  return async (ctx, body, version, session) => {
    const topics = lists.asked(body);
    if (!ctx.authorizer || topics === null) return handler(ctx, body, version, session);
    const ok = await allowedTopics(ctx, session, topics.map(nameOf), actions);
    const kept = topics.filter((entry) => ok.has(nameOf(entry)));
    const refused = topics.filter((entry) => !ok.has(nameOf(entry)));
    const reply =
      kept.length > 0 || refused.length === 0
        ? await handler(ctx, lists.keep(body, kept), version, session)
        : null;
    if (reply === null && kept.length > 0) return null;
    const answered = reply === null ? [] : lists.answered(reply);
    return lists.withTopics(reply, [...answered, ...refused.map(denied)]);
  };
}

/** Produce: WriteData and DescribeTopic on each topic (MSK requires both). */
export const authorizeProduce = (
  handler: ApiHandler<M.ProduceRequest, M.ProduceResponse>,
): ApiHandler<M.ProduceRequest, M.ProduceResponse> =>
  perTopic(
    handler,
    ['DescribeTopic', 'WriteData'],
    {
      asked: (request) => request.topicData,
      keep: (request, topicData) => ({ ...request, topicData }),
      answered: (reply) => reply.responses,
      withTopics: (reply, responses) => ({ ...(reply ?? { throttleTimeMs: 0 }), responses }),
    },
    (entry) => ({
      name: nameOf(entry),
      partitionResponses: entry.partitionData.map((p) => ({
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
export const authorizeFetch = (
  handler: ApiHandler<M.FetchRequest, M.FetchResponse>,
): ApiHandler<M.FetchRequest, M.FetchResponse> =>
  perTopic(
    handler,
    ['DescribeTopic', 'ReadData'],
    {
      asked: (request) => request.topics,
      keep: (request, topics) => ({ ...request, topics }),
      answered: (reply) => reply.responses,
      withTopics: (reply, responses) => ({ ...(reply ?? { throttleTimeMs: 0 }), responses }),
    },
    (entry) => ({
      topic: nameOf(entry),
      partitions: entry.partitions.map((p) => ({
        partitionIndex: p.partition,
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        highWatermark: -1n,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: null,
      })),
    }),
  );

/** The lists of an API whose request and reply both name their topic lists `topics`. */
const topicsLists = <
  Req extends { readonly topics: readonly In[] | null },
  Res extends { readonly topics: readonly Out[] },
  In extends Named,
  Out,
>(
  empty: (topics: readonly Out[]) => Res,
): TopicLists<Req, Res, In, Out> => ({
  asked: (request) => request.topics,
  keep: (request, topics) => ({ ...request, topics }),
  answered: (reply) => reply.topics,
  withTopics: (reply, topics) => (reply === null ? empty(topics) : { ...reply, topics }),
});

type ListOffsetsTopic = M.ListOffsetsRequest['topics'][number];
type OffsetCommitTopic = M.OffsetCommitRequest['topics'][number];

/** ListOffsets: DescribeTopic on each topic. */
export const authorizeListOffsets = (
  handler: ApiHandler<M.ListOffsetsRequest, M.ListOffsetsResponse>,
): ApiHandler<M.ListOffsetsRequest, M.ListOffsetsResponse> =>
  perTopic(
    handler,
    ['DescribeTopic'],
    topicsLists<M.ListOffsetsRequest, M.ListOffsetsResponse, ListOffsetsTopic, M.ListOffsetsResponseTopic>(
      (topics) => ({ throttleTimeMs: 0, topics }),
    ),
    (entry) => ({
      name: nameOf(entry),
      partitions: entry.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        timestamp: -1n,
        offset: -1n,
        leaderEpoch: -1,
      })),
    }),
  );

/** CreateTopics: CreateTopic on each topic. */
export const authorizeCreateTopics = (
  handler: ApiHandler<M.CreateTopicsRequest, M.CreateTopicsResponse>,
): ApiHandler<M.CreateTopicsRequest, M.CreateTopicsResponse> =>
  perTopic(
    handler,
    ['CreateTopic'],
    topicsLists<M.CreateTopicsRequest, M.CreateTopicsResponse, M.CreatableTopic, M.CreatableTopicResult>(
      (topics) => ({ throttleTimeMs: 0, topics }),
    ),
    (entry) => ({
      name: nameOf(entry),
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: `not authorized to create ${nameOf(entry)}`,
    }),
  );

/** Metadata: DescribeTopic on each named topic; a request for all topics lists only describable ones. */
export const authorizeMetadata =
  (
    handler: ApiHandler<M.MetadataRequest, M.MetadataResponse>,
  ): ApiHandler<M.MetadataRequest, M.MetadataResponse> =>
  async (ctx, body, version, session) => {
    const reply = await handler(ctx, body, version, session);
    if (!ctx.authorizer || reply === null) return reply;
    const all = body.topics === null;
    const topics: M.MetadataTopic[] = [];
    for (const topic of reply.topics) {
      const name = topic.name ?? '';
      if (await allowed(ctx, session, 'DescribeTopic', { kind: 'topic', name })) topics.push(topic);
      else if (!all) {
        const errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        topics.push({ errorCode, name, isInternal: false, partitions: [] });
      }
    }
    return { ...reply, topics };
  };

/** InitProducerId for an idempotent producer: WriteDataIdempotently on the cluster. */
export const authorizeInitProducerId =
  (
    handler: ApiHandler<M.InitProducerIdRequest, M.InitProducerIdResponse>,
  ): ApiHandler<M.InitProducerIdRequest, M.InitProducerIdResponse> =>
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

/** A group's or a topic's refusal of an OffsetCommit: every partition carries `errorCode`. */
const refuseCommit = (entry: OffsetCommitTopic, errorCode: number): M.OffsetCommitResponseTopic => ({
  name: entry.name,
  partitions: entry.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
});

/** A group's or a topic's refusal of an OffsetFetch: every partition carries `errorCode`. */
const refuseFetch = (entry: M.OffsetFetchRequestTopic, errorCode: number): M.OffsetFetchResponseTopic => ({
  name: entry.name,
  partitions: entry.partitionIndexes.map((partitionIndex) => ({
    partitionIndex,
    errorCode,
    committedOffset: -1n,
    committedLeaderEpoch: -1,
    metadata: null,
  })),
});

/** OffsetCommit: AlterGroup on the group (MSK's READ GROUP), then ReadData on each topic. */
export const authorizeOffsetCommit =
  (
    handler: ApiHandler<M.OffsetCommitRequest, M.OffsetCommitResponse>,
  ): ApiHandler<M.OffsetCommitRequest, M.OffsetCommitResponse> =>
  async (ctx, body, version, session) => {
    const group = { kind: 'group', name: body.groupId } as const;
    if (!(await allowed(ctx, session, 'AlterGroup', group))) {
      const topics = body.topics.map((t) => refuseCommit(t, ErrorCode.GROUP_AUTHORIZATION_FAILED));
      return { throttleTimeMs: 0, topics };
    }
    const withTopics = perTopic(
      handler,
      ['ReadData'],
      topicsLists<
        M.OffsetCommitRequest,
        M.OffsetCommitResponse,
        OffsetCommitTopic,
        M.OffsetCommitResponseTopic
      >((topics) => ({ throttleTimeMs: 0, topics })),
      (entry) => refuseCommit(entry, ErrorCode.TOPIC_AUTHORIZATION_FAILED),
    );
    return withTopics(ctx, body, version, session);
  };

/** OffsetFetch: DescribeGroup on the group, then DescribeTopic on each topic named. */
export const authorizeOffsetFetch =
  (
    handler: ApiHandler<M.OffsetFetchRequest, M.OffsetFetchResponse>,
  ): ApiHandler<M.OffsetFetchRequest, M.OffsetFetchResponse> =>
  async (ctx, body, version, session) => {
    const group = { kind: 'group', name: body.groupId } as const;
    if (!(await allowed(ctx, session, 'DescribeGroup', group))) {
      const errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      const refused = (body.topics ?? []).map((t) => refuseFetch(t, errorCode));
      return { throttleTimeMs: 0, errorCode, topics: refused };
    }
    const withTopics = perTopic(
      handler,
      ['DescribeTopic'],
      topicsLists<
        M.OffsetFetchRequest,
        M.OffsetFetchResponse,
        M.OffsetFetchRequestTopic,
        M.OffsetFetchResponseTopic
      >((topics) => ({ throttleTimeMs: 0, topics })),
      (entry) => refuseFetch(entry, ErrorCode.TOPIC_AUTHORIZATION_FAILED),
    );
    const reply = await withTopics(ctx, body, version, session);
    if (reply === null || body.topics !== null || !ctx.authorizer) return reply;
    // Every topic of the group was asked for: leave out those the principal may not describe.
    const describable = await allowedTopics(ctx, session, reply.topics.map(nameOf), ['DescribeTopic']);
    return { ...reply, topics: reply.topics.filter((t) => describable.has(nameOf(t))) };
  };
