import { parsePutRecordBody, parsePutRecordsBody } from '../../../libs/kinesis';

const limits = { bodyBytes: 100, recordsPerRequest: 3, recordBytes: 40 };
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('Function: parsePutRecordBody()', () => {
  it('encodes an object Data as its JSON text and a string Data as it is', () => {
    // Act
    const object = parsePutRecordBody(
      { Data: { ind: 7528, country: 'Albania' }, PartitionKey: 'p' },
      's',
      limits,
    );
    const string = parsePutRecordBody({ Data: '{"ind":7528}', PartitionKey: 'p' }, 's', limits);
    const number = parsePutRecordBody({ Data: 5, PartitionKey: 'p' }, 's', limits);

    // Assess
    expect([object, string, number].map((e) => ({ data: text(e.Data), key: e.PartitionKey }))).toStrictEqual([
      { data: '{"ind":7528,"country":"Albania"}', key: 'p' },
      { data: '{"ind":7528}', key: 'p' },
      { data: '5', key: 'p' },
    ]);
  });

  it.each([
    [
      { Data: null, PartitionKey: 'p' },
      'invalid request body: Data is required: a JSON object, or a non-empty string',
    ],
    [
      { Data: '', PartitionKey: 'p' },
      'invalid request body: Data is required: a JSON object, or a non-empty string',
    ],
    [{ Data: {}, PartitionKey: '' }, 'invalid request body: PartitionKey must not be empty'],
    [{ Data: {}, PartitionKey: 7 }, 'invalid request body: PartitionKey must be a string'],
    [
      { Data: {}, PartitionKey: 'p', StreamName: 'other' },
      'StreamName "other" in the body does not match the path\'s "s"',
    ],
    ['{"Data":1}', 'request body must be a JSON object'],
  ])('refuses %j with a 400 naming the field', (body, message) => {
    // Act
    const parse = () => parsePutRecordBody(body, 's', limits);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ statusCode: 400, message }));
  });

  it('refuses a record whose data plus partition key is over the record limit with a 413', () => {
    // Act
    const parse = () => parsePutRecordBody({ Data: 'x'.repeat(39), PartitionKey: 'pk' }, 's', limits);

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        statusCode: 413,
        message: 'the record is 41 bytes once encoded (data plus partition key); the limit is 40',
      }),
    );
  });
});

describe('Function: parsePutRecordsBody()', () => {
  it('turns every record into an entry, in order', () => {
    // Act
    const entries = parsePutRecordsBody(
      {
        records: [
          { data: { ind: 1 }, 'partition-key': 'a' },
          { data: 'raw', 'partition-key': 'b' },
        ],
      },
      limits,
    );

    // Assess
    expect(entries.map((e) => ({ data: text(e.Data), key: e.PartitionKey }))).toStrictEqual([
      { data: '{"ind":1}', key: 'a' },
      { data: 'raw', key: 'b' },
    ]);
  });

  it.each([
    [{ records: 'no' }, 400, 'invalid request body: records must be an array'],
    [{}, 400, 'invalid request body: records must be an array'],
    [{ records: [] }, 400, 'records must hold at least one record'],
    [{ records: [1, 2, 3, 4] }, 400, 'records holds 4 records; at most 3 are accepted'],
    [
      {
        records: [
          { data: 'x', 'partition-key': 'k' },
          { data: 'y'.repeat(40), 'partition-key': 'k' },
        ],
      },
      413,
      'records[1] is 41 bytes once encoded (data plus partition key); the limit is 40',
    ],
    [
      { records: [1, 2, 3].map(() => ({ data: 'z'.repeat(35), 'partition-key': 'k' })) },
      413,
      'the records total 108 bytes once encoded; the limit is 100',
    ],
  ])('refuses %j with %i and a message naming the problem', (body, statusCode, message) => {
    // Act
    const parse = () => parsePutRecordsBody(body, limits);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ statusCode, message }));
  });
});
