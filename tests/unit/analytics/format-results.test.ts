import { formatResults, groupThousands, type QueryResult } from '../../../libs/analytics';

const TOP_USERS: QueryResult = {
  id: 'top_user_by_country',
  columns: ['country', 'poster_name', 'follower_count'],
  rows: [
    { country: 'Åland Islands', poster_name: null, follower_count: 12 },
    { country: 'Chad', poster_name: 'line\nbreak', follower_count: 9_007_199_254_740_993n },
  ],
};

const JOINED: QueryResult = {
  id: 'users_joined_by_year',
  columns: ['post_year', 'number_users_joined'],
  rows: [],
};

describe('Function: groupThousands()', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [-1234567, '-1,234,567'],
    [5000.5, '5,000.5'],
    [12345678901234567890n, '12,345,678,901,234,567,890'],
  ])('writes %p as %p', (value, expected) => {
    // Act
    const text = groupThousands(value);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('Function: formatResults()', () => {
  it('aligns a table by characters, numbers to the right, null cells empty and line breaks as spaces', () => {
    // Act
    const text = formatResults([TOP_USERS], 'table');

    // Assess
    expect(text).toBe(
      [
        'country        poster_name         follower_count',
        '-------------  -----------  ---------------------',
        'Åland Islands                                  12',
        'Chad           line break   9,007,199,254,740,993',
        '',
      ].join('\n'),
    );
  });

  it('quotes line breaks in CSV, writes null as an empty field and prints several results under their ids', () => {
    // Act
    const text = formatResults([TOP_USERS, JOINED], 'csv');

    // Assess
    expect(text).toBe(
      [
        '# top_user_by_country',
        'country,poster_name,follower_count',
        'Åland Islands,,12',
        'Chad,"line\nbreak",9007199254740993',
        '',
        '# users_joined_by_year',
        'post_year,number_users_joined',
        '',
      ].join('\n'),
    );
  });

  it('writes JSON keyed by id, with longs beyond 2^53 as strings', () => {
    // Act
    const text = formatResults([TOP_USERS, JOINED], 'json');

    // Assess
    expect(JSON.parse(text)).toStrictEqual({
      top_user_by_country: [
        { country: 'Åland Islands', poster_name: null, follower_count: 12 },
        { country: 'Chad', poster_name: 'line\nbreak', follower_count: '9007199254740993' },
      ],
      users_joined_by_year: [],
    });
  });
});
