import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { loadConfig } from '../../../libs/config';
import { createKinesisClient, createStreamApiHandler } from '../../../libs/kinesis';
import { type LocalKinesis, startKinesis } from '../../../local/kinesis';
import { createLambdaContext } from '../../../local/pollers';
import { CapturingLogger } from '../../helpers/capturing-logger';
import { loadEvent } from '../../helpers/events';

// The function under test is the real module, configured through the environment as in Lambda, and
// talking to kinesalite started here (the local stand-in for Kinesis), not to a mock.
const API_KEY = 'pinlakeExampleApiKey0123456789';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const SEQUENCE = expect.stringMatching(/^\d{56}$/);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

describe('Function: ingest-stream', () => {
  let kinesis: LocalKinesis;
  let handler: Handler;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    kinesis = await startKinesis();
    process.env.KINESIS_ENDPOINT = kinesis.endpoint;
    process.env.API_KEY = API_KEY;
    delete process.env.PIPELINE_ID;
    delete process.env.CHAOS;
    ({ handler } = await import('../../../functions/ingest-stream'));
  });

  afterAll(async () => {
    process.env = savedEnv;
    await kinesis.close();
  });

  const invoke = async (event: APIGatewayProxyEvent) => {
    const result = await handler(event, createLambdaContext({ functionName: 'ingest-stream' }));
    return { ...result, body: JSON.parse(result.body) as unknown };
  };

  const readRecord = async (shardId: string, sequenceNumber: string) => {
    const { ShardIterator } = await kinesis.client.send(
      new GetShardIteratorCommand({
        StreamName: 'streaming-pinlake-pin',
        ShardId: shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: sequenceNumber,
      }),
    );
    const { Records } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    const record = Records?.[0];
    return { partitionKey: record?.PartitionKey, data: Buffer.from(record?.Data ?? []).toString('utf8') };
  };

  it('puts one record and answers its sequence number and shard, with Data stored as its JSON text', async () => {
    // Prepare
    const event = loadEvent('apigw', 'put-record');
    const sent = JSON.parse(event.body!) as { Data: unknown };

    // Act
    const reply = await invoke(event);

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 200,
      headers: JSON_HEADERS,
      body: { SequenceNumber: SEQUENCE, ShardId: 'shardId-000000000001' },
    });
    const { SequenceNumber, ShardId } = reply.body as { SequenceNumber: string; ShardId: string };
    expect(await readRecord(ShardId, SequenceNumber)).toStrictEqual({
      partitionKey: 'partition-1',
      data: JSON.stringify(sent.Data),
    });
  });

  it('stores a string Data as it is, not JSON-quoted a second time', async () => {
    // Prepare
    const event = loadEvent('apigw', 'put-record');
    event.body = JSON.stringify({ Data: '{"ind":7528,"country":"Albania"}', PartitionKey: 'partition-1' });

    // Act
    const reply = await invoke(event);

    // Assess
    const { SequenceNumber, ShardId } = reply.body as { SequenceNumber: string; ShardId: string };
    expect(await readRecord(ShardId, SequenceNumber)).toStrictEqual({
      partitionKey: 'partition-1',
      data: '{"ind":7528,"country":"Albania"}',
    });
  });

  it('puts many records and answers one result per record, in the request order', async () => {
    // Prepare
    const event = loadEvent('apigw', 'put-records');

    // Act
    const reply = await invoke(event);

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 200,
      headers: JSON_HEADERS,
      body: {
        FailedRecordCount: 0,
        Records: [
          { SequenceNumber: SEQUENCE, ShardId: 'shardId-000000000001' },
          { SequenceNumber: SEQUENCE, ShardId: 'shardId-000000000001' },
          { SequenceNumber: SEQUENCE, ShardId: 'shardId-000000000000' },
        ],
      },
    });
  });

  it("lists the pipeline's three streams", async () => {
    // Act
    const reply = await invoke(loadEvent('apigw', 'list-streams'));

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 200,
      headers: JSON_HEADERS,
      body: {
        StreamNames: ['streaming-pinlake-pin', 'streaming-pinlake-geo', 'streaming-pinlake-user'],
        HasMoreStreams: false,
      },
    });
  });

  it('describes a stream with its status, ARN and open shard count', async () => {
    // Act
    const reply = await invoke(loadEvent('apigw', 'describe-stream'));

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 200,
      headers: JSON_HEADERS,
      body: {
        StreamDescriptionSummary: {
          StreamName: 'streaming-pinlake-user',
          StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/streaming-pinlake-user',
          StreamStatus: 'ACTIVE',
          RetentionPeriodHours: 24,
          StreamCreationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          OpenShardCount: 2,
          EncryptionType: 'NONE',
        },
      },
    });
  });

  it.each([
    [
      'invalid-bad-json',
      400,
      {
        message: expect.stringMatching(/^request body is not valid JSON: /),
      },
    ],
    [
      'invalid-unknown-stream',
      404,
      {
        message:
          'stream "streaming-0a1b2c3d4e5f-pin" is not one of this pipeline\'s streams ' +
          '(streaming-pinlake-pin, streaming-pinlake-geo, streaming-pinlake-user)',
      },
    ],
    ['invalid-missing-partition-key', 400, { message: 'invalid request body: PartitionKey is required' }],
    ['invalid-missing-api-key', 403, { message: 'Forbidden' }],
    ['invalid-too-many-records', 400, { message: 'records holds 501 records; at most 500 are accepted' }],
  ])('answers the %s fixture with %i and a clear message', async (variant, statusCode, body) => {
    // Act
    const reply = await invoke(loadEvent('apigw', variant));

    // Assess
    expect(reply).toStrictEqual({ statusCode, headers: JSON_HEADERS, body });
  });

  it('refuses a wrong API key with 403 Forbidden, as API Gateway does', async () => {
    // Prepare
    const event = loadEvent('apigw', 'put-record');
    event.headers['x-api-key'] = 'not-the-key';

    // Act
    const reply = await invoke(event);

    // Assess
    expect(reply).toStrictEqual({ statusCode: 403, headers: JSON_HEADERS, body: { message: 'Forbidden' } });
  });

  it('answers 500 with a fixed message and logs the real error with the request id when Kinesis is unreachable', async () => {
    // Prepare: a client aimed at a port nothing listens on.
    const logger = new CapturingLogger();
    const config = loadConfig({ KINESIS_ENDPOINT: 'http://127.0.0.1:9' });
    const deadKinesis = createKinesisClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    const deadHandler = createStreamApiHandler({ config, kinesis: deadKinesis, logger });
    const event = loadEvent('apigw', 'put-record');

    // Act
    const result = await deadHandler(event, createLambdaContext({ functionName: 'ingest-stream' }));
    deadKinesis.destroy();

    // Assess
    expect({ ...result, body: JSON.parse(result.body) }).toStrictEqual({
      statusCode: 500,
      headers: JSON_HEADERS,
      body: { message: 'Internal server error', requestId: 'c6af9ac6-7b61-41e6-9a41-93e8d1a7e001' },
    });
    expect(logger.errors).toStrictEqual([
      [
        'unexpected error while handling the request',
        { requestId: 'c6af9ac6-7b61-41e6-9a41-93e8d1a7e001', error: expect.any(Error) },
      ],
    ]);
    expect(result.body).not.toContain('ECONNREFUSED');
  });
});
