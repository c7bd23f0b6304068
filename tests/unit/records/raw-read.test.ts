import type { z } from 'zod';
import {
  cleanRecord,
  GEO_RAW_FIELDS,
  type Kind,
  PIN_RAW_FIELDS,
  USER_RAW_FIELDS,
} from '../../../libs/records';
import { type RawObject, readGeoFields, readPinFields, readUserFields } from '../../../libs/records/raw-read';

const META = { source: 'test', ingestedAt: new Date(0) };

/** Values a field may carry, well-formed or not, including every type boundary the schemas draw. */
const CANDIDATES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'text',
  '26k',
  '2020-08-28 03:52:47',
  0,
  -0,
  1,
  -1,
  1.5,
  20,
  89.9,
  90,
  90.0001,
  -90,
  -180,
  180,
  180.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 53,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  true,
  false,
  [],
  [1],
  {},
  { a: 1 },
];

const VALID: { [K in Kind]: RawObject } = {
  pin: { index: 1, unique_id: 'u', title: 't', follower_count: '1k', category: 'art' },
  geo: { ind: 1, latitude: 1, longitude: 2, country: 'Chad', timestamp: '2020-01-01 00:00:00' },
  user: { ind: 1, first_name: 'A', last_name: 'B', age: 20, date_joined: '2016-01-01 00:00:00' },
};

const FIELDS = { pin: PIN_RAW_FIELDS, geo: GEO_RAW_FIELDS, user: USER_RAW_FIELDS };
const READERS = { pin: readPinFields, geo: readGeoFields, user: readUserFields };
const ID = { pin: 'index', geo: 'ind', user: 'ind' } as const;

/** What the zod field schema makes of a value: the value when it accepts it, else null. */
const viaZod = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? (parsed.data ?? null) : null;
};

describe('the hot-path field reads', () => {
  it.each(['pin', 'geo', 'user'] as const)(
    'agree with the zod %s schema on every field and value',
    (kind) => {
      // Prepare
      const fields = Object.entries(FIELDS[kind]).filter(
        ([name]) => name !== ID[kind] && name !== 'downloaded',
      );
      const cases = fields.flatMap(([name, schema]) => CANDIDATES.map((value) => ({ name, schema, value })));

      // Act
      const fast = cases.map(({ name, value }) => {
        const read = READERS[kind]({ ...VALID[kind], [name]: value }, 1) as unknown as RawObject;
        return [name, value, read[name]];
      });

      // Assess
      const expected = cases.map(({ name, schema, value }) => [name, value, viaZod(schema, value)]);
      expect(fast).toStrictEqual(expected);
      expect(cases.length).toBeGreaterThan(100);
    },
  );

  it.each(['pin', 'geo', 'user'] as const)('accept exactly the %s ids the zod schema accepts', (kind) => {
    // Prepare
    const idSchema = FIELDS[kind][ID[kind] as keyof (typeof FIELDS)[typeof kind]] as z.ZodType;

    // Act
    const accepted = CANDIDATES.map(
      (value) => cleanRecord(kind, { ...VALID[kind], [ID[kind]]: value }, META).ok,
    );

    // Assess
    expect(accepted).toStrictEqual(CANDIDATES.map((value) => idSchema.safeParse(value).success));
  });
});
