import { Logger } from '@aws-lambda-powertools/logger';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createRestProxyHandler } from '../../../libs/batch';
import { loadConfig } from '../../../libs/config';
import { emulatePosts, generatePosts, type Post } from '../../../libs/emulator';
import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { streamName, topicName } from '../../../libs/naming';
import { KINDS, type Kind } from '../../../libs/records/tables';
import { type ApiServer, startApiServer } from '../../../local/api';
import { KafkaBroker } from '../../../local/kafka';
import { type LocalKinesis, startKinesis } from '../../../local/kinesis';

// The poster against the local stack: HTTP → local API Gateway → the real ingest-stream function →
// kinesalite, and → the REST Proxy handler ingest-batch runs (libs/batch, built here with a producer
// the test can close) → the embedded Kafka broker. What lands is read back and compared exactly.
const API_KEY = 'pinlakeEmulatorKey0123456789';
const PIPELINE = 'pinlake';
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
interface Landed {
  key: string | null;
  value: unknown;
}

let kinesis: LocalKinesis;
let broker: KafkaBroker;
let producer: KafkaProducer;
let api: ApiServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  kinesis = await startKinesis({ pipelineId: PIPELINE });
  broker = await KafkaBroker.start({
    autoCreateTopics: false,
    log: () => {},
    topics: KINDS.map((kind) => ({ name: topicName(PIPELINE, kind), partitions: 2 })),
  });
  process.env.KINESIS_ENDPOINT = kinesis.endpoint;
  process.env.API_KEY = API_KEY;
  delete process.env.PIPELINE_ID;
  delete process.env.CHAOS;
  const { handler: ingestStream } = (await import('../../../functions/ingest-stream')) as {
    handler: Handler;
  };
  producer = createKafkaProducer({
    clientId: 'poster-it',
    connection: { kind: 'plain', brokers: [broker.bootstrap] },
  });
  const ingestBatch = createRestProxyHandler({
    config: loadConfig({ KAFKA_BROKERS: broker.bootstrap, API_KEY }),
    producer,
    logger: new Logger({ serviceName: 'poster-it', logLevel: 'SILENT' }),
  });
  api = await startApiServer({
    routes: [
      { method: 'PUT', resource: '/streams/{stream}/record', handler: ingestStream },
      { method: 'POST', resource: '/topics/{topic}', handler: ingestBatch },
    ],
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await api.close();
  await producer.close();
  await broker.close();
  await kinesis.close();
});

const byJson = (a: Landed, b: Landed) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

/** Every record on a stream (all shards), with its partition key and its data parsed. */
async function readStream(kind: Kind): Promise<Landed[]> {
  const stream = streamName(PIPELINE, kind);
  const { Shards = [] } = await kinesis.client.send(new ListShardsCommand({ StreamName: stream }));
  const landed: Landed[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (;;) {
      const reply = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of reply.Records ?? []) {
        landed.push({
          key: record.PartitionKey ?? null,
          value: JSON.parse(Buffer.from(record.Data ?? []).toString('utf8')),
        });
      }
      if ((reply.Records ?? []).length === 0) break;
      iterator = reply.NextShardIterator;
    }
  }
  return landed.sort(byJson);
}

/** Every record of a topic (both partitions), with its key and value parsed. */
function readTopic(kind: Kind): Landed[] {
  const topic = topicName(PIPELINE, kind);
  const landed: Landed[] = [];
  for (let partition = 0; partition < 2; partition++) {
    for (const record of broker.read(topic, partition, 0, 100_000)) {
      landed.push({
        key: record.key === null ? null : record.key.toString('utf8'),
        value: JSON.parse((record.value ?? Buffer.alloc(0)).toString('utf8')),
      });
    }
  }
  return landed.sort(byJson);
}

const streamRecords = (posts: readonly Post[], kind: Kind): Landed[] =>
  posts.map((post) => ({ key: String(post.pin.index), value: post[kind] })).sort(byJson);
const topicRecords = (posts: readonly Post[], kind: Kind): Landed[] =>
  posts.map((post) => ({ key: null, value: post[kind] })).sort(byJson);

const summaryOf = (posts: number, records: number, mode: 'batch' | 'stream' | 'both') => ({
  mode,
  posts,
  postsComplete: posts,
  postsIncomplete: 0,
  records: { sent: records, failed: 0 },
  requests: { '200': records },
  retries: 0,
  failures: [],
  stoppedBy: 'end',
  sourceError: null,
  durationMs: expect.any(Number),
  postsPerSecond: expect.any(Number),
});

describe('emulatePosts against the local API', () => {
  const streamPosts = [...generatePosts({ posts: 40, seed: 7 })];
  const batchPosts = [...generatePosts({ posts: 25, seed: 8 })];
  const bothPosts = [...generatePosts({ posts: 15, seed: 9 })];

  it('puts each post on the three streams, records exactly as sent, keyed by the post id', async () => {
    // Prepare
    const source = streamPosts;

    // Act
    const summary = await emulatePosts({
      api: api.url,
      apiKey: API_KEY,
      source,
      mode: 'stream',
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary).toStrictEqual(summaryOf(40, 120, 'stream'));
    for (const kind of KINDS) expect(await readStream(kind)).toStrictEqual(streamRecords(streamPosts, kind));
  });

  it('produces each post to the three topics in batch mode and sends nothing to the streams', async () => {
    // Prepare
    const source = batchPosts;

    // Act
    const summary = await emulatePosts({
      api: api.url,
      apiKey: API_KEY,
      source,
      mode: 'batch',
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary).toStrictEqual(summaryOf(25, 75, 'batch'));
    for (const kind of KINDS) {
      expect(readTopic(kind)).toStrictEqual(topicRecords(batchPosts, kind));
      expect(await readStream(kind)).toStrictEqual(streamRecords(streamPosts, kind));
    }
  });

  it('sends each post to both the topics and the streams in both mode, through a stage prefix', async () => {
    // Prepare
    const source = bothPosts;

    // Act
    const summary = await emulatePosts({
      api: `${api.url}/dev/`,
      apiKey: API_KEY,
      source,
      mode: 'both',
      concurrency: 3,
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary).toStrictEqual(summaryOf(15, 90, 'both'));
    for (const kind of KINDS) {
      expect(readTopic(kind)).toStrictEqual(topicRecords([...batchPosts, ...bothPosts], kind));
      expect(await readStream(kind)).toStrictEqual(streamRecords([...streamPosts, ...bothPosts], kind));
    }
  });

  it('reports every record as failed with the API message when the API key is wrong', async () => {
    // Prepare
    const source = streamPosts.slice(0, 2);

    // Act
    const summary = await emulatePosts({
      api: api.url,
      apiKey: 'wrong',
      source,
      mode: 'stream',
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary.records).toStrictEqual({ sent: 0, failed: 6 });
    expect(summary.requests).toStrictEqual({ '403': 6 });
    expect(summary.failures[0]).toStrictEqual({
      post: 1,
      id: streamPosts[0]?.pin.index,
      kind: 'pin',
      request: `PUT /streams/${streamName(PIPELINE, 'pin')}/record`,
      attempts: 1,
      error: expect.stringMatching(/^HTTP 403: /),
    });
  });
});
