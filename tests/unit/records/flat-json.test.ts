/**
 * The flat record reader against JSON.parse: on the real samples, on generated records of every shape
 * near the one it takes (odd numbers, escapes, whitespace, other keys, nesting) and on byte-level
 * mutations of them, whatever it reads must equal what JSON.parse gives, and cleaning through it
 * (cleanAsciiRecord) must equal cleaning the text (cleanRecordText) on every record, read or not.
 */
import { cleanAsciiRecord, cleanRecordText, type Kind } from '../../../libs/records';
import { FLAT_READERS } from '../../../libs/records/clean-record';
import { FlatRecordReader } from '../../../libs/records/flat-json';
import { seededRandom } from '../../helpers/random';
import { loadConsumerRecords } from './samples';

const KEYS = {
  geo: ['ind', 'timestamp', 'latitude', 'longitude', 'country'],
  user: ['ind', 'first_name', 'last_name', 'age', 'date_joined'],
} as const;

/** The readers cleaning uses, tested as they are (their build functions included). */
const readers = { geo: FLAT_READERS.geo!, user: FLAT_READERS.user! };

const meta = () => ({
  source: '49656828193450211357423096251247349155938093436617760001',
  ingestedAt: new Date(1_763_806_530_125),
});

/** The record placed in the middle of other bytes, as in a decoded batch, and a text that starts before it. */
const embed = (record: string, random: () => number) => {
  const before = `${'}"'.repeat(Math.floor(random() * 3))}{"x":"`;
  const after = '"},{"ind":1}'.slice(0, Math.floor(random() * 12));
  const whole = before + record + after;
  const textStart = Math.floor(random() * before.length);
  return {
    bytes: Buffer.from(whole, 'latin1'),
    start: before.length,
    end: before.length + record.length,
    text: whole.slice(textStart),
    textStart,
  };
};

/** What JSON.parse gives, or undefined when it throws. */
const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Checks one ASCII record both ways; returns whether the reader took it. */
const check = (kind: keyof typeof KEYS, record: string, random: () => number): boolean => {
  const { bytes, start, end, text, textStart } = embed(record, random);
  const read = readers[kind].read(bytes, start, end, text, textStart);
  if (read !== undefined) {
    const expected = parsed(record) as Record<string, unknown>;
    expect(typeof expected).toBe('object');
    for (const key of KEYS[kind]) {
      // Object.is: -0 and 0 must not be mixed up.
      if (!Object.is(read[key], expected[key])) {
        throw new Error(
          `${record}: ${key} read as ${String(read[key])}, JSON.parse gives ${String(expected[key])}`,
        );
      }
    }
    expect(Object.keys(expected).every((key) => (KEYS[kind] as readonly string[]).includes(key))).toBe(true);
  }
  expect(cleanAsciiRecord(kind, bytes, start, end, text, textStart, meta())).toStrictEqual(
    cleanRecordText(kind, record, record.length, meta()),
  );
  return read !== undefined;
};

