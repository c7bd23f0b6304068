import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { KafkaBroker, type StoredRecord } from '../../../local/kafka';
import { FaultyProxy } from './faulty-proxy';
import { kcat } from './kcat';

// Our producer against the embedded broker through a proxy that records each request and spoils
// chosen Produce requests, to check what a unit test cannot: the versions negotiated, the retries
// with unchanged sequence numbers (the broker must store a resent batch once), leader refresh after
// NOT_LEADER_OR_FOLLOWER, and the new producer id after a failed send.

const values = (records: StoredRecord[]) => records.map((r) => r.value?.toString());

describe('our producer on the wire, through a proxy that can lose answers or inject errors', () => {
  let broker: KafkaBroker;
  let proxy: FaultyProxy;
  let producer: KafkaProducer;
  let topic = '';
  let n = 0;

  beforeAll(async () => {
    broker = await KafkaBroker.start({ autoCreateTopics: false, log: () => undefined });
  });
  beforeEach(async () => {
    n += 1;
    topic = `proxy${n}.pin`;
    broker.createTopic(topic, 2);
    proxy = await FaultyProxy.start(Number(broker.bootstrap.split(':')[1]));
    producer = createKafkaProducer({
      clientId: 'proxy-test',
      connection: { kind: 'plain', brokers: [proxy.bootstrap] },
      retries: 2,
      retryDelayMs: 5,
    });
  });
  afterEach(async () => {
    await producer.close();
    await proxy.close();
  });
  afterAll(() => broker.close());

  it('negotiates the highest versions both sides speak: ApiVersions v3, Metadata v12, InitProducerId v5, Produce v11', async () => {
    // Act
    const results = await producer.produce(topic, [{ value: 'a', partition: 1 }]);

    // Assess
    expect(results).toStrictEqual([{ partition: 1, offset: 0 }]);
    expect(proxy.seen()).toStrictEqual([
      'ApiVersions v3',
      'Metadata v12',
      'InitProducerId v5',
      'Produce v11',
    ]);
  });

  it('sends one Produce per leader for all partitions, and keeps sequences right across calls, also concurrent ones', async () => {
    // Act
    const first = await producer.produce(topic, [
      { value: 'p0-a', partition: 0 },
      { value: 'p1-a', partition: 1 },
      { value: 'p0-b', partition: 0 },
    ]);
    const [second, third] = await Promise.all([
      producer.produce(topic, [{ value: 'p0-c', partition: 0 }]),
      producer.produce(topic, [
        { value: 'p0-d', partition: 0 },
        { value: 'p1-b', partition: 1 },
      ]),
    ]);

    // Assess
    expect([first, second, third]).toStrictEqual([
      [
        { partition: 0, offset: 0 },
        { partition: 1, offset: 0 },
        { partition: 0, offset: 1 },
      ],
      [{ partition: 0, offset: 2 }],
      [
        { partition: 0, offset: 3 },
        { partition: 1, offset: 1 },
      ],
    ]);
    expect([values(broker.read(topic, 0, 0, 10)), values(broker.read(topic, 1, 0, 10))]).toStrictEqual([
      ['p0-a', 'p0-b', 'p0-c', 'p0-d'],
      ['p1-a', 'p1-b'],
    ]);
    expect(proxy.seen().filter((r) => r.startsWith('Produce'))).toHaveLength(3);
  });

  it('resends a batch whose answer was lost with the same sequence, so the broker stores it once', async () => {
    // Prepare
    await producer.produce(topic, [{ value: 'before', partition: 0 }]);
    proxy.faults.push('lose-answer');

    // Act
    const results = await producer.produce(topic, [
      { value: 'x', partition: 0 },
      { value: 'y', partition: 0 },
    ]);

    // Assess
    expect(results).toStrictEqual([
      { partition: 0, offset: 1 },
      { partition: 0, offset: 2 },
    ]);
    expect(values(broker.read(topic, 0, 0, 10))).toStrictEqual(['before', 'x', 'y']);
    expect(proxy.seen().slice(4)).toStrictEqual([
      'Produce v11',
      'ApiVersions v3',
      'Metadata v12',
      'Produce v11',
    ]);
  });

  it('asks Metadata again after NOT_LEADER_OR_FOLLOWER and resends to the leader', async () => {
    // Prepare
    proxy.faults.push({ errorCode: 6 });

    // Act
    const results = await producer.produce(topic, [{ value: 'moved', partition: 1 }]);

    // Assess
    expect(results).toStrictEqual([{ partition: 1, offset: 0 }]);
    expect(values(broker.read(topic, 1, 0, 10))).toStrictEqual(['moved']);
    expect(proxy.seen()).toStrictEqual([
      'ApiVersions v3',
      'Metadata v12',
      'InitProducerId v5',
      'Produce v11',
      'Metadata v12',
      'Produce v11',
    ]);
  });

  it('fails a partition as retriable when retries run out, and starts a new producer id for the next send', async () => {
    // Prepare: REQUEST_TIMED_OUT (7) for the first try and both retries.
    proxy.faults.push({ errorCode: 7 }, { errorCode: 7 }, { errorCode: 7 });

    // Act
    const failed = await producer.produce(topic, [{ value: 'lost' }, { value: 'also lost' }]);
    const next = await producer.produce(topic, [{ value: 'kept', partition: 0 }]);

    // Assess
    const failure = {
      error: `${topic}-0: Produce to ${topic}-0 at ${proxy.bootstrap} failed: REQUEST_TIMED_OUT`,
      retriable: true,
    };
    expect(failed).toStrictEqual([failure, { ...failure, error: failure.error.replaceAll('-0', '-1') }]);
    expect(next).toStrictEqual([{ partition: 0, offset: 0 }]);
    expect(proxy.seen().filter((r) => r.startsWith('InitProducerId'))).toHaveLength(2);
  });

  it('does not retry a final error such as MESSAGE_TOO_LARGE, and reports it per record', async () => {
    // Prepare
    proxy.faults.push({ errorCode: 10 });

    // Act
    const results = await producer.produce(topic, [{ value: 'big', partition: 0 }]);

    // Assess
    expect(results).toStrictEqual([
      {
        error: `${topic}-0: Produce to ${topic}-0 at ${proxy.bootstrap} failed: MESSAGE_TOO_LARGE`,
        retriable: false,
      },
    ]);
    expect(proxy.seen().filter((r) => r.startsWith('Produce'))).toHaveLength(1);
    expect(broker.endOffset(topic, 0)).toBe(0);
  });
});

describe('gzip batches from our producer, read by kcat', () => {
  it('stores gzip batches that librdkafka decompresses to the same records', async () => {
    // Prepare
    const broker = await KafkaBroker.start({
      topics: [{ name: 'gz.geo', partitions: 1 }],
      log: () => undefined,
    });
    const producer = createKafkaProducer({
      clientId: 'gzip-test',
      compression: 'gzip',
      connection: { kind: 'plain', brokers: [broker.bootstrap] },
    });
    const records = Array.from({ length: 50 }, (_, i) => ({
      key: `k${i}`,
      value: `{"ind":${i},"pad":"${'z'.repeat(200)}"}`,
    }));

    // Act
    const results = await producer.produce('gz.geo', records);
    const run = await kcat([
      '-C',
      '-b',
      broker.bootstrap,
      '-t',
      'gz.geo',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o %k %s\n',
    ]);
    await producer.close();
    await broker.close();

    // Assess
    expect(results).toStrictEqual(records.map((_, i) => ({ partition: 0, offset: i })));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(records.map((r, i) => `${i} ${r.key} ${r.value}\n`).join(''));
  });
});
