import { parseJsonBytes } from '../../../libs/batch/json-bytes';

/** What the reader did before: the bytes decoded as UTF-8, then JSON.parse. */
const parsedAsText = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

/** The error a parse throws, or undefined. */
function errorOf(parse: () => unknown): unknown {
  try {
    parse();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('JSON from bytes', () => {
  it('reads a raw index as JSON.parse of its text does', () => {
    // Prepare: an index as the landing writes it, with a null timestamp and a previous offset.
    const index = {
      topic: 'pinlake.user',
      partition: 1,
      startOffset: 9_990_000_000,
      endOffset: 9_990_002_999,
      bytes: 312_345,
      timestamps: Array.from({ length: 3_000 }, (_, i) => (i === 7 ? null : 1763806530000 + i * 37)),
      lengths: Array.from({ length: 3_000 }, (_, i) => (i * 7919) % 1_048_576),
      sha256: 'c0ffee'.repeat(10).slice(0, 64),
      previousOffset: 9_989_999_997,
    };
    const bytes = Buffer.from(`${JSON.stringify(index)}\n`);

    const parse = jest.spyOn(JSON, 'parse');

    // Act
    const parsed = parseJsonBytes(bytes);

    // Assess: read from the bytes, with no text of the whole index made for JSON.parse.
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(parsed).toStrictEqual(index);
  });

  it.each([
    ['white space of every kind', ' \t\r\n{ "a" : [ 1 , 2 ] ,\n"b":{}, "c" : [ ] }\r\n'],
    ['nested values and words', '{"a":[true,false,null,[[-1,0,-0]],{"b":{"c":"d"}}]}'],
    ['integers at 15 digits', '[999999999999999,-999999999999999,100000000000000]'],
    ['integers past 15 digits', '[9007199254740993,12345678901234567890]'],
    ['fractions and exponents', '[1.5,-0.25,1e3,2E-2,1.0]'],
    ['escapes and characters past ASCII', '{"a":"tab\\there","b":"\\u00e9","c":"Zoë 🧭","d":"\\"q\\""}'],
    ['a __proto__ key', '{"__proto__":{"polluted":1},"a":1}'],
    ['a duplicate key', '{"a":1,"b":2,"a":3}'],
    ['integer-like keys', '{"b":1,"2":2,"1":3}'],
    ['a top-level string and a number', '"just text"'],
    ['a bare integer', '  42  '],
    ['DEL inside a string', '"a\u007fb"'],
  ])('reads %s as JSON.parse does', (_, text) => {
    // Prepare
    const bytes = Buffer.from(text);

    // Act
    const parsed = parseJsonBytes(bytes);

    // Assess
    expect(parsed).toStrictEqual(parsedAsText(bytes));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.getPrototypeOf(parsedAsText(bytes)));
  });

  it('keeps -0 as JSON.parse does', () => {
    // Prepare, Act
    const parsed = parseJsonBytes(Buffer.from('[-0,0]')) as number[];

    // Assess
    expect(Object.is(parsed[0], -0)).toBe(true);
    expect(Object.is(parsed[1], 0)).toBe(true);
  });

  it.each([
    ['empty input', ''],
    ['a trailing comma in an array', '[1,2,]'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['a leading zero', '[01]'],
    ['a minus alone', '[-]'],
    ['a cut word', '[nul'],
    ['a word run on', '[nullx]'],
    ['a number run on', '[12a]'],
    ['a key without quotes', '{a:1}'],
    ['text after the value', '{"a":1} {"b":2}'],
    ['a cut array', '[1,2'],
    ['a control character in a string', '"a\nb"'],
    ['a byte-order mark', '\ufeff{"a":1}'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d])],
  ])('throws the SyntaxError JSON.parse throws for %s', (_, text) => {
    // Prepare
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;

    // Act
    const error = errorOf(() => parseJsonBytes(bytes));

    // Assess
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).toStrictEqual(errorOf(() => parsedAsText(bytes)));
  });

  it('reads a view into a larger buffer by its own bytes only', () => {
    // Prepare
    const whole = Buffer.from('xx[1,2,3]yy');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, 7);

    // Act
    const parsed = parseJsonBytes(view);

    // Assess
    expect(parsed).toStrictEqual([1, 2, 3]);
  });
});