describe('FlatRecordReader', () => {
  it.each(['geo', 'user'] as const)('reads every real %s sample of its shape as JSON.parse does', (kind) => {
    const random = seededRandom(1);
    const samples = loadConsumerRecords(kind).map((r) => JSON.stringify(r.value));
    // Python's json.dumps spacing too, as the seed's emulator sends it.
    const spaced = samples.map((s) => JSON.stringify(JSON.parse(s), null, 1).replace(/\n */g, ' '));
    let taken = 0;
    for (const record of [...samples, ...spaced]) {
      // The topic's strays (records of another kind) and non-ASCII or escaped text are JSON.parse's.
      const own =
        /^[\x20-\x7e]*$/.test(record) &&
        !record.includes('\\') &&
        Object.keys(JSON.parse(record)).every((key) => (KEYS[kind] as readonly string[]).includes(key));
      expect(check(kind, record, random)).toBe(own);
      if (own) taken++;
    }
    expect(taken).toBeGreaterThan(samples.length * 1.8);
  });

  it('takes the places of the keys from the build function, and refuses one that leaves a place out', () => {
    const reader = new FlatRecordReader((v) => ({ b: v[1], a: v[0] }));
    const bytes = Buffer.from('{"a":1,"b":"x"}');
    expect(reader.read(bytes, 0, bytes.length, bytes.toString('latin1'), 0)).toStrictEqual({ b: 'x', a: 1 });
    expect(() => new FlatRecordReader((v) => ({ a: v[0], c: v[2] }))).toThrow(/place 1/);
    expect(() => new FlatRecordReader((v) => ({ a: v[0], b: v[0] }))).toThrow(/key b has no place/);
    expect(() => new FlatRecordReader(() => ({ a: 'x' }))).toThrow(/key a has no place/);
  });

  it('leaves a record with bytes above 0x7F to JSON.parse, though its callers never give it one', () => {
    const bytes = Buffer.from('{"ind":1,"country":"Café"}');
    expect(readers.geo.read(bytes, 0, bytes.length, bytes.toString('latin1'), 0)).toBeUndefined();
  });

  it.each([
    ['{}', true],
    ['{ }', true],
    ['{"ind": -0}', true],
    ['{"ind":0.5e1}', true],
    ['{"ind":1E+2,"age":null}', true],
    ['{"ind":12345678901234567890123}', true],
    ['{"ind":1.00000000000000011102230246251565404236316680908203125}', true],
    ['{"ind":0.1,"age":1e-7}', true],
    ['{"ind":01}', false],
    ['{"ind":1.}', false],
    ['{"ind":.5}', false],
    ['{"ind":-}', false],
    ['{"ind":1e}', false],
    ['{"ind":+1}', false],
    ['{"ind":1,}', false],
    ['{"ind":1}}', false],
    ['{"ind":1} ', false],
    [' {"ind":1}', false],
    ['{"ind"\t:1}', false],
    ['{"ind":1,"ind":2}', false],
    ['{"ind":null,"ind":2}', false],
    ['{"first_name":"a\\"b"}', false],
    ['{"first_name":"a\u0001b"}', false],
    ['{"first_name":"a\u007fb"}', true],
    ['{"first_name":"abc}', false],
    ['{"first_name":nul}', false],
    ['{"first_name":true}', false],
    ['{"first_name":{}}', false],
    ['{"first_name":[]}', false],
    ['{"__proto__":1}', false],
    ['"{\\"ind\\":1}"', false],
    ['[]', false],
  ])('on %s takes it: %s', (record, taken) => {
    expect(check('user', record, seededRandom(2))).toBe(taken);
  });

  it.each(['geo', 'user'] as const)(
    'agrees with JSON.parse on 20,000 generated %s records and their mutations',
    (kind) => {
      const random = seededRandom(kind === 'geo' ? 3 : 4);
      const chance = (p: number) => random() < p;
      const pick = <T>(items: readonly T[] | string): T => items[Math.floor(random() * items.length)] as T;
      const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
      const number = (): string => {
        const sign = chance(0.3) ? '-' : '';
        const whole = chance(0.2)
          ? '0'
          : `${1 + Math.floor(random() * 9)}${digits(Math.floor(random() * 20))}`;
        const fraction = chance(0.5) ? `.${digits(1 + Math.floor(random() * 25))}` : '';
        const exponent = chance(0.15)
          ? `${pick(['e', 'E'])}${pick(['', '+', '-'])}${digits(1 + Math.floor(random() * 3))}`
          : '';
        return sign + whole + fraction + exponent;
      };
      const stringChars = ' abcxyzAZ09-:./,{}[]"\\\u0000\u001f\u007f';
      const string = (): string => {
        const length = Math.floor(random() * 30);
        let text = '';
        for (let i = 0; i < length; i++) {
          const c = chance(0.9) ? pick('abcdefghij 0123456789:-') : pick(stringChars);
          text += c === '"' || c === '\\' ? (chance(0.5) ? `\\${c}` : c) : c;
        }
        return `"${text}"`;
      };
      // Near the common timestamp form, which the reader also parses from the bytes: fields in and out of
      // range (month 13, 30 February, hour 24), other separators, a character too few or too many.
      const timestamp = (): string => {
        const two = (max: number) => String(Math.floor(random() * max)).padStart(2, '0');
        const text = `${digits(4)}${pick('--:/')}${two(14)}-${two(32)}${pick('  TTt_')}${two(25)}:${two(61)}${pick('::.')}${two(61)}`;
        return `"${chance(0.1) ? text.slice(1) : chance(0.1) ? `${text}Z` : text}"`;
      };
      const value = (): string =>
        pick([
          number,
          number,
          string,
          string,
          timestamp,
          timestamp,
          () => 'null',
          () => pick(['true', 'false', '{}', '[1]', '{"a":1}', 'nul', '"2020-08-28 03:52:47"']),
          () => String(Math.floor(random() * 100_000)),
        ])();
      const space = () =>
        chance(0.7) ? '' : chance(0.8) ? ' '.repeat(1 + Math.floor(random() * 2)) : pick(['\t', '\n', '\r']);
      const keys = [...KEYS[kind], 'index', 'title', 'ind ', 'x'];
      let taken = 0;
      for (let n = 0; n < 20_000; n++) {
        const count = Math.floor(random() * 7);
        const pairs: string[] = [];
        for (let p = 0; p < count; p++) {
          const key = chance(0.9) ? pick(KEYS[kind]) : pick(keys);
          pairs.push(`${space()}"${key}"${space()}:${space()}${value()}${space()}`);
        }
        let record = `{${pairs.join(',')}${space()}}`;
        if (chance(0.2)) {
          // A byte deleted, replaced or inserted.
          const at = Math.floor(random() * record.length);
          const byte = pick('{}[]",:. 0123456789-eE\\nult');
          record = pick([
            () => record.slice(0, at) + record.slice(at + 1),
            () => record.slice(0, at) + byte + record.slice(at + 1),
            () => record.slice(0, at) + byte + record.slice(at),
          ])();
        }
        if (check(kind, record, random)) taken++;
      }
      // The generator must reach the reader often, or this test would prove nothing.
      expect(taken).toBeGreaterThan(4_000);
    },
  );
});

