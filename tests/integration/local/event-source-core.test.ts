import { setChaos } from '../../../libs/chaos';
import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { FileStore } from '../../../libs/storage';
import { KafkaBroker } from '../../../local/kafka';
import { type MskPoller, type MskPollerOptions, startMskPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';
import { mskRecorder } from './msk-recorder';

// Lambda's event-source semantics, implemented once in the core (local/pollers/source-worker.ts), each
// tested once here through a real source: the MSK adapter reading the embedded broker over the Kafka
// protocol (offsets make every expectation exact). What the Kinesis and MSK adapters do differently is
// tested in kinesis-poller.test.ts and tests/integration/batch/msk-poller.test.ts.
let broker: KafkaBroker;
let producer: KafkaProducer;
let lake: { path: string; cleanup: () => Promise<void> };
let poller: MskPoller | undefined;
let topics = 0;

beforeAll(async () => {
  broker = await KafkaBroker.start({ autoCreateTopics: false, log: () => {} });
  producer = createKafkaProducer({
    clientId: 'core-it',
    connection: { kind: 'plain', brokers: [broker.bootstrap] },
  });
  lake = await makeTempDir('event-source-core');
});
afterAll(async () => {
  await producer.close();
  await broker.close();
  await lake.cleanup();
});
afterEach(async () => {
  setChaos(undefined);
  await poller?.stop();
  poller = undefined;
});

/** A new one-partition topic; `produce(n)` appends records `{"index": i}` numbered on from the last. */
function freshTopic() {
  topics += 1;
  const topic = `core${topics}.pin`;
  broker.createTopic(topic, 1);
  let next = 0;
  const produce = async (count: number) => {
    const records = Array.from({ length: count }, () => ({ value: JSON.stringify({ index: next++ }) }));
    await producer.produce(
      topic,
      records.map((r) => ({ ...r, partition: 0 })),
    );
  };
  return { topic, produce };
}

async function start(
  topic: string,
  handler: MskPollerOptions['handler'],
  options: Partial<MskPollerOptions> = {},
) {
  poller = await startMskPoller({
    bootstrapServers: broker.bootstrap,
    topic,
    functionName: 'land-topics',
    handler,
    onFailure: new FileStore(lake.path),
    batchingWindowMs: 0,
    pollIntervalMs: 10,
    ...options,
  });
  return poller;
}

async function onFailureRecords(topic: string) {
  const store = new FileStore(lake.path);
  const objects = await store.list('quarantine/onfailure/land-topics/');
  const ours = objects.filter((o) => o.key.includes(`/${topic}-`));
  return Promise.all(
    ours.map(async (o) => JSON.parse(Buffer.from((await store.get(o.key))!).toString('utf8'))),
  );
}

describe('the event-source core', () => {
  it('hands every record to the handler exactly once, in order, in batches of at most the batch size', async () => {
    // Prepare
    const { topic, produce } = freshTopic();
    await produce(7);
    const recorder = mskRecorder();

    // Act
    await (await start(topic, recorder.handler, { batchSize: 3 })).drain();

    // Assess
    expect(recorder.batches()).toStrictEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('waits up to the batching window to fill a batch, but invokes a full batch at once', async () => {
    // Prepare
    const { topic, produce } = freshTopic();
    await produce(3);
    const recorder = mskRecorder();

    // Act
    const running = await start(topic, recorder.handler, { batchSize: 5, batchingWindowMs: 800 });
    const started = Date.now();
    await produce(4);
    await running.drain();

    // Assess: the first five made a full batch; the other two waited for the window.
    expect(recorder.batches()).toStrictEqual([
      [0, 1, 2, 3, 4],
      [5, 6],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(790);
  });

  it('hands records produced after a drain to the handler at the next drain', async () => {
    // Prepare
    const { topic, produce } = freshTopic();
    const recorder = mskRecorder();
    const running = await start(topic, recorder.handler);
    await running.drain();

    // Act
    await produce(2);
    await running.drain();

    // Assess
    expect(recorder.batches()).toStrictEqual([[0, 1]]);
  });

  it('fails an invocation that runs past the function timeout, as Lambda does', async () => {
    // Prepare
    const { topic, produce } = freshTopic();
    await produce(1);
    const notes: unknown[] = [];

    // Act
    const running = await start(topic, () => new Promise(() => {}), {
      maximumRetryAttempts: 0,
      timeoutMs: 50,
      log: (message, details) => void notes.push([message, details.reason]),
    });
    await running.drain();

    // Assess
    expect(notes).toStrictEqual([
      [
        'retries exhausted; batch sent to the on-failure destination',
        'TaskTimedOutError: Task timed out after 0.05 seconds',
      ],
    ]);
  });

  it('bisects a failing batch, retries the failing record, gives it up to on-failure with its event and goes on', async () => {
    // Prepare
    const { topic, produce } = freshTopic();
    await produce(8);
    const recorder = mskRecorder((indexes) => indexes.includes(5));

    // Act
    const running = await start(topic, recorder.handler, { batchSize: 8, maximumRetryAttempts: 2 });
    await running.drain();

    // Assess
    expect(recorder.batches()).toStrictEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [4, 5],
      [4],
      [5],
      [5],
      [5],
      [6, 7],
    ]);
    expect(recorder.handled).toStrictEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(running.committedOffsets()).toStrictEqual([8]);
    const [stored] = broker.read(topic, 0, 5, 1);
    expect(await onFailureRecords(topic)).toStrictEqual([
      {
        requestContext: {
          requestId: expect.any(String),
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:land-topics',
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 3,
        },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: expect.any(String),
        reason: 'Error: refusing 5',
        KafkaBatchInfo: {
          batchSize: 1,
          eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/pinlake-local/local',
          bootstrapServers: broker.bootstrap,
          topic,
          partition: 0,
          firstRecordOffset: 5,
          lastRecordOffset: 5,
          firstRecordTimestamp: stored!.timestamp,
          lastRecordTimestamp: stored!.timestamp,
        },
        payload: {
          eventSource: 'aws:kafka',
          eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/pinlake-local/local',
          bootstrapServers: broker.bootstrap,
          records: {
            [`${topic}-0`]: [
              {
                topic,
                partition: 0,
                offset: 5,
                timestamp: stored!.timestamp,
                timestampType: 'CREATE_TIME',
                value: stored!.value!.toString('base64'),
                headers: [],
              },
            ],
          },
        },
      },
    ]);
  });

  it('gives records older than the maximum record age up to on-failure without invoking, and delivers the rest', async () => {
    // Prepare: three records made older than the maximum age (time has to pass for that), then two new ones.
    const { topic, produce } = freshTopic();
    await produce(3);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await produce(2);
    const recorder = mskRecorder();

    // Act
    const running = await start(topic, recorder.handler, { maximumRecordAgeSeconds: 1.5 });
    await running.drain();

    // Assess
    expect(recorder.batches()).toStrictEqual([[3, 4]]);
    const [record] = await onFailureRecords(topic);
    expect([record.requestContext.condition, record.requestContext.approximateInvokeCount]).toStrictEqual([
      'RecordAgeExceeded',
      0,
    ]);
    expect(record.KafkaBatchInfo.firstRecordOffset).toBe(0);
    expect(record.KafkaBatchInfo.lastRecordOffset).toBe(2);
    expect(running.committedOffsets()).toStrictEqual([5]);
  });

  it('delivers a batch again from its checkpoint when the poller crashes between the invocation and the checkpoint', async () => {
    // Prepare: the first crash draw fails, every later one passes.
    const { topic, produce } = freshTopic();
    await produce(6);
    const recorder = mskRecorder();
    let draws = 0;
    setChaos(0.5, () => (draws++ === 0 ? 0 : 1));

    // Act
    const running = await start(topic, recorder.handler, { batchSize: 3 });
    await running.drain();

    // Assess
    expect(recorder.batches()).toStrictEqual([
      [0, 1, 2],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(running.committedOffsets()).toStrictEqual([6]);
  });

  it('stops cleanly: no invocation happens after stop resolves', async () => {
    // Prepare
    const { topic, produce } = freshTopic();
    const recorder = mskRecorder();
    const running = await start(topic, recorder.handler);
    await running.drain();

    // Act
    await running.stop();
    await produce(1);
    // Proving an absence needs a pause: five poll intervals in which a live poller would have invoked.
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect(recorder.events).toStrictEqual([]);
  });
});
