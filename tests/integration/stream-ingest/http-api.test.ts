import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { FileStore } from '../../../libs/storage';
import { type ApiServer, startApiServer } from '../../../local/api';
import { type LocalKinesis, startKinesis } from '../../../local/kinesis';
import { type KinesisPoller, startKinesisPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';
import { type Behaviour, recordingHandler } from '../local/recording-handler';

// End to end on the local stack: HTTP → local API Gateway → the real ingest-stream function →
// kinesalite → the Kinesis poller → a recording handler standing in for stream-to-delta.
const API_KEY = 'pinlakeExampleApiKey0123456789';
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const pin = (ind: number) => ({
  index: ind,
  title: `post ${ind}`,
  category: 'travel',
  follower_count: '12k',
});

describe('Streaming ingest over HTTP', () => {
  let kinesis: LocalKinesis;
  let api: ApiServer;
  let lake: { path: string; cleanup: () => Promise<void> };
  let poller: KinesisPoller | undefined;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    kinesis = await startKinesis();
    lake = await makeTempDir('http-api-lake');
    process.env.KINESIS_ENDPOINT = kinesis.endpoint;
    process.env.API_KEY = API_KEY;
    delete process.env.PIPELINE_ID;
    delete process.env.CHAOS;
    const { handler } = (await import('../../../functions/ingest-stream')) as { handler: Handler };
    const route = (method: string, resource: string) => ({
      method,
      resource,
      handler,
      functionName: 'ingest-stream',
    });
    api = await startApiServer({
      routes: [
        route('GET', '/streams'),
        route('GET', '/streams/{stream}'),
        route('PUT', '/streams/{stream}/record'),
        route('PUT', '/streams/{stream}/records'),
      ],
    });
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  afterAll(async () => {
    process.env = savedEnv;
    await api.close();
    await kinesis.close();
    await lake.cleanup();
  });

  const call = async (method: string, path: string, body?: unknown, apiKey: string | null = API_KEY) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(apiKey === null ? {} : { 'x-api-key': apiKey }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  const countRecords = async (stream: string, shardId: string) => {
    const { ShardIterator } = await kinesis.client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
    return Records?.length;
  };

  const poll = async (stream: string, behaviour?: Behaviour) => {
    const recorder = recordingHandler(behaviour);
    poller = await startKinesisPoller({
      client: kinesis.client,
      streamName: stream,
      functionName: 'stream-to-delta',
      handler: recorder.handler,
      onFailure: new FileStore(lake.path),
      maximumRetryAttempts: 1,
      pollIntervalMs: 10,
    });
    return { recorder, poller };
  };

  it('delivers every record sent, one by one and in bulk, exactly once to the stream handler', async () => {
    // Prepare
    const { recorder, poller: running } = await poll('streaming-pinlake-pin');
    const single = [1, 2, 3, 4, 5, 6].map(pin);
    const bulk = [7, 8, 9, 10, 11, 12].map(pin);

    // Act
    const replies = [];
    for (const record of single) {
      const body = { StreamName: 'streaming-pinlake-pin', Data: record, PartitionKey: String(record.index) };
      replies.push(await call('PUT', '/dev/streams/streaming-pinlake-pin/record', body));
    }
    const records = bulk.map((record) => ({ data: record, 'partition-key': String(record.index) }));
    replies.push(await call('PUT', '/streams/streaming-pinlake-pin/records', { records }));
    await running.drain();

    // Assess
    expect(replies.map((r) => r.status)).toStrictEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(replies[6]!.body).toMatchObject({ FailedRecordCount: 0 });
    const expected = [...single, ...bulk].map((record) => JSON.stringify(record)).sort();
    expect(recorder.invocations.flat().sort()).toStrictEqual(expected);
  });

  it('retries a reported failure from that record and sends a record that always throws to on-failure', async () => {
    // Prepare
    const reported = new Set<string>();
    const behaviour: Behaviour = (batch) => {
      if (batch.some((r) => r.data.includes('"index":66'))) throw new Error('record 66 is poison');
      const first = batch.find((r) => r.data.includes('"index":63') && !reported.has(r.sequenceNumber));
      if (first) reported.add(first.sequenceNumber);
      return first ? { batchItemFailures: [{ itemIdentifier: first.sequenceNumber }] } : undefined;
    };
    const { recorder, poller: running } = await poll('streaming-pinlake-geo', behaviour);
    const records = [61, 62, 63, 64, 65, 66, 67].map((ind) => ({
      data: pin(ind),
      'partition-key': 'one-shard',
    }));

    // Act
    const reply = await call('PUT', '/streams/streaming-pinlake-geo/records', { records });
    await running.drain();

    // Assess
    expect(reply.status).toBe(200);
    const handled = recorder.handled.map((data) => (JSON.parse(data) as { index: number }).index);
    expect(handled).toStrictEqual([61, 62, 63, 64, 65, 67]);
    const onFailure = await new FileStore(lake.path).list('quarantine/onfailure/stream-to-delta/');
    expect(onFailure).toHaveLength(1);
    const written = JSON.parse(
      Buffer.from((await new FileStore(lake.path).get(onFailure[0]!.key))!).toString(),
    );
    const poisoned = written.payload.Records.map((r: { kinesis: { data: string } }) =>
      Buffer.from(r.kinesis.data, 'base64').toString(),
    );
    expect(poisoned).toStrictEqual([JSON.stringify(pin(66))]);
  });

  it('requires the API key when one is configured, answering 403 Forbidden as API Gateway does', async () => {
    // Act
    const missing = await call('GET', '/streams', undefined, null);
    const wrong = await call('GET', '/streams', undefined, 'wrong-key');
    const right = await call('GET', '/dev/streams');

    // Assess
    expect(missing).toStrictEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(wrong).toStrictEqual({ status: 403, body: { message: 'Forbidden' } });
    expect(right).toStrictEqual({
      status: 200,
      body: {
        StreamNames: ['streaming-pinlake-pin', 'streaming-pinlake-geo', 'streaming-pinlake-user'],
        HasMoreStreams: false,
      },
    });
  });

  const RECORD = '/streams/streaming-pinlake-user/record';
  const RECORDS = '/streams/streaming-pinlake-user/records';
  const deep = `${'['.repeat(65)}1${']'.repeat(65)}`;
  const row = (
    name: string,
    method: string,
    path: string,
    body: unknown,
    status: number,
    message: RegExp,
  ) => ({
    name,
    method,
    path,
    body,
    status,
    message,
  });
  it.each([
    row('not JSON', 'PUT', RECORD, '{"Data": {', 400, /^request body is not valid JSON: /),
    row('an empty body', 'PUT', RECORD, '', 400, /^request body is empty; expected a JSON document$/),
    row('a body that is not an object', 'PUT', RECORD, '[1, 2]', 400, /^request body must be a JSON object$/),
    row(
      'JSON nested too deep',
      'PUT',
      RECORD,
      `{"Data": ${deep}, "PartitionKey": "k"}`,
      400,
      /deeper than 64 levels$/,
    ),
    row('no Data', 'PUT', RECORD, { PartitionKey: 'k' }, 400, /^invalid request body: Data is required/),
    row(
      'no PartitionKey',
      'PUT',
      RECORD,
      { Data: pin(1) },
      400,
      /^invalid request body: PartitionKey is required$/,
    ),
    row(
      'a partition key over 256 characters',
      'PUT',
      RECORD,
      { Data: pin(1), PartitionKey: 'k'.repeat(257) },
      400,
      /^invalid request body: PartitionKey must be at most 256 characters$/,
    ),
    row(
      'a StreamName other than the path',
      'PUT',
      RECORD,
      { StreamName: 'streaming-pinlake-pin', Data: pin(1), PartitionKey: 'k' },
      400,
      /^StreamName "streaming-pinlake-pin" in the body does not match the path's "streaming-pinlake-user"$/,
    ),
    row(
      'an unknown stream',
      'PUT',
      '/streams/other/record',
      { Data: pin(1), PartitionKey: 'k' },
      404,
      /^stream "other" is not/,
    ),
    row(
      'too many records',
      'PUT',
      RECORDS,
      { records: Array.from({ length: 501 }, () => ({ data: 'x', 'partition-key': 'k' })) },
      400,
      /^records holds 501 records; at most 500 are accepted$/,
    ),
    row('no records', 'PUT', RECORDS, { records: [] }, 400, /^records must hold at least one record$/),
    row(
      'a record without a partition key',
      'PUT',
      RECORDS,
      { records: [{ data: 'x', 'partition-key': 'k' }, { data: 'y' }] },
      400,
      /^invalid request body: records\[1\]\.partition-key is required$/,
    ),
    row(
      'a record over 1 MiB',
      'PUT',
      RECORD,
      { Data: 'x'.repeat(1024 * 1024), PartitionKey: 'k' },
      413,
      /^the record is 1048577 bytes once encoded \(data plus partition key\); the limit is 1048576$/,
    ),
    row(
      'a body over 5 MiB',
      'PUT',
      RECORDS,
      { records: Array.from({ length: 6 }, () => ({ data: 'x'.repeat(900_000), 'partition-key': 'k' })) },
      413,
      /^request body is \d+ bytes; the limit is 5242880 bytes$/,
    ),
  ])('answers $name with a clear $status', async ({ method, path, body, status, message }) => {
    // Act
    const reply = await call(method, path, body);

    // Assess
    expect(reply).toStrictEqual({ status, body: { message: expect.stringMatching(message) } });
  });

  it('leaves the stream untouched by every rejected request', async () => {
    // Prepare
    const shards = ['shardId-000000000000', 'shardId-000000000001'];

    // Act
    const counts = await Promise.all(
      shards.map((shardId) => countRecords('streaming-pinlake-user', shardId)),
    );

    // Assess
    expect(counts).toStrictEqual([0, 0]);
  });

  it('answers a method or path the API does not have with 403 Missing Authentication Token', async () => {
    // Act
    const wrongMethod = await call('POST', '/streams/streaming-pinlake-pin/record', {
      Data: 'x',
      PartitionKey: 'k',
    });
    const unknownPath = await call('GET', '/nothing/here');

    // Assess
    expect(wrongMethod).toStrictEqual({ status: 403, body: { message: 'Missing Authentication Token' } });
    expect(unknownPath).toStrictEqual({ status: 403, body: { message: 'Missing Authentication Token' } });
  });
});
