import type { MSKEvent } from 'aws-lambda';
import { setChaos } from '../../../libs/chaos';
import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { FileStore } from '../../../libs/storage';
import { KafkaBroker } from '../../../local/kafka';
import { PollerError } from '../../../local/pollers';
import { type MskPoller, startMskPoller } from '../../../local/pollers/msk-poller';
import { makeTempDir } from '../../helpers/temp-dir';

// The local MSK event source over the embedded broker: Lambda's batching, offsets, retries, bisect,
// on-failure records and crash redelivery, with a recording handler standing in for land-topics.
let broker: KafkaBroker;
let producer: KafkaProducer;
let lake: { path: string; cleanup: () => Promise<void> };
let poller: MskPoller | undefined;
let topics = 0;

beforeAll(async () => {
  broker = await KafkaBroker.start({ autoCreateTopics: false, log: () => {} });
  producer = createKafkaProducer({
    clientId: 'msk-poller-it',
    connection: { kind: 'plain', brokers: [broker.bootstrap] },
  });
  lake = await makeTempDir('msk-poller');
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

/** A new topic with `partitions` partitions holding `count` records `{"index": i}` keyed `k<i>`. */
async function topicWith(partitions: number, count: number): Promise<string> {
  topics += 1;
  const topic = `poller${topics}.pin`;
  broker.createTopic(topic, partitions);
  const records = Array.from({ length: count }, (_, i) => ({
    key: `k${i}`,
    value: JSON.stringify({ index: i }),
  }));
  if (count > 0) await producer.produce(topic, records);
  return topic;
}

/** A handler recording every event, failing as `fail` says. */
function recorder(fail: (indexes: number[]) => boolean = () => false) {
  const events: MSKEvent[] = [];
  const handled: number[] = [];
  const handler = async (event: MSKEvent) => {
    events.push(event);
    const indexes = Object.values(event.records)
      .flat()
      .map((r) => (JSON.parse(Buffer.from(r.value, 'base64').toString()) as { index: number }).index);
    if (fail(indexes)) throw new Error(`refusing ${indexes.join(',')}`);
    handled.push(...indexes);
  };
  return { events, handled, handler };
}

const endOffsets = (topic: string) =>
  Array.from({ length: broker.partitionCount(topic)! }, (_, p) => broker.endOffset(topic, p));

describe('The local MSK event source', () => {
  it('delivers each partition in offset order, in batches of at most the batch size, as AWS shapes MSK events', async () => {
    // Prepare
    const topic = await topicWith(2, 25);
    const { events, handled, handler } = recorder();

    // Act
    poller = startMskPoller({
      broker,
      topic,
      functionName: 'land-topics',
      handler,
      batchSize: 4,
      batchingWindowMs: 0,
    });
    await poller.drain();

    // Assess
    expect(handled.sort((a, b) => a - b)).toStrictEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(events.every((e) => Object.keys(e.records).length === 1)).toBe(true);
    expect(events.every((e) => Object.values(e.records)[0]!.length <= 4)).toBe(true);
    for (const partition of [0, 1]) {
      const delivered = events.flatMap((e) => e.records[`${topic}-${partition}`] ?? []).map((r) => r.offset);
      expect(delivered).toStrictEqual(
        Array.from({ length: broker.endOffset(topic, partition) }, (_, i) => i),
      );
    }
    const first = events.find((e) => e.records[`${topic}-0`]?.[0]?.offset === 0)!;
    const stored = broker.read(topic, 0, 0, 4);
    expect(first).toStrictEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/pinlake-local/local',
      bootstrapServers: broker.bootstrap,
      records: {
        [`${topic}-0`]: stored.map((r) => ({
          topic,
          partition: 0,
          offset: r.offset,
          timestamp: r.timestamp,
          timestampType: 'CREATE_TIME',
          key: r.key!.toString('base64'),
          value: r.value!.toString('base64'),
          headers: [],
        })),
      },
    });
    expect(poller.committedOffsets()).toStrictEqual(endOffsets(topic));
  });

  it('bisects a failing batch, retries it, sends the record that always fails to on-failure and goes on', async () => {
    // Prepare
    const topic = await topicWith(1, 10);
    const { handled, handler } = recorder((indexes) => indexes.includes(6));
    const store = new FileStore(lake.path);

    // Act
    poller = startMskPoller({
      broker,
      topic,
      functionName: 'land-topics',
      handler,
      onFailure: store,
      batchSize: 10,
      batchingWindowMs: 0,
      maximumRetryAttempts: 2,
    });
    await poller.drain();

    // Assess
    expect(handled.sort((a, b) => a - b)).toStrictEqual([0, 1, 2, 3, 4, 5, 7, 8, 9]);
    expect(poller.committedOffsets()).toStrictEqual([10]);
    const [object] = await store.list(`quarantine/onfailure/land-topics/`);
    expect(object!.key).toMatch(new RegExp(`/${topic.replace('.', '\\.')}-0-6-6\\.json$`));
    const record = JSON.parse(Buffer.from((await store.get(object!.key))!).toString('utf8'));
    expect(record.requestContext.approximateInvokeCount).toBe(3);
    expect(record.KafkaBatchInfo).toStrictEqual({
      batchSize: 1,
      eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/pinlake-local/local',
      bootstrapServers: broker.bootstrap,
      topic,
      partition: 0,
      firstRecordOffset: 6,
      lastRecordOffset: 6,
      firstRecordTimestamp: broker.read(topic, 0, 6, 1)[0]!.timestamp,
      lastRecordTimestamp: broker.read(topic, 0, 6, 1)[0]!.timestamp,
    });
    expect(record.payload.records[`${topic}-0`].map((r: { offset: number }) => r.offset)).toStrictEqual([6]);
  });

  it('delivers a batch again from the committed offset when it crashes between the invocation and the commit', async () => {
    // Prepare
    const topic = await topicWith(1, 6);
    const { events, handled, handler } = recorder();
    let draws = 0;
    setChaos(0.5, () => (draws++ === 0 ? 0 : 1));

    // Act
    poller = startMskPoller({
      broker,
      topic,
      functionName: 'land-topics',
      handler,
      batchSize: 3,
      batchingWindowMs: 0,
    });
    await poller.drain();

    // Assess
    const offsets = events.map((e) => Object.values(e.records)[0]!.map((r) => r.offset));
    expect(offsets).toStrictEqual([
      [0, 1, 2],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(handled).toStrictEqual([0, 1, 2, 0, 1, 2, 3, 4, 5]);
    expect(poller.committedOffsets()).toStrictEqual([6]);
  });

  it('resumes a consumer group from its committed offset, and starts a new group at the end with LATEST', async () => {
    // Prepare
    const topic = await topicWith(1, 3);
    const first = recorder();
    poller = startMskPoller({
      broker,
      topic,
      functionName: 'land-topics',
      handler: first.handler,
      batchingWindowMs: 0,
    });
    await poller.drain();
    await poller.stop();
    await producer.produce(topic, [{ value: '{"index":3}' }, { value: '{"index":4}' }]);
    const resumed = recorder();
    const latest = recorder();

    // Act
    poller = startMskPoller({
      broker,
      topic,
      functionName: 'land-topics',
      handler: resumed.handler,
      batchingWindowMs: 0,
    });
    const other = startMskPoller({
      broker,
      topic,
      functionName: 'other',
      handler: latest.handler,
      startingPosition: 'LATEST',
      batchingWindowMs: 0,
    });
    await Promise.all([poller.drain(), other.drain()]);
    await other.stop();

    // Assess
    expect([first.handled, resumed.handled, latest.handled]).toStrictEqual([[0, 1, 2], [3, 4], []]);
  });

  it('waits for a batching window to fill before invoking, unless the batch is full', async () => {
    // Prepare
    const topic = await topicWith(1, 3);
    const { events, handler } = recorder();

    // Act
    poller = startMskPoller({
      broker,
      topic,
      functionName: 'land-topics',
      handler,
      batchSize: 2,
      batchingWindowMs: 300,
    });
    const started = Date.now();
    await poller.drain();

    // Assess
    expect(events.map((e) => Object.values(e.records)[0]!.length)).toStrictEqual([2, 1]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses a topic the broker does not have', () => {
    // Act
    const start = () =>
      startMskPoller({ broker, topic: 'missing.pin', functionName: 'land-topics', handler: async () => {} });

    // Assess
    expect(start).toThrow(new PollerError('topic missing.pin does not exist on the embedded broker'));
  });
});
