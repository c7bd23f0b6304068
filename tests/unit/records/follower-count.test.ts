import { parseFollowerCount } from '../../../libs/records';

describe('parseFollowerCount', () => {
  it('reads every accepted form exactly, including decimals that floating point would round', () => {
    // Prepare
    const inputs = ['1.1k', '0.5k', '1.50k', '1.2K', '2m', '1.000001M', '4.2b', '007', '9007199254740991', 0];

    // Act
    const counts = inputs.map(parseFollowerCount);

    // Assess
    expect(counts).toStrictEqual([
      1100,
      500,
      1500,
      1200,
      2_000_000,
      1_000_001,
      4_200_000_000,
      7,
      2 ** 53 - 1,
      0,
    ]);
  });

  it('returns null past 2^53 - 1, for fractions finer than the suffix and for other garbage', () => {
    // Prepare
    const inputs = [
      '9007199254740992',
      '9999999B',
      '1.0000001M',
      '1.k',
      '.5k',
      '1e3',
      '1 000',
      '0x10',
      'NaN',
      2 ** 53,
    ];

    // Act
    const counts = inputs.map(parseFollowerCount);

    // Assess
    expect(counts).toStrictEqual(inputs.map(() => null));
  });
});
