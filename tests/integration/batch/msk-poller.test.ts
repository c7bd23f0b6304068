import type { MSKEvent } from 'aws-lambda';
import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { type KafkaAuthorizer, KafkaBroker } from '../../../local/kafka';
import { type MskPoller, PollerError, startMskPoller } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';

// What the MSK adapter adds to the event-source core (whose behaviours are tested once, in
// tests/integration/local/event-source-core.test.ts): MSK events, reading the broker over the Kafka
// protocol as a consumer of the mapping's group (committed offsets, starting positions, restarts) and
// as the function's role, with a recording handler standing in for land-topics.
let broker: KafkaBroker;
let producer: KafkaProducer;
let poller: MskPoller | undefined;
let topics = 0;

beforeAll(async () => {
  broker = await KafkaBroker.start({ autoCreateTopics: false, log: () => {} });
  producer = createKafkaProducer({
    clientId: 'msk-poller-it',
    connection: { kind: 'plain', brokers: [broker.bootstrap] },
  });
});
afterAll(async () => {
  await producer.close();
  await broker.close();
});
afterEach(async () => {
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

describe('the MSK adapter of the event-source core', () => {
  it('delivers each partition in offset order, in batches of at most the batch size, as AWS shapes MSK events', async () => {
    // Prepare
    const topic = await topicWith(2, 25);
    const { events, handled, handler } = recorder();

    // Act
    poller = await startMskPoller({
      bootstrapServers: broker.bootstrap,
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

  it('resumes a consumer group from its committed offset, and starts a new group at the end with LATEST', async () => {
    // Prepare
    const topic = await topicWith(1, 3);
    const first = recorder();
    poller = await startMskPoller({
      bootstrapServers: broker.bootstrap,
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
    poller = await startMskPoller({
      bootstrapServers: broker.bootstrap,
      topic,
      functionName: 'land-topics',
      handler: resumed.handler,
      batchingWindowMs: 0,
    });
    const other = await startMskPoller({
      bootstrapServers: broker.bootstrap,
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

  it("keeps the group's committed offsets across a restart of the broker", async () => {
    // Prepare: a broker of its own on a data directory, and a group that handled three records.
    const dir = await makeTempDir('msk-poller-restart');
    const topic = 'restart.pin';
    let own = await KafkaBroker.start({
      dataDir: dir.path,
      topics: [{ name: topic, partitions: 1 }],
      log: () => {},
    });
    const produce = async (values: number[]) => {
      const client = createKafkaProducer({
        clientId: 'restart',
        connection: { kind: 'plain', brokers: [own.bootstrap] },
      });
      await client.produce(
        topic,
        values.map((index) => ({ value: JSON.stringify({ index }) })),
      );
      await client.close();
    };
    const options = { topic, functionName: 'land-topics', batchingWindowMs: 0, pollIntervalMs: 10 };
    await produce([0, 1, 2]);
    const before = recorder();
    const first = await startMskPoller({
      ...options,
      bootstrapServers: own.bootstrap,
      handler: before.handler,
    });
    await first.drain();
    await first.stop();
    await own.close();

    // Act
    own = await KafkaBroker.start({
      dataDir: dir.path,
      topics: [{ name: topic, partitions: 1 }],
      log: () => {},
    });
    try {
      await produce([3, 4]);
      const after = recorder();
      const second = await startMskPoller({
        ...options,
        bootstrapServers: own.bootstrap,
        handler: after.handler,
      });
      await second.drain();
      await second.stop();

      // Assess
      expect([before.handled, after.handled]).toStrictEqual([
        [0, 1, 2],
        [3, 4],
      ]);
      expect(own.committedOffsets()).toStrictEqual([['land-topics-restart.pin', topic, 0, 5]]);
    } finally {
      await own.close();
      await dir.cleanup();
    }
  });

  it("reads as the function's role: the broker authorizes each request, and refuses a group the role may not alter", async () => {
    // Prepare: MSK-style access control whose principal is the token itself; `denied` lists refused actions.
    const asked = new Set<string>();
    let denied = new Set<string>();
    const authorizer: KafkaAuthorizer = {
      authenticate: (token) => token,
      authorize: async (principal, action, resource) => {
        asked.add(`${principal} ${action} ${resource.kind}${'name' in resource ? `:${resource.name}` : ''}`);
        return !denied.has(action);
      },
    };
    const secured = await KafkaBroker.start({
      topics: [{ name: 'iam.pin', partitions: 1 }],
      authorizer,
      log: () => {},
    });
    const options = {
      bootstrapServers: secured.bootstrap,
      token: async () => 'land-topics',
      topic: 'iam.pin',
      groupId: 'pinlake-land-topics-pin',
      functionName: 'land-topics',
      batchingWindowMs: 0,
      pollIntervalMs: 10,
    };
    try {
      const allowed = await startMskPoller({ ...options, handler: recorder().handler });
      await allowed.drain();
      await allowed.stop();

      // Act
      denied = new Set(['AlterGroup']);
      const refused = startMskPoller({ ...options, groupId: 'another-group', handler: recorder().handler });

      // Assess
      await expect(refused).rejects.toThrow(
        'OffsetCommit for group another-group of iam.pin-0 failed: GROUP_AUTHORIZATION_FAILED',
      );
      expect([...asked].sort()).toStrictEqual([
        'land-topics AlterGroup group:another-group',
        'land-topics AlterGroup group:pinlake-land-topics-pin',
        'land-topics Connect cluster',
        'land-topics DescribeGroup group:another-group',
        'land-topics DescribeGroup group:pinlake-land-topics-pin',
        'land-topics DescribeTopic topic:iam.pin',
        'land-topics ReadData topic:iam.pin',
      ]);
    } finally {
      await secured.close();
    }
  });

  it('refuses a topic the cluster does not have', async () => {
    // Act
    const start = startMskPoller({
      bootstrapServers: broker.bootstrap,
      topic: 'missing.pin',
      functionName: 'land-topics',
      handler: async () => {},
    });

    // Assess
    const error = await start.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollerError);
    expect((error as PollerError).message).toBe('topic missing.pin does not exist on the cluster');
  });
});
