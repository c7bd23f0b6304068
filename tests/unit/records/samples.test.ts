import { cleanRecord, GeoRawSchema, type Kind, PinRawSchema, UserRawSchema } from '../../../libs/records';
import { loadConsumerRecords, loadOlderPins } from './samples';

const META = { source: 'kafka:sample:0:0', ingestedAt: new Date('2023-12-20T00:00:00Z') };
const SCHEMAS = { pin: PinRawSchema, geo: GeoRawSchema, user: UserRawSchema };

const quarantinedOf = (kind: Kind, values: unknown[]) =>
  values.flatMap((value) => {
    const result = cleanRecord(kind, Buffer.from(JSON.stringify(value)), META);
    return result.ok ? [] : [result.reason];
  });

describe('the real sample records', () => {
  it.each(['pin', 'geo'] as const)(
    'clean every %s record of the consumer dump without quarantine',
    (kind) => {
      // Prepare
      const values = loadConsumerRecords(kind).map((r) => r.value);

      // Act
      const quarantined = quarantinedOf(kind, values);

      // Assess
      expect(values.length).toBeGreaterThan(40);
      expect(quarantined).toStrictEqual([]);
    },
  );

  it('clean every user record of the user dump and quarantine the stray pin and geo as the wrong kind', () => {
    // Prepare
    const values = loadConsumerRecords('user').map((r) => r.value);

    // Act
    const quarantined = quarantinedOf('user', values);

    // Assess
    expect(values).toHaveLength(82);
    expect(quarantined).toStrictEqual([
      'wrong kind: expected a user record, found pin fields index, unique_id, title, description, poster_name, follower_count, tag_list, is_image_or_video, image_src, downloaded, save_location, category',
      'wrong kind: expected a user record, found geo fields timestamp, latitude, longitude, country',
    ]);
  });

  it('clean all 200 pins of the older schema without quarantine', () => {
    // Prepare
    const values = loadOlderPins();

    // Act
    const quarantined = quarantinedOf('pin', values);

    // Assess
    expect(values).toHaveLength(200);
    expect(quarantined).toStrictEqual([]);
  });

  it('all match the documented raw schemas, and no usable field is nulled by its type', () => {
    // Prepare
    const byKind = {
      pin: [...loadConsumerRecords('pin').map((r) => r.value), ...loadOlderPins()],
      geo: loadConsumerRecords('geo').map((r) => r.value),
      user: loadConsumerRecords('user')
        .map((r) => r.value)
        .filter((value) => 'first_name' in value),
    };

    // Act
    const rejected = (['pin', 'geo', 'user'] as const).flatMap((kind) =>
      byKind[kind].filter((value) => !SCHEMAS[kind].safeParse(value).success),
    );

    // Assess
    expect(rejected).toStrictEqual([]);
  });

  it('convert every follower_count form in the samples and parse every timestamp', () => {
    // Prepare
    const pins = [...loadConsumerRecords('pin').map((r) => r.value), ...loadOlderPins()];
    const geos = loadConsumerRecords('geo').map((r) => r.value);
    const users = loadConsumerRecords('user')
      .map((r) => r.value)
      .filter((value) => 'first_name' in value);

    // Act
    const nulled = [
      ...pins.flatMap((value) => {
        const result = cleanRecord('pin', value, META);
        return result.ok ? result.nulled : ['quarantined'];
      }),
      ...[
        ...geos.map((v) => cleanRecord('geo', v, META)),
        ...users.map((v) => cleanRecord('user', v, META)),
      ].flatMap((result) => (result.ok ? result.nulled : ['quarantined'])),
    ];

    // Assess: only placeholders are nulled; counted by hand from the files.
    const counts = Object.fromEntries(
      [...new Set(nulled)].map((name) => [name, nulled.filter((n) => n === name).length]),
    );
    expect(counts).toStrictEqual({
      title: 4,
      description: 19,
      follower_count: 4,
      poster_name: 1,
      tag_list: 7,
      image_src: 5,
    });
  });
});
