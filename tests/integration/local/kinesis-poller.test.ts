import { type KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { setChaos } from '../../../libs/chaos';
import { FileStore } from '../../../libs/storage';
import { createStreams, type LocalKinesis, startKinesis } from '../../../local/kinesis';
import { type KinesisPoller, type KinesisPollerOptions, startKinesisPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';
import { type Behaviour, recordingHandler } from './recording-handler';

// The poller runs against kinesalite; each test gets fresh streams (its own pipeline id) so shards
// hold exactly the records the test put. One partition key puts every record on one shard.
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

describe('Function: startKinesisPoller()', () => {
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

  it('hands every record to the handler exactly once, in order, in batches of the batch size', async () => {
    // Prepare
    const stream = await freshStream();
    await putAll(kinesis.client, stream, records(7));

    // Act
    const { recorder, started } = start(stream, undefined, { batchSize: 3 });
    await (await started).drain();

    // Assess
    expect(recorder.invocations).toStrictEqual([['r1', 'r2', 'r3'], ['r4', 'r5', 'r6'], ['r7']]);
  });

  it('waits up to the batching window to fill a batch', async () => {
    // Prepare
    const stream = await freshStream();
    await putAll(kinesis.client, stream, ['w1']);

    // Act
    const { recorder, started } = start(stream, undefined, { batchingWindowMs: 800 });
    const running = await started;
    await putAll(kinesis.client, stream, ['w2', 'w3']);
    await running.drain();

    // Assess
    expect(recorder.invocations).toStrictEqual([['w1', 'w2', 'w3']]);
  });

  it('fails an invocation that runs past the function timeout, as Lambda does', async () => {
    // Prepare
    const stream = await freshStream();
    await putAll(kinesis.client, stream, ['slow']);
    const reasons: unknown[] = [];
    const never = () => new Promise<undefined>(() => {});

    // Act
    const running = await startKinesisPoller({
      client: kinesis.client,
      streamName: stream,
      functionName: 'stream-to-delta',
      handler: never,
      onFailure: new FileStore(lake.path),
      maximumRetryAttempts: 0,
      timeoutMs: 50,
      pollIntervalMs: 10,
      log: (message, details) => void reasons.push([message, details.reason]),
    });
    poller = running;
    await running.drain();

    // Assess
    expect(reasons).toStrictEqual([
      [
        'retries exhausted; batch sent to the on-failure destination',
        'TaskTimedOutError: Task timed out after 0.05 seconds',
      ],
    ]);
  });

  it('hands records put after a drain to the handler at the next drain', async () => {
    // Prepare
    const stream = await freshStream();
    const { recorder, started } = start(stream);
    const running = await started;
    await running.drain();

    // Act
    await putAll(kinesis.client, stream, ['late-1'], 'a');
    await putAll(kinesis.client, stream, ['late-2'], 'b');
    await running.drain();

    // Assess
    expect(recorder.invocations.flat().sort()).toStrictEqual(['late-1', 'late-2']);
  });

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

  it('bisects a batch that throws, then gives up on the poison record after the retries and writes it on-failure', async () => {
    // Prepare
    const stream = await freshStream();
    const sequences = await putAll(kinesis.client, stream, records(8));
    const poison: Behaviour = (batch) => {
      if (batch.some((r) => r.data === 'r6')) throw new Error('cannot handle r6');
      return undefined;
    };

    // Act
    const { recorder, started } = start(stream, poison, { maximumRetryAttempts: 2 });
    await (await started).drain();

    // Assess
    expect(recorder.invocations).toStrictEqual([
      ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'],
      ['r1', 'r2', 'r3', 'r4'],
      ['r5', 'r6', 'r7', 'r8'],
      ['r5', 'r6'],
      ['r5'],
      ['r6'],
      ['r6'],
      ['r6'],
      ['r7', 'r8'],
    ]);
    const store = new FileStore(lake.path);
    const written = await store.list('quarantine/onfailure/stream-to-delta/');
    expect(written.map((o) => o.key)).toStrictEqual([
      expect.stringMatching(
        new RegExp(
          `^quarantine/onfailure/stream-to-delta/\\d{4}-\\d\\d-\\d\\d/shardId-00000000000\\d-${sequences[5]}-${sequences[5]}\\.json$`,
        ),
      ),
    ]);
    const onFailure = JSON.parse(Buffer.from((await store.get(written[0]!.key))!).toString('utf8'));
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
      reason: 'Error: cannot handle r6',
      KinesisBatchInfo: {
        shardId: expect.stringMatching(/^shardId-00000000000\d$/),
        startSequenceNumber: sequences[5],
        endSequenceNumber: sequences[5],
        approximateArrivalOfFirstRecord: expect.any(String),
        approximateArrivalOfLastRecord: expect.any(String),
        batchSize: 1,
        streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
      },
      payload: {
        Records: [
          {
            kinesis: {
              kinesisSchemaVersion: '1.0',
              partitionKey: 'one-shard',
              sequenceNumber: sequences[5],
              data: Buffer.from('r6').toString('base64'),
              approximateArrivalTimestamp: expect.any(Number),
            },
            eventSource: 'aws:kinesis',
            eventVersion: '1.0',
            eventID: `${onFailure.KinesisBatchInfo.shardId}:${sequences[5]}`,
            eventName: 'aws:kinesis:record',
            invokeIdentityArn: 'arn:aws:iam::000000000000:role/stream-to-delta-role',
            awsRegion: 'us-east-1',
            eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
          },
        ],
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

  it('re-delivers from the checkpoint when the poller crashes between invoke and checkpoint, losing nothing', async () => {
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

  it('stops cleanly: no invocation happens after stop resolves', async () => {
    // Prepare
    const stream = await freshStream();
    const { recorder, started } = start(stream);
    const running = await started;
    await running.drain();

    // Act
    await running.stop();
    await putAll(kinesis.client, stream, ['after-stop']);
    // Proving an absence needs a pause: five poll intervals in which a live poller would have invoked.
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect(recorder.invocations).toStrictEqual([]);
  });
});