describe('FlatRecordReader timestamps', () => {
  it.each([
    ['geo', '{"ind":1,"timestamp":"2020-08-28 03:52:47","country":"Chad"}', Date.UTC(2020, 7, 28, 3, 52, 47)],
    ['geo', '{"ind":1,"timestamp":"2020-08-28T03:52:47","country":"Chad"}', Date.UTC(2020, 7, 28, 3, 52, 47)],
    ['user', '{"ind":1,"date_joined":"2016-02-29 00:00:00"}', Date.UTC(2016, 1, 29)],
    ['user', '{"ind":1,"date_joined":"2015-02-29 00:00:00"}', Number.NaN],
    ['user', '{"ind":1,"date_joined":"2016-02-29T00:00:00Z"}', Number.NaN],
    ['geo', '{"ind":1,"timestamp":1598586767}', Number.NaN],
    ['geo', '{"ind":1,"country":"2020-08-28 03:52:47"}', Number.NaN],
  ] as const)(
    'reads the %s timestamp of %s from its bytes as %d (NaN: left to parseTimestamp)',
    (kind, record, ms) => {
      // Prepare: a record with a timestamp read first, so a value left over would show.
      const reader = readers[kind];
      const earlier = `{"ind":2,"${KEYS[kind][kind === 'geo' ? 1 : 4]}":"2001-01-01 00:00:00"}`;
      expect(reader.read(Buffer.from(earlier), 0, earlier.length, earlier, 0)).toBeDefined();
      expect(reader.timestampMs).toBe(Date.UTC(2001, 0, 1));
      const bytes = Buffer.from(record, 'latin1');

      // Act
      const read = reader.read(bytes, 0, bytes.length, record, 0);

      // Assess
      expect(read).toBeDefined();
      expect(reader.timestampMs).toBe(ms);
    },
  );
});

describe('cleanAsciiRecord', () => {
  it.each(['geo', 'user'] as const)(
    'cleans %s records of the usual shape as the text is cleaned, whatever their timestamp (read from the bytes)',
    (kind) => {
      // Prepare: every field present, the timestamp near the common form, in range or not.
      const random = seededRandom(kind === 'geo' ? 5 : 6);
      const pick = (chars: string) => chars[Math.floor(random() * chars.length)]!;
      const two = (max: number) => String(Math.floor(random() * max)).padStart(2, '0');
      const records = Array.from({ length: 5_000 }, (_, n) => {
        const time = `${1990 + Math.floor(random() * 40)}-${two(14)}-${two(32)}${pick('  Tt_')}${two(25)}:${two(61)}${pick('::.')}${two(61)}`;
        return kind === 'geo'
          ? `{"ind":${n},"timestamp":"${time}","latitude":-12.5,"longitude":101.25,"country":"Chad"}`
          : `{"ind":${n},"first_name":"Ann","last_name":"Lee","age":30,"date_joined":"${time}"}`;
      });

      // Act
      const taken = records.filter((record) => check(kind, record, random)).length;

      // Assess
      expect(taken).toBe(records.length);
    },
  );

  it.each(['pin', 'geo', 'user'] as Kind[])(
    'cleans a %s record too large to read by its length alone',
    (kind) => {
      const record = `{"ind":1,"country":"${'x'.repeat(8 * 1024 * 1024)}"}`;
      const bytes = Buffer.from(record, 'latin1');
      const result = cleanAsciiRecord(kind, bytes, 0, bytes.length, record, 0, meta());
      expect(result).toStrictEqual({ ok: false, reason: expect.stringMatching(/^too large: /) });
    },
  );
});
