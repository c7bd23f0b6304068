import {
  cleanRecord,
  MAX_RECORD_BYTES,
  MAX_TEXT_LENGTH,
  parseRecordBytes,
  RecordParseError,
} from '../../../libs/records';

const META = { source: 'kafka:pinlake.pin:0:9', ingestedAt: new Date('2024-01-01T00:00:00Z') };
const TRACE = { source: META.source, ingested_at: META.ingestedAt };
const bytes = (text: string) => Buffer.from(text, 'utf8');

const GEO = { ind: 9, latitude: 1.5, longitude: 2.5, country: 'Chad', timestamp: '2021-01-01 00:00:00' };
const GEO_ROW = {
  ind: 9,
  country: 'Chad',
  coordinates: [1.5, 2.5],
  timestamp: new Date('2021-01-01T00:00:00Z'),
  ...TRACE,
};

describe('cleanRecord quarantine', () => {
  it.each(['{"index": 1,', '', '\u0000', "{'index': 1}", '{"index": 1} {"index": 2}'])(
    'quarantines the bytes %p as not JSON, with the parser message',
    (text) => {
      // Act
      const result = cleanRecord('pin', bytes(text), META);

      // Assess
      expect(result).toStrictEqual({ ok: false, reason: expect.stringMatching(/^not JSON: \S/) });
    },
  );

  it.each([
    ['null', 'not an object: the pin record is null'],
    ['42', 'not an object: the pin record is 42'],
    ['[{"index":1}]', 'not an object: the pin record is an array of 1'],
    ['"hello"', 'not an object: the pin record is "hello"'],
    ['"{oops"', 'not an object: a string that is not an encoded JSON object: "{oops"'],
    ['true', 'not an object: the pin record is true'],
  ])('quarantines %s as not an object', (text, reason) => {
    // Act
    const result = cleanRecord('pin', bytes(text), META);

    // Assess
    expect(result).toStrictEqual({ ok: false, reason });
  });

  it.each([
    [{ unique_id: 'u' }, 'missing id: the pin record has no "index"'],
    [{ index: null, title: 't' }, 'missing id: the pin record has no "index"'],
    [{ index: '7528', title: 't' }, 'non-integer id: the pin record\'s "index" is "7528"'],
    [{ index: 1.5, title: 't' }, 'non-integer id: the pin record\'s "index" is 1.5'],
    [{ index: 2 ** 53, title: 't' }, 'non-integer id: the pin record\'s "index" is 9007199254740992'],
    [{ index: { n: 1 }, title: 't' }, 'non-integer id: the pin record\'s "index" is an object'],
  ])('quarantines the pin %p for its id', (value, reason) => {
    // Act
    const result = cleanRecord('pin', bytes(JSON.stringify(value)), META);

    // Assess
    expect(result).toStrictEqual({ ok: false, reason });
  });

  it('quarantines a geo record with ind but no integer, and a pin that uses ind instead of index', () => {
    // Act
    const results = [
      cleanRecord('geo', { ...GEO, ind: 'nine' }, META),
      cleanRecord('pin', { ind: 3, title: 'x' }, META),
    ];

    // Assess
    expect(results).toStrictEqual([
      { ok: false, reason: 'non-integer id: the geo record\'s "ind" is "nine"' },
      { ok: false, reason: 'missing id: the pin record has no "index"' },
    ]);
  });

  it.each([
    [
      'pin',
      GEO,
      'wrong kind: expected a pin record, found geo fields timestamp, latitude, longitude, country',
    ],
    [
      'user',
      GEO,
      'wrong kind: expected a user record, found geo fields timestamp, latitude, longitude, country',
    ],
    [
      'geo',
      { ind: 1, first_name: 'A', age: 3 },
      'wrong kind: expected a geo record, found user fields first_name, age',
    ],
    ['geo', { ind: 1 }, 'wrong kind: expected a geo record, found none of the geo fields'],
    ['user', {}, 'wrong kind: expected a user record, found none of the user fields'],
    ['pin', { index: 1, country: 'Chad' }, 'wrong kind: expected a pin record, found geo fields country'],
    [
      'user',
      { ind: 1, first_name: 'A', latitude: 1, longitude: 2, country: 'Chad' },
      'wrong kind: expected a user record, found geo fields latitude, longitude, country',
    ],
  ] as const)('quarantines a record on the %s stream that is of another kind: %p', (kind, value, reason) => {
    // Act
    const result = cleanRecord(kind, value, META);

    // Assess
    expect(result).toStrictEqual({ ok: false, reason });
  });

  it('cleans a whole record that carries a stray field of another kind, ignoring that field', () => {
    // Act
    const result = cleanRecord(
      'user',
      {
        ind: 7528,
        first_name: 'Abigail',
        last_name: 'Ali',
        age: 20,
        date_joined: '2015-10-24 11:23:51',
        latitude: 1,
      },
      META,
    );

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
        ind: 7528,
        user_name: 'Abigail Ali',
        age: 20,
        date_joined: new Date(Date.UTC(2015, 9, 24, 11, 23, 51)),
        source: META.source,
        ingested_at: META.ingestedAt,
      },
      nulled: [],
    });
  });

  it('quarantines records larger than the byte limit without parsing them', () => {
    // Prepare
    const huge = Buffer.alloc(MAX_RECORD_BYTES + 1, 0x20);

    // Act
    const result = cleanRecord('geo', huge, META);

    // Assess
    expect(result).toStrictEqual({
      ok: false,
      reason: `too large: ${MAX_RECORD_BYTES + 1} bytes, the limit is 8388608`,
    });
  });
});

