import {
  encodeRecordBatch,
  parseRecordBatch,
  parseRecordBatches,
  RecordBatchError,
} from '../../../libs/kafka/protocol';

describe('record batches (magic 2)', () => {
  it('round-trips keys, null values, headers and timestamps, compressed with gzip', () => {
    // Prepare
    const bytes = encodeRecordBatch(
      [
        {
          key: 'k1',
          value: '{"ind":1}',
          timestamp: 1_700_000_000_500,
          headers: [{ key: 'trace', value: Buffer.from('x') }],
        },
        { value: null, timestamp: 1_700_000_000_000 },
      ],
      { compression: 'gzip', producerId: 7n, baseSequence: 3 },
    );

    // Act
    const batch = parseRecordBatch(bytes, 'test batch');

    // Assess
    expect({ ...batch, bytes: undefined }).toStrictEqual({
      attributes: 1,
      lastOffsetDelta: 1,
      maxTimestamp: 1_700_000_000_500,
      producerId: 7n,
      producerEpoch: 0,
      baseSequence: 3,
      records: [
        {
          offsetDelta: 0,
          timestamp: 1_700_000_000_500,
          key: Buffer.from('k1'),
          value: Buffer.from('{"ind":1}'),
          headers: [{ key: 'trace', value: Buffer.from('x') }],
        },
        { offsetDelta: 1, timestamp: 1_700_000_000_000, key: null, value: null, headers: [] },
      ],
      bytes: undefined,
    });
  });

  it('splits a blob of several batches and parses each', () => {
    // Prepare
    const blob = Buffer.concat([
      encodeRecordBatch([{ value: 'a' }]),
      encodeRecordBatch([{ value: 'b' }, { value: 'c' }]),
    ]);

    // Act
    const batches = parseRecordBatches(blob, 'blob');

    // Assess
    expect(batches.map((b) => b.records.map((r) => r.value?.toString()))).toStrictEqual([['a'], ['b', 'c']]);
  });

  it.each([
    [
      'a flipped payload bit',
      (b: Buffer) => b.writeUInt8(b.readUInt8(b.length - 2) ^ 0x10, b.length - 2),
      2,
      /CRC-32C mismatch/,
    ],
    ['magic 1', (b: Buffer) => b.writeInt8(1, 16), 43, /magic 1 is not supported/],
    [
      'a truncated batch',
      (b: Buffer) => b.writeInt32BE(b.readInt32BE(8) + 10, 8),
      2,
      /runs past the records/,
    ],
  ])('rejects %s with the matching Kafka error code', (_name, damage, code, message) => {
    // Prepare
    const bytes = encodeRecordBatch([{ value: 'payload' }]);
    damage(bytes);

    // Act
    let caught: unknown;
    try {
      parseRecordBatches(bytes, 'produce to t-0');
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(RecordBatchError);
    expect((caught as RecordBatchError).kafkaCode).toBe(code);
    expect((caught as RecordBatchError).message).toMatch(message);
  });
});
