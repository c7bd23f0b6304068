import { cleanGeo, cleanRecord, cleanUser } from '../../../libs/records';

const META = {
  source: 'kinesis:streaming-pinlake-geo:shardId-000000000000:4960',
  ingestedAt: new Date(1e12),
};
const TRACE = { source: META.source, ingested_at: new Date(1e12) };

describe('cleanGeo', () => {
  it('turns latitude and longitude into coordinates and the timestamp text into a UTC date', () => {
    // Prepare: the first geo record of the seed's consumer dump.
    const raw = {
      ind: 7528,
      latitude: -89.9787,
      longitude: -173.293,
      country: 'Albania',
      timestamp: '2020-08-28 03:52:47',
    };

    // Act
    const result = cleanGeo(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
        ind: 7528,
        country: 'Albania',
        coordinates: [-89.9787, -173.293],
        timestamp: new Date('2020-08-28T03:52:47Z'),
        ...TRACE,
      },
      nulled: [],
    });
  });

  it('reads an ISO timestamp with an offset and an epoch in seconds as the same instant', () => {
    // Prepare
    const iso = {
      ind: 2863,
      latitude: -5.34445,
      longitude: -177.924,
      country: 'Armenia',
      timestamp: '2020-04-27T15:13:36.5+02:00',
    };
    const epoch = { ...iso, timestamp: 1_587_993_216.5 };

    // Act
    const results = [cleanGeo(iso, META), cleanRecord('geo', Buffer.from(JSON.stringify(epoch)), META)];

    // Assess
    const row = {
      ind: 2863,
      country: 'Armenia',
      coordinates: [-5.34445, -177.924],
      timestamp: new Date('2020-04-27T13:13:36.500Z'),
      ...TRACE,
    };
    expect(results).toStrictEqual([
      { ok: true, row, nulled: [] },
      { ok: true, row, nulled: [] },
    ]);
  });

  it('nulls coordinates when a coordinate is missing or out of range, and an unreadable timestamp', () => {
    // Prepare
    const missing = { ind: 1, latitude: 10.5, country: 'Chad', timestamp: '28/08/2020' };
    const outOfRange = { ind: 2, latitude: 91, longitude: 0, country: ' ', timestamp: null };

    // Act
    const results = [cleanGeo(missing, META), cleanGeo(outOfRange, META)];

    // Assess
    expect(results).toStrictEqual([
      {
        ok: true,
        row: { ind: 1, country: 'Chad', coordinates: null, timestamp: null, ...TRACE },
        nulled: ['coordinates', 'timestamp'],
      },
      {
        ok: true,
        row: { ind: 2, country: null, coordinates: null, timestamp: null, ...TRACE },
        nulled: ['country', 'coordinates'],
      },
    ]);
  });
});

describe('cleanUser', () => {
  it('joins first and last name, keeps the age and reads date_joined as UTC', () => {
    // Prepare: the first user record of the seed's consumer dump.
    const raw = {
      ind: 7528,
      first_name: 'Abigail',
      last_name: 'Ali',
      age: 20,
      date_joined: '2015-10-24 11:23:51',
    };

    // Act
    const result = cleanUser(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
        ind: 7528,
        user_name: 'Abigail Ali',
        age: 20,
        date_joined: new Date('2015-10-24T11:23:51Z'),
        ...TRACE,
      },
      nulled: [],
    });
  });

  it('uses one name alone when the other is missing or blank, and the seed outlier date formats', () => {
    // Prepare
    const firstOnly = { ind: 3, first_name: 'Dylan', age: 32, date_joined: '10/24/2015, 11:23:51' };
    const lastOnly = {
      ind: 4,
      first_name: '  ',
      last_name: 'Holmes',
      age: 41,
      date_joined: '2016:02:29 00:00:01',
    };

    // Act
    const results = [cleanUser(firstOnly, META), cleanUser(lastOnly, META)];

    // Assess
    expect(results).toStrictEqual([
      {
        ok: true,
        row: { ind: 3, user_name: 'Dylan', age: 32, date_joined: new Date('2015-10-24T11:23:51Z'), ...TRACE },
        nulled: [],
      },
      {
        ok: true,
        row: {
          ind: 4,
          user_name: 'Holmes',
          age: 41,
          date_joined: new Date('2016-02-29T00:00:01Z'),
          ...TRACE,
        },
        nulled: [],
      },
    ]);
  });

  it('nulls a user name when both parts are unusable, a non-integer age and an impossible date', () => {
    // Prepare
    const raw = { ind: 5, first_name: '', last_name: 7, age: 20.5, date_joined: '2017-02-29 10:00:00' };

    // Act
    const result = cleanUser(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: { ind: 5, user_name: null, age: null, date_joined: null, ...TRACE },
      nulled: ['user_name', 'age', 'date_joined'],
    });
  });
});
