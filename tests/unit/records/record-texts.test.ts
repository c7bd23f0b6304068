import { cleanRecordText, KINDS, RecordTexts } from '../../../libs/records';
import { seededRandom } from '../../helpers/random';

/** `records` laid out one after the other in one buffer, with a byte between them, as RecordTexts reads them. */
function laidOut(records: readonly Buffer[]): RecordTexts {
  const starts = new Int32Array(records.length);
  const ends = new Int32Array(records.length);
  let at = 0;
  records.forEach((record, i) => {
    starts[i] = at;
    ends[i] = at + record.length;
    at += record.length + 1;
  });
  return new RecordTexts(Buffer.concat(records.flatMap((r) => [r, Buffer.from('\n')])), starts, ends);
}

describe('RecordTexts', () => {
  it('reads every record of many groups as its bytes decode, in any order', () => {
    // Prepare: ~400 KB of records (several 64 KiB groups), ASCII, UTF-8 and invalid bytes mixed.
    const random = seededRandom(22);
    const records = Array.from({ length: 4000 }, (_, i) => {
      const roll = random();
      if (roll < 0.1) return Buffer.from(`{"ind":${i},"country":"Côte d'Ivoire ${'é'.repeat(i % 7)}"}`);
      if (roll < 0.12) return Buffer.from([0x7b, 0xff, 0x22, 0x7d]);
      return Buffer.from(`{"ind":${i},"timestamp":"2020-08-28 03:52:47","country":"${'x'.repeat(i % 90)}"}`);
    });
    const texts = laidOut(records);
    const order = records.map((_, i) => i).sort(() => random() - 0.5);

    // Act
    const read = order.map((i) => texts.text(i));
    const inOrder = records.map((_, i) => texts.text(i));

    // Assess
    expect(read).toStrictEqual(order.map((i) => records[i]!.toString('utf8')));
    expect(inOrder).toStrictEqual(records.map((record) => record.toString('utf8')));
    expect(order.map((i) => Buffer.from(texts.bytes(i)))).toStrictEqual(order.map((i) => records[i]));
    expect(texts.count).toBe(records.length);
  });

  it('reads the records on either side of a group boundary whole', () => {
    // Prepare: the second record ends exactly 64 KiB after the first starts (the last of the first group),
    // the third one byte past it (the first of the next); then a record with a byte above 0x7F.
    const first = Buffer.from(`{"a":"${'x'.repeat(40_000 - 8)}"}`);
    const second = Buffer.from(`{"b":"${'y'.repeat(65_536 - first.length - 1 - 8)}"}`);
    const records = [first, second, Buffer.from('z'), Buffer.from('{"c":"é"}'), Buffer.from('{"d":1}')];
    const texts = laidOut(records);
    expect(texts.bytes(1).byteOffset - texts.bytes(0).byteOffset + second.length).toBe(65_536);

    // Act
    const read = records.map((_, i) => texts.text(i));

    // Assess
    expect(read).toStrictEqual(records.map((record) => record.toString('utf8')));
  });

  it.each(KINDS)('cleans every record as a %s record as its text cleans', (kind) => {
    // Prepare
    const records = [
      '{"ind":1,"timestamp":"2020-08-28 03:52:47","latitude":-89.9787,"longitude":-173.293,"country":"Albania"}',
      '{"ind":2,"first_name":"Zoë","last_name":"Ali","age":30,"date_joined":"2015-10-24 11:23:51"}',
      '{"ind":3,"first_name":"Ada","age":20,"date_joined":"2015-02-29 11:23:51"}',
      '{"index":4,"title":"a \\"quoted\\" title","follower_count":"26k"}',
      '{"ind":5,"country":"Chile"',
    ].map((text) => Buffer.from(text));
    const texts = laidOut(records);
    const meta = () => ({ source: '0:1', ingestedAt: new Date(1_763_806_530_125) });

    // Act
    const cleaned = records.map((_, i) => texts.clean(kind, i, meta()));

    // Assess
    expect(cleaned).toStrictEqual(
      records.map((r) => cleanRecordText(kind, r.toString('utf8'), r.length, meta())),
    );
  });

  it('refuses a buffer past 2 GiB, whose bounds would not fit its 32-bit integers', () => {
    // Prepare: never written, so the kernel gives it no pages (a host that refuses to overcommit 2 GiB of
    // address space would fail here, not in the code under test).
    const huge = Buffer.allocUnsafeSlow(2 ** 31);

    // Act
    const make = () => new RecordTexts(huge, new Int32Array(0), new Int32Array(0));

    // Assess
    expect(make).toThrow(new RangeError('records of 2147483648 bytes: at most 2147483647 are read at once'));
  });
});
