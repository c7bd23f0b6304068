import { parseTimestamp } from '../../../libs/records';
import { parseCommonTimestamp } from '../../../libs/records/timestamps';
import { seededRandom } from '../../helpers/random';

describe('parseTimestamp', () => {
  it.each([
    ['2020-08-28 03:52:47', '2020-08-28T03:52:47.000Z'],
    ['2020-08-28T03:52:47', '2020-08-28T03:52:47.000Z'],
    ['2020-08-28T03:52:47Z', '2020-08-28T03:52:47.000Z'],
    ['2020-08-28t03:52:47z', '2020-08-28T03:52:47.000Z'],
    ['2020-08-28T03:52:47.123456Z', '2020-08-28T03:52:47.123Z'],
    ['2020-08-28 03:52:47.9', '2020-08-28T03:52:47.900Z'],
    ['2020-08-28T03:52:47+02:00', '2020-08-28T01:52:47.000Z'],
    ['2020-08-28T03:52:47-0530', '2020-08-28T09:22:47.000Z'],
    ['2020-08-28T03:52:47+01', '2020-08-28T02:52:47.000Z'],
    ['2020-08-28T03:52', '2020-08-28T03:52:00.000Z'],
    ['2020-08-28', '2020-08-28T00:00:00.000Z'],
    ['2020-01-01T00:30:00+01:00', '2019-12-31T23:30:00.000Z'],
    ['0099-03-01 00:00:00', '0099-03-01T00:00:00.000Z'],
    ['0004-02-29 12:00:00', '0004-02-29T12:00:00.000Z'],
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59', '9999-12-31T23:59:59.000Z'],
    ['08/28/2020, 03:52:47', '2020-08-28T03:52:47.000Z'],
    ['2020:08:28 03:52:47', '2020-08-28T03:52:47.000Z'],
    [1_598_586_767, '2020-08-28T03:52:47.000Z'],
    [1_598_586_767_250, '2020-08-28T03:52:47.250Z'],
    [0, '1970-01-01T00:00:00.000Z'],
  ])('reads %p as %s', (raw, iso) => {
    // Act
    const date = parseTimestamp(raw);

    // Assess
    expect(date?.toISOString()).toBe(iso);
  });

  it.each([
    '2020-13-01 00:00:00',
    '2021-02-29 00:00:00',
    '2020-04-31 00:00:00',
    '2020-08-28 24:00:00',
    '2020-08-28 03:60:00',
    '2020-08-28 03:52:60',
    '2020-08-28 03:52:47+25:00',
    '2020-08-28 03:52:47 UTC',
    '2020-08-28 03:5',
    '2020-08-28T03:52:47.',
    '2020/08/28 03:52:47',
    '2020:08:28',
    '28-08-2020 03:52:47',
    'datetime.datetime(2020, 8, 28, 3, 52, 47)',
    '',
    'x'.repeat(1000),
    '0000-01-01 00:00:00',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e20,
    null,
    true,
    { at: '2020-08-28' },
  ])('returns null for %p', (raw) => {
    // Act
    const date = parseTimestamp(raw);

    // Assess
    expect(date).toBeNull();
  });

  it('agrees with Date on every 173rd day and hour from year 1 to 9999, as text with and without T', () => {
    // Prepare
    const step = 173 * 86_400_000 + 3_600_000 + 61_000;
    const instants: number[] = [];
    for (
      let ms = Date.UTC(2001, 0, 1) - 2000 * 365.2425 * 86_400_000;
      ms < Date.UTC(9999, 11, 1);
      ms += step
    ) {
      instants.push(Math.floor(ms / 1000) * 1000);
    }

    // Act
    const mismatched = instants.filter((ms) => {
      const iso = new Date(ms).toISOString().slice(0, 19);
      return parseTimestamp(iso)?.getTime() !== ms || parseTimestamp(iso.replace('T', ' '))?.getTime() !== ms;
    });

    // Assess
    expect(instants.length).toBeGreaterThan(20_000);
    expect(mismatched).toStrictEqual([]);
  });
});

describe('parseCommonTimestamp', () => {
  it('reads every valid text of the common form as parseTimestamp does, and leaves every other text to it', () => {
    // Prepare: texts near `YYYY-MM-DD HH:MM:SS`, fields in and out of range, odd separators and lengths.
    const random = seededRandom(19);
    const pick = (chars: string) => chars[Math.floor(random() * chars.length)]!;
    const two = (max: number) => String(Math.floor(random() * max)).padStart(2, '0');
    const texts = [
      '2020-02-29 23:59:59',
      '2021-02-29 00:00:00',
      '1900-02-29 00:00:00',
      '0000-01-01 00:00:00',
    ];
    for (let n = 0; n < 50_000; n++) {
      const year = random() < 0.9 ? String(1990 + Math.floor(random() * 40)) : two(100) + two(100);
      const text = `${year}${pick('--:')}${two(14)}-${two(32)}${pick(' T tx')}${two(26)}:${two(62)}${pick('::.')}${two(62)}`;
      texts.push(random() < 0.05 ? `${text.slice(0, 12)}${pick('a/ ')}${text.slice(13)}` : text);
    }
    texts.push('2020-08-28 03:52', '2020-08-28 03:52:47Z', '2020-08-28 03:52:47.5', '2020-08-28T03:52:4');
    const commonForm = /^\d{4}-\d\d-\d\d[ Tt]\d\d:\d\d:\d\d$/;

    // Act
    const wrong = texts.filter((text) => {
      // In the middle of other bytes, as in a record.
      const fromBytes = parseCommonTimestamp(Buffer.from(`{"t":"${text}"}`, 'latin1'), 6, 6 + text.length);
      const expected = parseTimestamp(text)?.getTime();
      if (commonForm.test(text) && expected !== undefined) return fromBytes !== expected;
      return !Number.isNaN(fromBytes);
    });

    // Assess
    expect(wrong).toStrictEqual([]);
    expect(
      texts.filter((text) => commonForm.test(text) && parseTimestamp(text) !== null).length,
    ).toBeGreaterThan(10_000);
  });
});
