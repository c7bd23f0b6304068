import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  messages as M,
  type MessageSchema,
  Reader,
  type RequestOf,
  type ResponseOf,
  Writer,
} from '../../../libs/kafka/protocol';

type Field = MessageSchema['request'][number];

/** A body with every optional field present: the compiler makes each example name every field of its type. */
type Full<T> = T extends Buffer | bigint | string | number | boolean | null
  ? T
  : T extends readonly (infer E)[]
    ? readonly Full<E>[]
    : { readonly [K in keyof T]-?: Full<T[K]> };

/** One message with a full example of its request and response bodies. */
interface Example<S extends MessageSchema> {
  readonly schema: S;
  readonly request: Full<RequestOf<S>>;
  readonly response: Full<ResponseOf<S>>;
}

const example = <Req, Res>(
  schema: MessageSchema<Req, Res>,
  request: Full<Req>,
  response: Full<Res>,
): Example<MessageSchema<Req, Res>> => ({ schema, request, response });

const inVersion = (f: Field, version: number) => version >= f.min && version <= f.max;

/** What decoding `value` encoded at `version` gives: the fields of that version only. */
function atVersion(fields: readonly Field[], value: object, version: number): object {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inVersion(f, version)) continue;
    const v = (value as Record<string, unknown>)[f.name];
    out[f.name] =
      typeof f.type === 'string' || v === null
        ? v
        : (v as object[]).map((item) => atVersion(f.type as readonly Field[], item, version));
  }
  return out;
}

/** The field names of `value`, nested ones as `outer.inner`, and the same of the schema's `fields`. */
function names(fields: readonly Field[], value: object, prefix = ''): { body: string[]; schema: string[] } {
  const body: string[] = [];
  const schema: string[] = [];
  for (const f of fields) schema.push(prefix + f.name);
  for (const [key, v] of Object.entries(value)) {
    body.push(prefix + key);
    const f = fields.find((x) => x.name === key);
    if (f && typeof f.type !== 'string' && Array.isArray(v) && v.length > 0) {
      const inner = names(f.type, v[0] as object, `${prefix}${key}.`);
      body.push(...inner.body);
      schema.push(...inner.schema);
    }
  }
  return { body: body.sort(), schema: schema.sort() };
}

const uuid = '0123456789abcdef0123456789abcdef';
const bytes = Buffer.from([1, 2, 3, 255]);

