import { formatFollowers, formatTimestamp } from '../../../libs/emulator';

describe('raw value formats', () => {
  it('formats epoch seconds as the "YYYY-MM-DD HH:MM:SS" UTC text the seed emulator sends', () => {
    // Prepare
    const seconds = [0, 951782400, 1445385600, 1598586767, 1666137599, 4102444799];
    for (let s = 1445385600; s < 1666137600; s += 86400 * 3 + 3671) seconds.push(s);

    // Act
    const formatted = seconds.map(formatTimestamp);

    // Assess: the same as the Date built-in, for leap days, year ends and five years of days
    expect(formatted).toStrictEqual(
      seconds.map((s) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ')),
    );
    expect(formatTimestamp(1598586767)).toBe('2020-08-28 03:52:47');
  });

  it('writes follower counts as "M", "k" and plain digits, more followers for a smaller quantile', () => {
    // Prepare
    const quantiles = [0, 0.03, 0.0744, 0.0746, 0.3, 0.8, 0.8206, 0.8212, 0.9, 0.99999];

    // Act
    const counts = quantiles.map(formatFollowers);

    // Assess
    expect(counts).toStrictEqual(['15M', '4M', '1M', '999k', '184k', '1k', '1k', '991', '69', '0']);
  });
});
