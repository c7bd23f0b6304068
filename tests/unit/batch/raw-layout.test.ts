import { readMskEvent, splitIntoRuns } from '../../../libs/batch';
import { parseRawDataKey, parseRawIndexKey, rawDataKey, rawIndexKey } from '../../../libs/lake';
import { mskEvent, user, users } from './support';

describe('the raw landing layout', () => {
  it('names data files as the Confluent S3 sink does and reads the names back', () => {
    // Act
    const key = rawDataKey('pinlake.pin', 3, 1234);

    // Assess
    expect(key).toBe('raw/topics/pinlake.pin/partition=3/pinlake.pin+3+0000001234.json');
    expect(parseRawDataKey(key)).toStrictEqual({ topic: 'pinlake.pin', partition: 3, startOffset: 1234 });
  });

  it('names index objects by their exact offset range and reads the names back', () => {
    // Act
    const key = rawIndexKey('pinlake.geo', 0, 10, 19);

    // Assess
    expect(key).toBe('raw/_index/pinlake.geo/partition=0/0000000010-0000000019.json');
    expect(parseRawIndexKey(key)).toStrictEqual({
      topic: 'pinlake.geo',
      partition: 0,
      startOffset: 10,
      endOffset: 19,
    });
  });

  it('ignores keys that are not landing files, or whose name disagrees with their folders', () => {
    // Act
    const parsed = [
      'raw/topics/pinlake.pin/partition=0/pinlake.geo+0+0000000000.json',
      'raw/topics/pinlake.pin/partition=0/pinlake.pin+1+0000000000.json',
      'raw/topics/pinlake.pin/partition=0/pinlake.pin+0+12.json',
      'raw/topics/pinlake.pin/partition=0/notes.txt',
    ].map(parseRawDataKey);

    // Assess
    expect(parsed).toStrictEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('reading MSK events', () => {
  it('groups records per topic-partition in offset order, once per offset, with values decoded', () => {
    // Prepare
    const event = mskEvent('user', 1, [
      { offset: 5, value: user(5) },
      { offset: 3, value: user(3) },
      { offset: 5, value: user(5) },
    ]);
    Object.assign(event.records, mskEvent('user', 0, [{ offset: 9, value: user(9), timestamp: 7 }]).records);

    // Act
    const { batches, rejected } = readMskEvent(event);

    // Assess
    expect(rejected).toStrictEqual([]);
    expect(batches).toStrictEqual([
      {
        topic: 'pinlake.user',
        partition: 0,
        records: [{ offset: 9, timestamp: 7, value: Buffer.from(JSON.stringify(user(9))) }],
      },
      {
        topic: 'pinlake.user',
        partition: 1,
        records: [3, 5].map((offset) => ({
          offset,
          timestamp: 1763806530000 + offset,
          value: Buffer.from(JSON.stringify(user(offset))),
        })),
      },
    ]);
  });

  it('sets aside a record filed under another topic-partition or without an offset, with its reason, and reads the rest', () => {
    // Prepare
    const event = mskEvent('user', 0, users(1, 3));
    const records = event.records['pinlake.user-0']!;
    records[0]!.partition = 4;
    (records[1] as { offset: unknown }).offset = 'x';

    // Act
    const { batches, rejected } = readMskEvent(event);

    // Assess
    expect(batches).toStrictEqual([
      {
        topic: 'pinlake.user',
        partition: 0,
        records: [{ offset: 3, timestamp: 1763806530003, value: Buffer.from(JSON.stringify(user(3))) }],
      },
    ]);
    expect(rejected).toStrictEqual([
      {
        origin: 'pinlake.user',
        name: '0-1',
        reason: 'bad envelope: filed under pinlake.user-0 but it names pinlake.user-4',
        source: 'kafka:pinlake.user:0:1',
        receivedAt: new Date(1763806530001),
        bytes: Buffer.from(JSON.stringify(records[0])),
      },
      {
        origin: 'pinlake.user',
        name: expect.stringMatching(/^0-envelope-[0-9a-f]{16}$/),
        reason: 'bad envelope: offset "x" is not a non-negative integer',
        source: 'kafka:pinlake.user:0:unknown',
        receivedAt: new Date(1763806530002),
        bytes: Buffer.from(JSON.stringify(records[1])),
      },
    ]);
  });

  it('splits records into runs of consecutive offsets, a new run at every gap', () => {
    // Prepare
    const records = [1, 2, 3, 7, 8, 10].map((offset) => ({ offset, timestamp: 0, value: Buffer.alloc(0) }));

    // Act
    const runs = splitIntoRuns(records).map((run) => run.map((r) => r.offset));

    // Assess
    expect(runs).toStrictEqual([[1, 2, 3], [7, 8], [10]]);
  });
});
