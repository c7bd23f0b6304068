import { ByteSink, utf8Into } from '../../../libs/parquet/byte-sink';
import { seededRandom } from '../../helpers/random';

// Code units that test every path: ASCII (the loop), two- and three-byte UTF-8, surrogate pairs, lone
// surrogates (written as U+FFFD by Node's encoder), NUL and DEL at the edge of ASCII.
const UNITS = [
  0x41, 0x7a, 0x30, 0x20, 0x00, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xfffd, 0xd83d, 0xde00, 0xdc00,
];

function randomString(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    // Mostly ASCII, so short values often take the loop all the way, and sometimes stop it midway.
    text +=
      random() < 0.85
        ? String.fromCharCode(32 + Math.floor(random() * 95))
        : String.fromCharCode(UNITS[Math.floor(random() * UNITS.length)]!);
  }
  return text;
}

describe('UTF-8 writes of the Parquet writer', () => {
  it('writes the bytes Buffer.from gives, for short and long strings, ASCII or not', () => {
    // Prepare
    const random = seededRandom(16);
    const values = Array.from({ length: 4000 }, (_, i) => randomString(random, i % 70));
    values.push(
      '',
      'a'.repeat(24),
      'a'.repeat(25),
      `${'a'.repeat(23)}é`,
      `é${'a'.repeat(23)}`,
      '\ud800',
      `ab\udc00`,
    );

    for (const value of values) {
      // Act
      const buffer = Buffer.alloc(4 + value.length * 3, 0xaa);
      const written = utf8Into(buffer, value, 4);

      // Assess
      const expected = Buffer.from(value, 'utf8');
      expect(written).toBe(expected.length);
      expect(buffer.subarray(4, 4 + written).equals(expected)).toBe(true);
      expect(buffer.subarray(0, 4).equals(Buffer.alloc(4, 0xaa))).toBe(true);
    }
  });

  it('writes length-prefixed UTF-8 and returns its byte count, ASCII or not', () => {
    // Prepare
    const sink = new ByteSink(16);

    // Act
    const ascii = sink.lengthPrefixedUtf8('kafka:0:12');
    const accented = sink.lengthPrefixedUtf8('Zoë');

    // Assess
    expect([ascii, accented]).toStrictEqual([10, 4]);
    expect(
      Buffer.from(sink.view()).equals(
        Buffer.concat([
          Buffer.from([10, 0, 0, 0]),
          Buffer.from('kafka:0:12'),
          Buffer.from([4, 0, 0, 0]),
          Buffer.from('Zoë'),
        ]),
      ),
    ).toBe(true);
  });
});
