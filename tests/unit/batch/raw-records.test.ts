import { recordsByLength, recordsByLine } from '../../../libs/batch/raw-records';
import { cleanRecordText, KINDS } from '../../../libs/records';

/** A raw file as the landing writes it: each value followed by one newline, and its index's lengths. */
function landedFile(values: readonly Buffer[]): { data: Buffer; lengths: number[] } {
  return {
    data: Buffer.concat(values.flatMap((value) => [value, Buffer.from('\n')])),
    lengths: values.map((value) => value.byteLength),
  };
}

/** What a reader of each record alone gets: its bytes decoded as UTF-8, invalid sequences as U+FFFD. */
const alone = (value: Buffer) => value.toString('utf8');

const VALUES = [
  Buffer.from('{"ind":1,"first_name":"Ada"}'),
  Buffer.from('{"ind":2,"first_name":"Zoë","last_name":"Ångström 🧭"}'),
  Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"ind":3}')]),
  Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
  Buffer.from([0x22, 0xe2, 0x82]),
  Buffer.from([0x80, 0x22]),
  Buffer.from('{\n  "ind": 7,\n  "first_name": "Ünal"\n}'),
  Buffer.from(''),
  Buffer.from('{"ind":9}'),
];

describe('raw records', () => {
  it('reads every record as its own bytes decode, whatever the bytes, by the lengths of the index', () => {
    // Prepare
    const { data, lengths } = landedFile(VALUES);
    const timestamps = VALUES.map((_, i) => 1763806530000 + i);

    // Act
    const records = recordsByLength(data, 40, lengths, timestamps);

    // Assess
    const read = Array.from({ length: records.count }, (_, i) => ({
      offset: records.offset(i),
      timestamp: records.timestamp(i),
      byteLength: records.byteLength(i),
      text: records.text(i),
      bytes: Buffer.from(records.bytes(i)),
    }));
    expect(read).toStrictEqual(
      VALUES.map((value, i) => ({
        offset: 40 + i,
        timestamp: 1763806530000 + i,
        byteLength: value.byteLength,
        text: alone(value),
        bytes: value,
      })),
    );
  });

  it.each(KINDS)('cleans every record as a %s record exactly as its text cleans', (kind) => {
    // Prepare: the values above, with flat geo and user records (read without JSON.parse) among them.
    const values = [
      ...VALUES,
      Buffer.from(
        '{"ind":10,"timestamp":"2020-08-28 03:52:47","latitude":1.5,"longitude":-2,"country":"Peru"}',
      ),
      Buffer.from('{"ind": 11, "first_name": "Ada", "last_name": "Ali", "age": 20, "date_joined": null}'),
    ];
    const { data, lengths } = landedFile(values);
    const records = recordsByLength(data, 0, lengths, new Array(values.length).fill(0));
    const meta = () => ({ source: '0:1', ingestedAt: new Date(1_763_806_530_125) });

    // Act
    const cleaned = values.map((_, i) => records.clean(kind, i, meta()));

    // Assess
    expect(cleaned).toStrictEqual(
      values.map((value) => cleanRecordText(kind, alone(value), value.length, meta())),
    );
  });

  it('ends a slice at the last whole record within its bytes, never before its first record', () => {
    // Prepare: records of 9, 19, 29, 39 and 49 bytes (each with its newline: 10, 20, 30, 40, 50).
    const values = [9, 19, 29, 39, 49].map((length) => Buffer.alloc(length, 0x61));
    const { data, lengths } = landedFile(values);
    const records = recordsByLength(data, 0, lengths, new Array(values.length).fill(0));

    // Act
    const ends = [
      records.endOfSlice(0, 29),
      records.endOfSlice(0, 30),
      records.endOfSlice(1, 5),
      records.endOfSlice(2, 1000),
    ];

    // Assess: 29 bytes hold the first two records (9 + 1 + 19), 30 no more; a slice has one record at least.
    expect(ends).toStrictEqual([2, 2, 2, 5]);
  });

  it('reads a null timestamp of the index as NaN and the others as they are', () => {
    // Prepare
    const { data, lengths } = landedFile(VALUES.slice(0, 3));

    // Act
    const records = recordsByLength(data, 0, lengths, [1763806530000, null, -1]);

    // Assess
    expect([0, 1, 2].map((i) => records.timestamp(i))).toStrictEqual([1763806530000, Number.NaN, -1]);
  });

  it('reads records across many decoding groups, in order and out of order, the same', () => {
    // Prepare: ~1.3 MB of records, some larger than a group, every fifth one not ASCII.
    const values = Array.from({ length: 3_000 }, (_, i) => {
      const name = i % 5 === 0 ? `Zoë ${i} ✓` : `Ada ${i}`;
      const padding = i % 997 === 0 ? 'x'.repeat(70_000) : 'y'.repeat(i % 300);
      return Buffer.from(JSON.stringify({ ind: i, first_name: name, last_name: padding }));
    });
    const { data, lengths } = landedFile(values);
    const records = recordsByLength(data, 0, lengths, new Array(values.length).fill(0));
    const backwards = recordsByLength(data, 0, lengths, new Array(values.length).fill(0));

    // Act
    const forward = values.map((_, i) => records.text(i));
    const reverse = values.map((_, i) => backwards.text(values.length - 1 - i)).reverse();

    // Assess
    expect(forward).toStrictEqual(values.map(alone));
    expect(reverse).toStrictEqual(values.map(alone));
  });

  it('splits a file without an index at newlines, with or without a last one, stamped with one time', () => {
    // Prepare
    const withLast = Buffer.from('{"ind":1}\n{"ind":"ü"}\n');
    const withoutLast = Buffer.from('{"ind":1}\n\n{"ind":3}');

    // Act
    const read = [withLast, withoutLast].map((data) => {
      const records = recordsByLine(data, 7, 1763806530123);
      return Array.from({ length: records.count }, (_, i) => [
        records.offset(i),
        records.timestamp(i),
        records.text(i),
      ]);
    });

    // Assess
    expect(read).toStrictEqual([
      [
        [7, 1763806530123, '{"ind":1}'],
        [8, 1763806530123, '{"ind":"ü"}'],
      ],
      [
        [7, 1763806530123, '{"ind":1}'],
        [8, 1763806530123, ''],
        [9, 1763806530123, '{"ind":3}'],
      ],
    ]);
  });
});
