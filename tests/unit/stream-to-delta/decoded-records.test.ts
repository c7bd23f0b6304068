import { cleanRecordText, KINDS } from '../../../libs/records';
import {
  compareSequences,
  DecodedRecords,
  sequenceNumberOf,
} from '../../../libs/stream-to-delta/kinesis-batch';

const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

describe('DecodedRecords', () => {
  it('gives each record its exact text, bytes and size, whatever its bytes hold', () => {
    // Prepare
    const records = [
      Buffer.from('{"ind":1,"country":"Albania"}'),
      Buffer.from('{"title":"Ünïcödé — 中文 🎉"}'),
      Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a byte-order mark, then {}
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), // not UTF-8
      Buffer.alloc(0),
      Buffer.from('{"ind":2,"latin1-looking":"caf\u00e9"}'),
      Buffer.from('{"ind":3}'),
    ];

    // Act
    const decoded = new DecodedRecords(records.map(base64));

    // Assess
    expect(records.map((_, i) => decoded.text(i))).toStrictEqual(records.map((r) => r.toString('utf8')));
    expect(records.map((_, i) => Buffer.from(decoded.bytes(i)))).toStrictEqual(records);
    expect(records.map((_, i) => decoded.byteLength(i))).toStrictEqual(records.map((r) => r.length));
  });

  it.each(KINDS)('cleans each record as a %s record exactly as its text cleans', (kind) => {
    // Prepare: flat records (read without JSON.parse), others, non-ASCII and broken ones, side by side.
    const records = [
      '{"ind":1,"timestamp":"2020-08-28 03:52:47","latitude":-89.9787,"longitude":-173.293,"country":"Albania"}',
      '{"ind":2,"first_name":"Zoë","last_name":"Ali","age":-0,"date_joined":"2015-10-24 11:23:51"}',
      '{"ind":3,"first_name":"Ada","age":20,"date_joined":"2015-10-24 11:23:51"}',
      '{"index":4,"title":"a \\"quoted\\" title","follower_count":"26k"}',
      '{"ind":5,"country":"Chile"',
      '{"ind":6,"age":1e3}',
    ].map((text) => Buffer.from(text));
    const decoded = new DecodedRecords(records.map(base64));
    const meta = () => ({ source: '1', ingestedAt: new Date(1_763_806_530_125) });

    // Act
    const cleaned = records.map((_, i) => decoded.clean(kind, i, meta()));

    // Assess
    expect(cleaned).toStrictEqual(
      records.map((r) => cleanRecordText(kind, r.toString('utf8'), r.length, meta())),
    );
  });
});

describe('compareSequences', () => {
  it.each([
    ['1', '2', -1],
    ['10', '9', 1],
    [
      '49656828193450211357423096251247349155938093436617760001',
      '49656828193450211357423096251247349155938093436617760000',
      1,
    ],
    ['7', '7', 0],
  ])('orders plain decimal %s against %s as numbers', (a, b, sign) => {
    // Act
    const order = compareSequences({ sequenceNumber: a }, { sequenceNumber: b });

    // Assess
    expect(Math.sign(order)).toBe(sign);
  });

  it('orders numbers written with leading zeros by their value', () => {
    // Prepare
    const padded = { sequenceNumber: '0010', sequence: 10n };

    // Act
    const orders = [
      compareSequences(padded, { sequenceNumber: '9' }),
      compareSequences(padded, { sequenceNumber: '10' }),
      compareSequences({ sequenceNumber: '11' }, padded),
    ];

    // Assess
    expect(orders.map(Math.sign)).toStrictEqual([1, 0, 1]);
  });

  it('turns a high-water mark into a sequence number that compares the same way', () => {
    // Act
    const mark = sequenceNumberOf(49656828193450211357423096251247349155938093436617760000n);
    const negative = sequenceNumberOf(-5n);

    // Assess
    expect(mark).toStrictEqual({
      sequenceNumber: '49656828193450211357423096251247349155938093436617760000',
    });
    expect(negative).toStrictEqual({ sequenceNumber: '-5', sequence: -5n });
    expect(Math.sign(compareSequences({ sequenceNumber: '0' }, negative))).toBe(1);
  });
});

describe('DecodedRecords over many groups and batches', () => {
  const batchOf = (count: number, seed: string) =>
    Array.from({ length: count }, (_, i) =>
      Buffer.from(
        i % 97 === 0
          ? `{"ind":${i},"name":"Zoë ${seed} 中文 ${'x'.repeat(i % 40)}"}`
          : `{"ind":${i},"seed":"${seed}","pad":"${'y'.repeat(i % 50)}"}`,
      ),
    );

  it('reads every record of a batch larger than one 64 KiB text group exactly as UTF-8', () => {
    // Prepare: ~200 KB, non-ASCII records scattered across the groups
    const records = batchOf(3000, 'one');

    // Act
    const decoded = new DecodedRecords(records.map(base64));
    const texts = records.map((_, i) => decoded.text(i));

    // Assess
    expect(texts).toStrictEqual(records.map((r) => r.toString('utf8')));
  });

  it('gives the next batch the released buffer without changing what was copied out of the first', () => {
    // Prepare
    const first = batchOf(3000, 'first');
    const second = batchOf(1000, 'second');
    const one = new DecodedRecords(first.map(base64));
    const copies = first.map((_, i) => Buffer.from(one.bytes(i)));
    one.release();

    // Act
    const two = new DecodedRecords(second.map(base64));

    // Assess
    expect(second.map((_, i) => two.text(i))).toStrictEqual(second.map((r) => r.toString('utf8')));
    expect(Buffer.concat(second.map((_, i) => two.bytes(i))).equals(Buffer.concat(second))).toBe(true);
    expect(Buffer.concat(copies).equals(Buffer.concat(first))).toBe(true);
  });

  it('decodes only the records picked, in the order given', () => {
    // Prepare
    const records = batchOf(500, 'pick');
    const pick = [499, 3, 4, 97, 250];

    // Act
    const decoded = new DecodedRecords(records.map(base64), pick);

    // Assess
    expect(pick.map((_, j) => decoded.text(j))).toStrictEqual(pick.map((i) => records[i]!.toString('utf8')));
    expect(pick.map((_, j) => decoded.byteLength(j))).toStrictEqual(pick.map((i) => records[i]!.length));
  });
});
