import { type KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { setChaos } from '../../../libs/chaos';
import { FileStore } from '../../../libs/storage';
import { createStreams, type LocalKinesis, startKinesis } from '../../../local/kinesis';
import { type KinesisPoller, type KinesisPollerOptions, startKinesisPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';
import { type Behaviour, recordingHandler } from './recording-handler';

// What the Kinesis adapter adds to the event-source core (whose behaviours are tested once, in
// event-source-core.test.ts): shard iterators reopened at sequence numbers, checkpoints, partial
// batch answers and the Kinesis on-failure record. The poller runs against kinesalite; each test gets
// fresh streams so shards hold exactly the records the test put. One partition key, one shard.
let kinesis: LocalKinesis;
let pipeline = 0;

beforeAll(async () => {
  kinesis = await startKinesis();
});
afterAll(() => kinesis.close());

async function freshStream(): Promise<string> {
  pipeline += 1;
  const stream = `streaming-poller${pipeline}-geo`;
  await createStreams(kinesis.client, [stream], { shardCount: 2 });
  return stream;
}

async function putAll(client: KinesisClient, stream: string, datas: readonly string[], key = 'one-shard') {
  const sequences: string[] = [];
  for (const data of datas) {
    const out = await client.send(
      new PutRecordCommand({ StreamName: stream, Data: Buffer.from(data), PartitionKey: key }),
    );
    sequences.push(out.SequenceNumber!);
  }
  return sequences;
}

const records = (n: number) => Array.from({ length: n }, (_, i) => `r${i + 1}`);

describe('the Kinesis adapter of the event-source core', () => {
  let poller: KinesisPoller | undefined;
  let lake: { path: string; cleanup: () => Promise<void> };

  beforeEach(async () => {
    lake = await makeTempDir('poller-lake');
  });
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
    setChaos(undefined);
    await lake.cleanup();
  });

  const start = (stream: string, behaviour?: Behaviour, options: Partial<KinesisPollerOptions> = {}) => {
    const recorder = recordingHandler(behaviour);
    const started = startKinesisPoller({
      client: kinesis.client,
      streamName: stream,
      functionName: 'stream-to-delta',
      handler: recorder.handler,
      onFailure: new FileStore(lake.path),
      pollIntervalMs: 10,
      ...options,
    }).then((p) => {
      poller = p;
      return p;
    });
    return { recorder, started };
  };

  it('retries from the lowest reported batch item failure and checkpoints past the batch once it succeeds', async () => {
    // Prepare
    const stream = await freshStream();
    const sequences = await putAll(kinesis.client, stream, records(6));
    const failOnce: Behaviour = (batch, call) =>
      call === 1
        ? {
            batchItemFailures: [
              { itemIdentifier: batch[4]!.sequenceNumber },
              { itemIdentifier: batch[2]!.sequenceNumber },
            ],
          }
        : undefined;

    // Act
    const { recorder, started } = start(stream, failOnce);
    const running = await started;
    await running.drain();

    // Assess
    expect(recorder.invocations).toStrictEqual([
      ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
      ['r3', 'r4', 'r5', 'r6'],
    ]);
    expect(recorder.handled).toStrictEqual(records(6));
    expect(Object.values(running.checkpoints())).toContain(sequences[5]);
  });

  it('gives up on the records from the lowest reported failure after the retries, with their shard and sequence range on-failure', async () => {
    // Prepare: r6 is always reported failed.
    const stream = await freshStream();
    const sequences = await putAll(kinesis.client, stream, records(8));
    const failR6: Behaviour = (batch) => {
      const r6 = batch.find((r) => r.data === 'r6');
      return r6 ? { batchItemFailures: [{ itemIdentifier: r6.sequenceNumber }] } : undefined;
    };

    // Act
    const { recorder, started } = start(stream, failR6, { maximumRetryAttempts: 2 });
    const running = await started;
    await running.drain();

    // Assess
    expect(recorder.invocations).toStrictEqual([
      ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'],
      ['r6', 'r7', 'r8'],
      ['r6', 'r7', 'r8'],
    ]);
    expect(Object.values(running.checkpoints())).toContain(sequences[7]);
    const store = new FileStore(lake.path);
    const written = await store.list('quarantine/onfailure/stream-to-delta/');
    expect(written.map((o) => o.key)).toStrictEqual([
      expect.stringMatching(
        new RegExp(
          `^quarantine/onfailure/stream-to-delta/\\d{4}-\\d\\d-\\d\\d/shardId-00000000000\\d-${sequences[5]}-${sequences[7]}\\.json$`,
        ),
      ),
    ]);
    const onFailure = JSON.parse(Buffer.from((await store.get(written[0]!.key))!).toString('utf8'));
    const shardId = onFailure.KinesisBatchInfo.shardId;
    const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`;
    expect(onFailure).toStrictEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:stream-to-delta',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.any(String),
      reason: `partial batch failure at ${sequences[5]}`,
      KinesisBatchInfo: {
        shardId: expect.stringMatching(/^shardId-00000000000\d$/),
        startSequenceNumber: sequences[5],
        endSequenceNumber: sequences[7],
        approximateArrivalOfFirstRecord: expect.any(String),
        approximateArrivalOfLastRecord: expect.any(String),
        batchSize: 3,
        streamArn,
      },
      payload: {
        Records: [5, 6, 7].map((i) => ({
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'one-shard',
            sequenceNumber: sequences[i],
            data: Buffer.from(`r${i + 1}`).toString('base64'),
            approximateArrivalTimestamp: expect.any(Number),
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shardId}:${sequences[i]}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/stream-to-delta-role',
          awsRegion: 'us-east-1',
          eventSourceARN: streamArn,
        })),
      },
    });
  });

  it('treats an unknown item identifier as a failure of the whole batch', async () => {
    // Prepare
    const stream = await freshStream();
    await putAll(kinesis.client, stream, records(2));
    const badAnswer: Behaviour = (_batch, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : undefined;

    // Act
    const { recorder, started } = start(stream, badAnswer, { bisectBatchOnFunctionError: false });
    await (await started).drain();

    // Assess
    expect(recorder.invocations).toStrictEqual([
      ['r1', 'r2'],
      ['r1', 'r2'],
    ]);
  });

  it('re-reads the shard at the first unhandled sequence number after a crash, before and after its first checkpoint', async () => {
    // Prepare
    const stream = await freshStream();
    await putAll(kinesis.client, stream, records(12));
    let seed = 7;
    setChaos(0.4, () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    });

    // Act
    const { recorder, started } = start(stream, undefined, { batchSize: 4 });
    await (await started).drain();

    // Assess
    expect([...new Set(recorder.handled)]).toStrictEqual(records(12));
    expect(recorder.invocations.length).toBeGreaterThan(3);
    const all = records(12);
    for (const invocation of recorder.invocations) {
      const from = all.indexOf(invocation[0]!);
      expect(invocation).toStrictEqual(all.slice(from, from + invocation.length));
    }
  });
});
