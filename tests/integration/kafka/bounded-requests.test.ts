import { connect } from 'node:net';
import { messages as M } from '../../../libs/kafka/protocol';
import { encodeRecordBatch, KafkaBroker } from '../../../local/kafka';
import { MAX_INFLATED_BYTES } from '../../../local/kafka/apis/produce';
import { MAX_REQUEST_BYTES } from '../../../local/kafka/connection';
import { WireClient } from './wire-client';

const produceBody = (topic: string, parts: { index: number; records: Buffer }[]) => ({
  transactionalId: null,
  acks: -1,
  timeoutMs: 1000,
  topicData: [{ name: topic, partitionData: parts }],
});

const partitionReplies = (body: Record<string, unknown>) =>
  (body as { responses: { partitionResponses: Record<string, unknown>[] }[] }).responses[0]!
    .partitionResponses;

describe('the embedded broker bounds what one connection can make it hold', () => {
  let broker: KafkaBroker;
  const logs: string[] = [];

  beforeAll(async () => {
    broker = await KafkaBroker.start({
      topics: [{ name: 'bounds.pin', partitions: 2 }],
      log: (line) => logs.push(line),
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => broker.close());

  it('closes a connection whose size prefix is over the request limit before keeping any of the frame', async () => {
    // Prepare
    const socket = connect(broker.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {});
    const head = Buffer.alloc(4);
    head.writeInt32BE(MAX_REQUEST_BYTES + 1);

    // Act
    socket.write(head);
    await closed;
    const client = await WireClient.connect(broker.port);
    const reply = await client.call(M.ApiVersions, 0, {});
    client.close();

    // Assess
    expect(logs).toContainEqual(
      expect.stringContaining(
        `request size ${MAX_REQUEST_BYTES + 1} is out of bounds (8 to ${MAX_REQUEST_BYTES} bytes)`,
      ),
    );
    expect(reply.body.errorCode).toBe(0);
  });

  it('copies a large request once when it is complete, not on every TCP chunk', async () => {
    // Prepare
    const value = Buffer.alloc(8 * 1024 * 1024, 'a');
    const batch = encodeRecordBatch([{ value }]);
    const client = await WireClient.connect(broker.port);
    const concat = jest.spyOn(Buffer, 'concat');

    // Act
    const reply = await client.call(M.Produce, 9, produceBody('bounds.pin', [{ index: 0, records: batch }]));
    const copied = concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
    client.close();

    // Assess
    expect(partitionReplies(reply.body)[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(broker.read('bounds.pin', 0, 0, 1)[0]!.value).toStrictEqual(value);
    // Copying on every chunk (64 KiB each) would copy about 64 times the request; once is about 1×.
    expect(copied).toBeLessThan(2 * batch.length);
  });

  it('refuses the gzip batch that takes a request past its inflation limit with MESSAGE_TOO_LARGE, without storing it', async () => {
    // Prepare: two partitions, each well under the limit alone, over it together.
    const half = Math.ceil(MAX_INFLATED_BYTES / 2) + 1024;
    const bomb = encodeRecordBatch([{ value: Buffer.alloc(half, 0) }], { compression: 'gzip' });
    const client = await WireClient.connect(broker.port);

    // Act
    const reply = await client.call(
      M.Produce,
      9,
      produceBody('bounds.pin', [
        { index: 1, records: bomb },
        { index: 1, records: bomb },
      ]),
    );
    const after = await client.call(
      M.Produce,
      9,
      produceBody('bounds.pin', [{ index: 1, records: encodeRecordBatch([{ value: 'small' }]) }]),
    );
    client.close();

    // Assess
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(partitionReplies(reply.body).map((p) => [p.errorCode, p.errorMessage])).toStrictEqual([
      [0, null],
      [
        10,
        `produce to bounds.pin-1 batch 0: gzip data inflates past the limit of ${MAX_INFLATED_BYTES} bytes per request`,
      ],
    ]);
    expect(partitionReplies(after.body)[0]).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(broker.read('bounds.pin', 1, 0, 10).map((r) => r.value?.length)).toStrictEqual([half, 5]);
  });
});
