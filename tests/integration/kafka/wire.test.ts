import { crc32c, messages as M, parseRecordBatch } from '../../../libs/kafka/protocol';
import { encodeRecordBatch, KafkaBroker } from '../../../local/kafka';
import { WireClient } from './wire-client';

const produceBody = (topic: string, partition: number, records: Buffer, acks = -1) => ({
  transactionalId: null,
  acks,
  timeoutMs: 1000,
  topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
});

const fetchedPartition = (body: Record<string, unknown>) =>
  (
    body as {
      responses: { partitions: { errorCode: number; highWatermark: bigint; records: Buffer | null }[] }[];
    }
  ).responses[0]!.partitions[0]!;

const partitionReply = (body: Record<string, unknown>) =>
  (body as { responses: { partitionResponses: Record<string, unknown>[] }[] }).responses[0]!
    .partitionResponses[0];

describe('the embedded broker on the wire', () => {
  let broker: KafkaBroker;
  let client: WireClient;
  const logs: string[] = [];

  beforeAll(async () => {
    broker = await KafkaBroker.start({
      topics: [
        { name: 'wire.pin', partitions: 2 },
        { name: 'times.geo', partitions: 1 },
        { name: 'idem.user', partitions: 1 },
      ],
      log: (line) => logs.push(line),
    });
  });
  beforeEach(async () => {
    client = await WireClient.connect(broker.port);
  });
  afterEach(() => client.close());
  afterAll(() => broker.close());

  it('answers ApiVersions v3 in the flexible encoding with every served API', async () => {
    // Act
    const reply = await client.call(M.ApiVersions, 3, {
      clientSoftwareName: 'wire',
      clientSoftwareVersion: '1',
    });

    // Assess
    expect(reply).toStrictEqual({
      correlationId: 1,
      body: {
        errorCode: 0,
        apiKeys: [
          { apiKey: 0, minVersion: 0, maxVersion: 11 },
          { apiKey: 1, minVersion: 0, maxVersion: 12 },
          { apiKey: 2, minVersion: 1, maxVersion: 9 },
          { apiKey: 3, minVersion: 1, maxVersion: 12 },
          { apiKey: 18, minVersion: 0, maxVersion: 4 },
          { apiKey: 19, minVersion: 2, maxVersion: 7 },
          { apiKey: 22, minVersion: 0, maxVersion: 5 },
          { apiKey: 8, minVersion: 2, maxVersion: 8 },
          { apiKey: 9, minVersion: 1, maxVersion: 7 },
          { apiKey: 17, minVersion: 0, maxVersion: 1 },
          { apiKey: 36, minVersion: 0, maxVersion: 2 },
        ],
        throttleTimeMs: 0,
      },
    });
  });

  it('answers an ApiVersions version it does not know with UNSUPPORTED_VERSION in the v0 shape', async () => {
    // Act
    const id = client.sendRaw(18, 9, Buffer.from([0x05, 0x77, 0x69, 0x72, 0x65, 0x02, 0x31, 0x00]), true);
    const frame = await client.nextFrame();

    // Assess
    // correlation id, error 35, ApiKeys = [ApiVersions 0..4] as an int32-counted array, no throttle field
    expect(frame).toStrictEqual(Buffer.from([0, 0, 0, id, 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 4]));
    expect(logs).toContainEqual(
      expect.stringMatching(/sent ApiVersions v9; answered UNSUPPORTED_VERSION \(served: v0-v4\)$/),
    );
  });

  it('closes the connection on an unsupported version of another API, and logs the reason', async () => {
    // Act
    client.sendRaw(3, 13, Buffer.from([0x01, 0x00, 0x00]), true);
    const frame = await client.nextFrame();

    // Assess
    expect(frame).toBe('closed');
    expect(logs).toContainEqual(
      expect.stringMatching(/client "test" \(.*\) sent Metadata v13; served: v1-v12$/),
    );
  });

  it('rejects a batch whose CRC-32C does not match with CORRUPT_MESSAGE and stores nothing', async () => {
    // Prepare
    const good = encodeRecordBatch([{ value: '{"ind":1}', timestamp: 1_700_000_000_000 }]);
    const corrupt = Buffer.from(good);
    const at = corrupt.length - 3;
    corrupt.writeUInt8(corrupt.readUInt8(at) ^ 0x01, at);

    // Act
    const rejected = await client.call(M.Produce, 9, produceBody('wire.pin', 0, corrupt));
    const endAfterReject = broker.endOffset('wire.pin', 0);
    const accepted = await client.call(M.Produce, 9, produceBody('wire.pin', 0, good));

    // Assess
    const crc = good.readUInt32BE(17).toString(16);
    const actual = crc32c(corrupt.subarray(21)).toString(16);
    expect(partitionReply(rejected.body)).toStrictEqual({
      index: 0,
      errorCode: 2,
      baseOffset: -1n,
      logAppendTimeMs: -1n,
      logStartOffset: -1n,
      recordErrors: [],
      errorMessage: `produce to wire.pin-0 batch 0: CRC-32C mismatch (batch says ${crc}, bytes give ${actual})`,
    });
    expect(endAfterReject).toBe(0);
    expect(partitionReply(accepted.body)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(broker.read('wire.pin', 0, 0, 10)).toStrictEqual([
      { offset: 0, timestamp: 1_700_000_000_000, key: null, value: Buffer.from('{"ind":1}'), headers: [] },
    ]);
  });

  it('rejects a snappy batch with UNSUPPORTED_COMPRESSION_TYPE and accepts a gzip one', async () => {
    // Prepare
    const snappy = encodeRecordBatch([{ value: 'a' }]);
    snappy.writeInt16BE(2, 21);
    snappy.writeUInt32BE(crc32c(snappy.subarray(21)), 17);
    const gzip = encodeRecordBatch(
      [
        { key: 'k', value: 'v'.repeat(300), headers: [{ key: 'h', value: Buffer.from('1') }] },
        { value: null },
      ],
      { compression: 'gzip' },
    );

    // Act
    const rejected = await client.call(M.Produce, 7, produceBody('wire.pin', 1, snappy));
    const accepted = await client.call(M.Produce, 7, produceBody('wire.pin', 1, gzip));

    // Assess
    expect(partitionReply(rejected.body)).toMatchObject({ errorCode: 76, baseOffset: -1n });
    expect(partitionReply(accepted.body)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(broker.read('wire.pin', 1, 0, 10).map(({ timestamp: _, ...r }) => r)).toStrictEqual([
      {
        offset: 0,
        key: Buffer.from('k'),
        value: Buffer.from('v'.repeat(300)),
        headers: [{ key: 'h', value: Buffer.from('1') }],
      },
      { offset: 1, key: null, value: null, headers: [] },
    ]);
  });

  it('creates topics with CreateTopics, and refuses an existing name and a replication factor above 1', async () => {
    // Act
    const reply = await client.call(M.CreateTopics, 5, {
      topics: [
        { name: 'made.pin', numPartitions: 4, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'wire.pin', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] },
        { name: 'wide.pin', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });

    // Assess
    expect(reply.body).toStrictEqual({
      throttleTimeMs: 0,
      topics: [
        {
          name: 'made.pin',
          errorCode: 0,
          errorMessage: null,
          numPartitions: 4,
          replicationFactor: 1,
          configs: null,
        },
        {
          name: 'wire.pin',
          errorCode: 36,
          errorMessage: 'topic "wire.pin" already exists',
          numPartitions: 1,
          replicationFactor: 1,
          configs: null,
        },
        {
          name: 'wide.pin',
          errorCode: 38,
          errorMessage: 'topic "wide.pin": replication factor 3 is larger than the 1 broker',
          numPartitions: 1,
          replicationFactor: 1,
          configs: null,
        },
      ],
    });
    expect(broker.partitionCount('made.pin')).toBe(4);
    expect(broker.partitionCount('wide.pin')).toBeUndefined();
  });

  it('finds offsets by ListOffsets: earliest, latest, by time and the max timestamp', async () => {
    // Prepare
    const batch = encodeRecordBatch([
      { value: 'a', timestamp: 1000 },
      { value: 'b', timestamp: 3000 },
      { value: 'c', timestamp: 2000 },
    ]);
    await client.call(M.Produce, 9, produceBody('times.geo', 0, batch));
    const ask = (timestamp: bigint) => ({ partitionIndex: 0, currentLeaderEpoch: -1, timestamp });

    // Act
    const reply = await client.call(M.ListOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'times.geo', partitions: [ask(-2n), ask(-1n), ask(1500n), ask(9999n), ask(-3n)] }],
    });

    // Assess
    const found = (offset: bigint, timestamp: bigint) => ({
      partitionIndex: 0,
      errorCode: 0,
      timestamp,
      offset,
      leaderEpoch: 0,
    });
    expect(reply.body).toStrictEqual({
      throttleTimeMs: 0,
      topics: [
        {
          name: 'times.geo',
          partitions: [found(0n, -1n), found(3n, -1n), found(1n, 3000n), found(-1n, -1n), found(1n, 3000n)],
        },
      ],
    });
  });

  it('gives an idempotent producer its first offset back for a retried batch and refuses a sequence gap', async () => {
    // Prepare
    const init = await client.call(M.InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    });
    const { producerId } = init.body as { producerId: bigint };
    const first = encodeRecordBatch([{ value: '1' }, { value: '2' }], { producerId, baseSequence: 0 });
    const gap = encodeRecordBatch([{ value: '9' }], { producerId, baseSequence: 5 });

    // Act
    const sent = await client.call(M.Produce, 11, produceBody('idem.user', 0, first));
    const retried = await client.call(M.Produce, 11, produceBody('idem.user', 0, first));
    const skipped = await client.call(M.Produce, 11, produceBody('idem.user', 0, gap));

    // Assess
    expect(init.body).toStrictEqual({ throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 0 });
    expect(partitionReply(sent.body)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(partitionReply(retried.body)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(partitionReply(skipped.body)).toMatchObject({ errorCode: 45, baseOffset: -1n });
    expect(broker.endOffset('idem.user', 0)).toBe(2);
  });

  it('holds a Fetch at the end of the log until a record arrives, then returns it', async () => {
    // Prepare
    const end = BigInt(broker.endOffset('wire.pin', 0));
    const producer = await WireClient.connect(broker.port);
    const fetchAt = (fetchOffset: bigint) => ({
      replicaId: -1,
      maxWaitMs: 5000,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'wire.pin',
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const started = Date.now();

    // Act
    const pending = client.call(M.Fetch, 12, fetchAt(end));
    await producer.call(
      M.Produce,
      9,
      produceBody('wire.pin', 0, encodeRecordBatch([{ value: 'late', timestamp: 5 }])),
    );
    const reply = await pending;
    const beyond = await client.call(M.Fetch, 12, { ...fetchAt(end + 5n), maxWaitMs: 0 });
    producer.close();

    // Assess
    const fetched = fetchedPartition(reply.body);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(fetched.errorCode).toBe(0);
    expect(fetched.highWatermark).toBe(end + 1n);
    expect(fetched.records!.readBigInt64BE(0)).toBe(end);
    expect(
      parseRecordBatch(fetched.records!, 'fetched').records.map((r) => r.value?.toString()),
    ).toStrictEqual(['late']);
    expect(fetchedPartition(beyond.body)).toMatchObject({
      errorCode: 1,
      highWatermark: end + 1n,
      records: null,
    });
  });

  it('sends no response to acks=0, and answers the next request with its own correlation id', async () => {
    // Act
    client.send(
      M.Produce,
      9,
      produceBody('wire.pin', 1, encodeRecordBatch([{ value: 'fire-and-forget' }]), 0),
    );
    const next = await client.call(M.ApiVersions, 0, {});

    // Assess
    expect(next.correlationId).toBe(2);
    expect(broker.read('wire.pin', 1, 2, 10).map((r) => r.value?.toString())).toStrictEqual([
      'fire-and-forget',
    ]);
  });
});
