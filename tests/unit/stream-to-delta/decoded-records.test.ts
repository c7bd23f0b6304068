import {
  compareSequences,
  DecodedRecords,
  sequenceNumberOf,
} from '../../../libs/stream-to-delta/kinesis-batch';

const base64 = (bytes: Uint8Array | string) => ({ data: Buffer.from(bytes).toString('base64') });

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