describe('cleanRecord hard limits on fields', () => {
  it('nulls a 1 MB string field and keeps one of exactly the maximum length', () => {
    // Prepare
    const longest = 'a'.repeat(MAX_TEXT_LENGTH);
    const raw = { ...GEO, country: 'b'.repeat(1_000_000) };

    // Act
    const results = [
      cleanRecord('geo', bytes(JSON.stringify(raw)), META),
      cleanRecord('geo', bytes(JSON.stringify({ ...GEO, country: longest })), META),
    ];

    // Assess
    expect(results).toStrictEqual([
      { ok: true, row: { ...GEO_ROW, country: null }, nulled: ['country'] },
      { ok: true, row: { ...GEO_ROW, country: longest }, nulled: [] },
    ]);
  });

  it('nulls a field nested 200,000 levels deep and quarantines a record that is only nesting', () => {
    // Prepare
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const nestedField = `{"ind":9,"latitude":1.5,"longitude":2.5,"country":${deep},"timestamp":"2021-01-01 00:00:00"}`;

    // Act
    const results = [cleanRecord('geo', bytes(nestedField), META), cleanRecord('geo', bytes(deep), META)];

    // Assess
    expect(results).toStrictEqual([
      { ok: true, row: { ...GEO_ROW, country: null }, nulled: ['country'] },
      { ok: false, reason: 'not an object: the geo record is an array of 1' },
    ]);
  });

  it('replaces lone surrogates with U+FFFD and keeps NUL, emoji and non-Latin text as they are', () => {
    // Prepare: JSON escapes, so the bytes themselves are plain ASCII.
    const text =
      '{"ind":9,"latitude":1.5,"longitude":2.5,"country":"A\\ud800B\\udc00","timestamp":"2021-01-01 00:00:00"}';
    const user = { ind: 1, first_name: 'Zoë\u0000', last_name: '山田 🎨', age: 30, date_joined: null };

    // Act
    const results = [
      cleanRecord('geo', bytes(text), META),
      cleanRecord('user', bytes(JSON.stringify(user)), META),
    ];

    // Assess
    expect(results).toStrictEqual([
      { ok: true, row: { ...GEO_ROW, country: 'A\ufffdB\ufffd' }, nulled: [] },
      {
        ok: true,
        row: { ind: 1, user_name: 'Zoë\u0000 山田 🎨', age: 30, date_joined: null, ...TRACE },
        nulled: [],
      },
    ]);
  });

  it('decodes invalid UTF-8 as U+FFFD and accepts a leading byte-order mark', () => {
    // Prepare
    const invalid = Buffer.concat([bytes('{"ind":9,"country":"A'), Buffer.from([0xc3, 0x28]), bytes('"}')]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(JSON.stringify(GEO))]);

    // Act
    const results = [cleanRecord('geo', invalid, META), cleanRecord('geo', bom, META)];

    // Assess
    expect(results).toStrictEqual([
      { ok: true, row: { ...GEO_ROW, country: 'A\ufffd(', coordinates: null, timestamp: null }, nulled: [] },
      { ok: true, row: GEO_ROW, nulled: [] },
    ]);
  });

  it('decodes a double-encoded record (a JSON string holding the object) once', () => {
    // Prepare
    const doubled = bytes(JSON.stringify(JSON.stringify(GEO)));

    // Act
    const result = cleanRecord('geo', doubled, META);

    // Assess
    expect(result).toStrictEqual({ ok: true, row: GEO_ROW, nulled: [] });
  });

  it('reads a Uint8Array that is a view into a larger buffer', () => {
    // Prepare
    const batch = new TextEncoder().encode(`xx${JSON.stringify(GEO)}yy`);
    const view = batch.subarray(2, batch.length - 2);

    // Act
    const result = cleanRecord('geo', view, META);

    // Assess
    expect(result).toStrictEqual({ ok: true, row: GEO_ROW, nulled: [] });
  });
});

describe('parseRecordBytes', () => {
  it('throws a RecordParseError naming the source, with the JSON error as cause', () => {
    // Act
    const attempt = () => parseRecordBytes(bytes('{nope'), 'kafka:pinlake.geo:0:17');

    // Assess
    expect(attempt).toThrow(RecordParseError);
    expect(attempt).toThrow(/^kafka:pinlake\.geo:0:17 is not JSON: /);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });
});
