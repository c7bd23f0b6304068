import { createKafkaProducer, type KafkaProducer, UnknownTopicError } from '../../../libs/kafka';
import { KafkaBroker, type StoredRecord } from '../../../local/kafka';
import { kcat } from './kcat';

const text = (records: StoredRecord[]) =>
  records.map((r) => ({
    offset: r.offset,
    key: r.key?.toString() ?? null,
    value: r.value?.toString() ?? null,
  }));

describe('our producer and kcat through the embedded broker', () => {
  let broker: KafkaBroker;
  let producer: KafkaProducer;
  const logs: string[] = [];

  beforeAll(async () => {
    broker = await KafkaBroker.start({
      topics: [
        { name: 'ours.pin', partitions: 3 },
        { name: 'kcat.geo', partitions: 3 },
        { name: 'packed.user', partitions: 1 },
        { name: 'keys.pin', partitions: 3 },
      ],
      autoCreateTopics: false,
      log: (line) => logs.push(line),
    });
    producer = createKafkaProducer({
      clientId: 'pinlake-test',
      connection: { kind: 'plain', brokers: [broker.bootstrap] },
    });
  });
  afterAll(async () => {
    await producer.close();
    await broker.close();
  });

  it('stores what our producer sends to a 3-partition topic, and reports each record where it landed', async () => {
    // Prepare
    const records = [
      { value: '{"index":1}' },
      { value: '{"index":2}', partition: 2 },
      { value: '{"index":3}' },
      { key: 'user-7', value: '{"index":4}' },
      { value: '{"index":5}', partition: 9 },
      { value: Buffer.from('{"index":6}') },
    ];

    // Act
    const results = await producer.produce('ours.pin', records);

    // Assess
    // Keyless records go round-robin over 0, 1, 2; 'user-7' hashes (murmur2, as Java) to partition 2.
    expect(results).toStrictEqual([
      { partition: 0, offset: 0 },
      { partition: 2, offset: 0 },
      { partition: 1, offset: 0 },
      { partition: 2, offset: 1 },
      { error: 'partition 9 does not exist in topic "ours.pin"', retriable: false },
      { partition: 2, offset: 2 },
    ]);
    expect([0, 1, 2].map((p) => text(broker.read('ours.pin', p, 0, 100)))).toStrictEqual([
      [{ offset: 0, key: null, value: '{"index":1}' }],
      [{ offset: 0, key: null, value: '{"index":3}' }],
      [
        { offset: 0, key: null, value: '{"index":2}' },
        { offset: 1, key: 'user-7', value: '{"index":4}' },
        { offset: 2, key: null, value: '{"index":6}' },
      ],
    ]);
    expect([0, 1, 2].map((p) => broker.endOffset('ours.pin', p))).toStrictEqual([1, 1, 3]);
  });

  it('lets kcat consume from the beginning exactly what our producer sent', async () => {
    // Act
    const run = await kcat([
      '-C',
      '-b',
      broker.bootstrap,
      '-t',
      'ours.pin',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%p %o %s\n',
    ]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').sort()).toStrictEqual([
      '0 0 {"index":1}',
      '1 0 {"index":3}',
      '2 0 {"index":2}',
      '2 1 {"index":4}',
      '2 2 {"index":6}',
    ]);
  });

  it("puts keyed records in the partitions librdkafka's Java-compatible partitioner picks", async () => {
    // Prepare
    const keys = ['user-7', 'pin-1', 'geo-42', 'a', 'ind-9001'];

    // Act
    const ours = await producer.produce(
      'keys.pin',
      keys.map((key) => ({ key, value: `ours ${key}` })),
    );
    const run = await kcat(
      ['-P', '-b', broker.bootstrap, '-t', 'keys.pin', '-K', ':', '-X', 'topic.partitioner=murmur2_random'],
      keys.map((key) => `${key}:kcat ${key}`).join('\n'),
    );

    // Assess
    expect(run.code).toBe(0);
    const kcatPartitions = keys.map((key) =>
      [0, 1, 2].find((p) =>
        broker.read('keys.pin', p, 0, 100).some((r) => r.value?.toString() === `kcat ${key}`),
      ),
    );
    expect(ours.map((r) => ('partition' in r ? r.partition : undefined))).toStrictEqual(kcatPartitions);
    expect(new Set(kcatPartitions).size).toBeGreaterThan(1);
  });

  it('sees, through the broker API, what an idempotent gzip kcat producer sent, with keys and timestamps', async () => {
    // Prepare
    const before = Date.now();
    const big = 'x'.repeat(2000);

    // Act
    const run = await kcat(
      [
        '-P',
        '-b',
        broker.bootstrap,
        '-t',
        'kcat.geo',
        '-p',
        '1',
        '-K',
        ':',
        '-z',
        'gzip',
        '-X',
        'enable.idempotence=true',
      ],
      `k1:{"ind":1}\nk2:${big}\n:no-key\n`,
    );

    // Assess
    expect(run).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    const stored = broker.read('kcat.geo', 1, 0, 100);
    expect(text(stored)).toStrictEqual([
      { offset: 0, key: 'k1', value: '{"ind":1}' },
      { offset: 1, key: 'k2', value: big },
      { offset: 2, key: '', value: 'no-key' },
    ]);
    expect(stored.every((r) => r.timestamp >= before - 1000 && r.timestamp <= Date.now())).toBe(true);
    expect(broker.endOffset('kcat.geo', 0)).toBe(0);
  });

  it('lets our producer append after kcat, and kcat read both in order', async () => {
    // Act
    const results = await producer.produce('kcat.geo', [{ value: 'from-ours', partition: 1 }]);
    const run = await kcat([
      '-C',
      '-b',
      broker.bootstrap,
      '-t',
      'kcat.geo',
      '-p',
      '1',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o %k %s\n',
    ]);

    // Assess
    expect(results).toStrictEqual([{ partition: 1, offset: 3 }]);
    expect(run.stdout.split('\n')).toStrictEqual([
      '0 k1 {"ind":1}',
      `1 k2 ${'x'.repeat(2000)}`,
      '2  no-key',
      '3  from-ours',
      '',
    ]);
  });

  it.each(['snappy', 'zstd'])(
    'refuses a %s batch from kcat with UNSUPPORTED_COMPRESSION_TYPE and logs why',
    async (codec) => {
      // Act
      const run = await kcat(
        ['-P', '-b', broker.bootstrap, '-t', 'packed.user', '-z', codec, '-X', 'message.send.max.retries=0'],
        `${'z'.repeat(1000)}\n`,
      );

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Broker: Unsupported compression type');
      expect(broker.endOffset('packed.user', 0)).toBe(0);
      expect(logs).toContain(
        `rejected: produce to packed.user-0 batch 0: compression ${codec} is not supported by the embedded broker (use none or gzip) (error 76)`,
      );
    },
  );

  it('throws UnknownTopicError for a topic the broker does not have', async () => {
    // Prepare
    const fewRetries = createKafkaProducer({
      clientId: 'few-retries',
      connection: { kind: 'plain', brokers: [broker.bootstrap] },
      retries: 2,
      retryDelayMs: 10,
    });

    // Act
    const attempt = fewRetries.produce('missing.pin', [{ value: 'x' }]);

    // Assess
    await expect(attempt).rejects.toThrow(UnknownTopicError);
    await expect(attempt).rejects.toMatchObject({
      message: 'topic "missing.pin" does not exist',
      topic: 'missing.pin',
    });
    await fewRetries.close();
  });

  it('reports every record as failed and retriable when no broker answers', async () => {
    // Prepare
    const gone = await KafkaBroker.start({ log: () => undefined });
    const bootstrap = gone.bootstrap;
    await gone.close();
    const orphan = createKafkaProducer({
      clientId: 'orphan',
      connection: { kind: 'plain', brokers: [bootstrap] },
      retries: 2,
      retryDelayMs: 10,
    });

    // Act
    const results = await orphan.produce('ours.pin', [{ value: 'a' }, { value: 'b', partition: 1 }]);
    await orphan.close();

    // Assess
    const failure = { error: expect.stringContaining(`Connection to ${bootstrap} failed`), retriable: true };
    expect(results).toStrictEqual([failure, failure]);
  });
});