const EXAMPLES: Example<MessageSchema>[] = [
  example(
    M.ApiVersions,
    { clientSoftwareName: 'pinlake', clientSoftwareVersion: '0.1.0' },
    { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 7 },
  ),
  example(
    M.Metadata,
    {
      topics: [{ topicId: uuid, name: 'pins' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: true,
      includeTopicAuthorizedOperations: true,
    },
    {
      throttleTimeMs: 7,
      brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: 'a' }],
      clusterId: 'cluster',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'pins',
          topicId: uuid,
          isInternal: true,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 2,
              leaderId: 1,
              leaderEpoch: 3,
              replicaNodes: [1, 2],
              isrNodes: [1],
              offlineReplicas: [2],
            },
          ],
          topicAuthorizedOperations: 8,
        },
      ],
      clusterAuthorizedOperations: 9,
    },
  ),
  example(
    M.CreateTopics,
    {
      topics: [
        {
          name: 'pins',
          numPartitions: 3,
          replicationFactor: 1,
          assignments: [{ partitionIndex: 0, brokerIds: [1] }],
          configs: [{ name: 'retention.ms', value: '1000' }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: true,
    },
    {
      throttleTimeMs: 7,
      topics: [
        {
          name: 'pins',
          topicId: uuid,
          errorCode: 36,
          errorMessage: 'exists',
          numPartitions: 3,
          replicationFactor: 1,
          configs: [
            { name: 'retention.ms', value: '1000', readOnly: true, configSource: 5, isSensitive: true },
          ],
        },
      ],
    },
  ),
  example(
    M.InitProducerId,
    { transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: 42n, producerEpoch: 3 },
    { throttleTimeMs: 7, errorCode: 0, producerId: 2n ** 40n, producerEpoch: 4 },
  ),
  example(
    M.Produce,
    {
      transactionalId: 'tx',
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{ name: 'pins', partitionData: [{ index: 1, records: bytes }] }],
    },
    {
      responses: [
        {
          name: 'pins',
          partitionResponses: [
            {
              index: 1,
              errorCode: 87,
              baseOffset: 10n,
              logAppendTimeMs: -1n,
              logStartOffset: 2n,
              recordErrors: [{ batchIndex: 0, batchIndexErrorMessage: 'bad' }],
              errorMessage: 'invalid record',
            },
          ],
        },
      ],
      throttleTimeMs: 7,
    },
  ),
  example(
    M.Fetch,
    {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 1,
      sessionId: 5,
      sessionEpoch: 6,
      topics: [
        {
          topic: 'pins',
          partitions: [
            {
              partition: 1,
              currentLeaderEpoch: 2,
              fetchOffset: 100n,
              lastFetchedEpoch: 3,
              logStartOffset: 4n,
              partitionMaxBytes: 1024,
            },
          ],
        },
      ],
      forgottenTopicsData: [{ topic: 'users', partitions: [0, 1] }],
      rackId: 'a',
    },
    {
      throttleTimeMs: 7,
      errorCode: 0,
      sessionId: 5,
      responses: [
        {
          topic: 'pins',
          partitions: [
            {
              partitionIndex: 1,
              errorCode: 0,
              highWatermark: 200n,
              lastStableOffset: 199n,
              logStartOffset: 4n,
              abortedTransactions: [{ producerId: 9n, firstOffset: 150n }],
              preferredReadReplica: -1,
              records: bytes,
            },
          ],
        },
      ],
    },
  ),
  example(
    M.ListOffsets,
    {
      replicaId: -1,
      isolationLevel: 1,
      topics: [
        {
          name: 'pins',
          partitions: [{ partitionIndex: 1, currentLeaderEpoch: 2, timestamp: -2n, maxNumOffsets: 1 }],
        },
      ],
    },
    {
      throttleTimeMs: 7,
      topics: [
        {
          name: 'pins',
          partitions: [
            {
              partitionIndex: 1,
              errorCode: 0,
              oldStyleOffsets: [5n],
              timestamp: 1_700_000_000_000n,
              offset: 5n,
              leaderEpoch: 2,
            },
          ],
        },
      ],
    },
  ),
  example(
    M.OffsetCommit,
    {
      groupId: 'group',
      generationIdOrMemberEpoch: -1,
      memberId: 'member',
      groupInstanceId: 'instance',
      retentionTimeMs: -1n,
      topics: [
        {
          name: 'pins',
          partitions: [
            { partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: 2, committedMetadata: 'm' },
          ],
        },
      ],
    },
    { throttleTimeMs: 7, topics: [{ name: 'pins', partitions: [{ partitionIndex: 1, errorCode: 0 }] }] },
  ),
  example(
    M.OffsetFetch,
    { groupId: 'group', topics: [{ name: 'pins', partitionIndexes: [0, 1] }], requireStable: true },
    {
      throttleTimeMs: 7,
      topics: [
        {
          name: 'pins',
          partitions: [
            { partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: 2, metadata: 'm', errorCode: 0 },
          ],
        },
      ],
      errorCode: 0,
    },
  ),
  example(M.SaslHandshake, { mechanism: 'OAUTHBEARER' }, { errorCode: 0, mechanisms: ['OAUTHBEARER'] }),
  example(
    M.SaslAuthenticate,
    { authBytes: bytes },
    { errorCode: 58, errorMessage: 'refused', authBytes: bytes, sessionLifetimeMs: 3_600_000n },
  ),
];

describe('message bodies', () => {
  it('cover every message the codec knows', () => {
    // Act
    const covered = EXAMPLES.map((e) => e.schema.name).sort();

    // Assess
    expect(covered).toStrictEqual(
      Object.values(M)
        .map((s) => s.name)
        .sort(),
    );
  });

  describe.each(EXAMPLES)('$schema.name', ({ schema, request, response }) => {
    it('has a type naming exactly the fields of its schema', () => {
      // Act
      const requestNames = names(schema.request, request);
      const responseNames = names(schema.response, response);

      // Assess
      expect(requestNames.body).toStrictEqual(requestNames.schema);
      expect(responseNames.body).toStrictEqual(responseNames.schema);
    });

    const versions = Array.from(
      { length: schema.maxVersion - schema.minVersion + 1 },
      (_, i) => schema.minVersion + i,
    );
    it.each(versions)('round-trips its request and response at v%i', (version) => {
      // Prepare
      const requestBytes = new Writer(64);
      const responseBytes = new Writer(64);

      // Act
      encodeRequest(requestBytes, schema, request, version);
      encodeResponse(responseBytes, schema, response, version);
      const requestReader = new Reader(requestBytes.toBuffer());
      const responseReader = new Reader(responseBytes.toBuffer());
      const decodedRequest = decodeRequest(requestReader, schema, version);
      const decodedResponse = decodeResponse(responseReader, schema, version);

      // Assess
      expect(decodedRequest).toStrictEqual(atVersion(schema.request, request, version));
      expect(decodedResponse).toStrictEqual(atVersion(schema.response, response, version));
      expect([requestReader.remaining, responseReader.remaining]).toStrictEqual([0, 0]);
    });
  });
});
