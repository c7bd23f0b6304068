import { generatePosts, PLACEHOLDERS, type Post } from '../../../libs/emulator';

// The real shares come from 2,019 distinct rows of the seed's emulator (see libs/emulator/shares.ts).
const POSTS = 20000;
let rows: Post[] = [];

beforeAll(() => {
  const distinct = new Map<number, Post>();
  for (const post of generatePosts({ posts: POSTS, seed: 2024 })) distinct.set(post.pin.index, post);
  rows = [...distinct.values()];
});

const share = (predicate: (post: Post) => boolean): number => rows.filter(predicate).length / rows.length;
const expectShare = (actual: number, expected: number, tolerance: number): void => {
  expect(actual).toBeGreaterThanOrEqual(expected - tolerance);
  expect(actual).toBeLessThanOrEqual(expected + tolerance);
};
const count = <T>(values: T[]): Map<T, number> => {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

describe('generated posts look like the seed data', () => {
  it('writes follower counts as k (74%), M (7%), plain digits (18%) and "User Info Error" (1%)', () => {
    // Prepare
    const form = (f: string) =>
      /^\d+k$/.test(f) ? 'k' : /^\d+M$/.test(f) ? 'M' : /^\d+$/.test(f) ? 'plain' : f;

    // Act
    const forms = count(rows.map((row) => form(row.pin.follower_count)));

    // Assess
    expect([...forms.keys()].sort()).toStrictEqual(['M', 'User Info Error', 'k', 'plain']);
    expectShare(forms.get('k')! / rows.length, 0.74, 0.02);
    expectShare(forms.get('M')! / rows.length, 0.074, 0.012);
    expectShare(forms.get('plain')! / rows.length, 0.178, 0.015);
    expectShare(forms.get('User Info Error')! / rows.length, 0.009, 0.005);
  });

  it('has story posts (7%) with the story description, videos (3%) and images', () => {
    // Prepare
    const kinds = count(rows.map((row) => row.pin.is_image_or_video));

    // Act
    const stories = rows.filter((row) => row.pin.is_image_or_video === 'multi-video(story page format)');

    // Assess
    expect([...kinds.keys()].sort()).toStrictEqual(['image', 'multi-video(story page format)', 'video']);
    expectShare(stories.length / rows.length, 140 / 2019, 0.012);
    expectShare(kinds.get('video')! / rows.length, 60 / 2019, 0.008);
    expect(stories.every((row) => row.pin.description === PLACEHOLDERS.storyDescription)).toBe(true);
  });

  it('marks image errors (2.4%) with downloaded 0, and every other pin with downloaded 1', () => {
    // Prepare
    const isError = (row: Post) => row.pin.image_src === PLACEHOLDERS.imageError;

    // Act
    const mismatched = rows.filter((row) => isError(row) !== (row.pin.downloaded === 0));

    // Assess
    expect(mismatched).toStrictEqual([]);
    expectShare(share(isError), 49 / 2019, 0.008);
    expect(count(rows.map((row) => row.pin.downloaded))).toStrictEqual(
      new Map([
        [1, rows.filter((row) => !isError(row)).length],
        [0, rows.filter(isError).length],
      ]),
    );
  });

  it('uses pinimg URLs with the real extension shares, video thumbnails for videos and stories', () => {
    // Prepare
    const images = rows.filter((row) => row.pin.is_image_or_video === 'image');
    const moving = rows.filter(
      (row) => row.pin.is_image_or_video !== 'image' && !row.pin.image_src.startsWith('Image'),
    );

    // Act
    const extensions = count(images.map((row) => row.pin.image_src.split('.').pop()));

    // Assess
    expect(
      images.every((row) =>
        /^https:\/\/i\.pinimg\.com\/originals\/(\w\w\/){3}[0-9a-f]{32}\.(jpg|png|webp|gif)$/.test(
          row.pin.image_src,
        ),
      ),
    ).toBe(true);
    expect(
      moving.every((row) =>
        /^https:\/\/i\.pinimg\.com\/videos\/thumbnails\/originals\/(\w\w\/){3}[0-9a-f]{32}\.0000001\.jpg$/.test(
          row.pin.image_src,
        ),
      ),
    ).toBe(true);
    expectShare(extensions.get('jpg')! / images.length, 1507 / 1819, 0.02);
    expectShare(extensions.get('png')! / images.length, 298 / 1819, 0.02);
    expect(extensions.get('webp')).toBeGreaterThan(0);
  });

  it('uses the no-tags and no-title placeholders and the rarer odd titles and descriptions', () => {
    // Prepare
    const titles = count(rows.map((row) => row.pin.title));
    const descriptions = count(rows.map((row) => row.pin.description));

    // Act
    const noTags = share((row) => row.pin.tag_list === PLACEHOLDERS.noTags);

    // Assess
    expectShare(noTags, 0.03, 0.012);
    expectShare(titles.get(PLACEHOLDERS.noTitle)! / rows.length, 0.015, 0.008);
    for (const odd of ['Untitled', 'Untitled: Photo', '']) expect(titles.get(odd)).toBeGreaterThan(0);
    expect(descriptions.get(PLACEHOLDERS.noDescription)).toBeGreaterThan(0);
    expect(descriptions.get('Untitled')).toBeGreaterThan(0);
  });

  it('cuts long descriptions at 177 characters with "…" and a non-breaking space, as the scraper did', () => {
    // Prepare
    const cut = rows.filter((row) => row.pin.description.endsWith('…\u00a0'));

    // Act
    const lengths = new Set(cut.map((row) => row.pin.description.length));

    // Assess
    expectShare(cut.length / rows.length, 739 / 2019, 0.03);
    expect([...lengths].every((length) => length === 178 || length === 179)).toBe(true);
    expect(rows.every((row) => row.pin.description.length <= 180)).toBe(true);
  });

  it('tags every other pin with nine distinct comma-joined tags', () => {
    // Prepare
    const tagged = rows.filter((row) => row.pin.tag_list !== PLACEHOLDERS.noTags);

    // Act
    const wrong = tagged.filter((row) => {
      const tags = row.pin.tag_list.split(',');
      return tags.length !== 9 || new Set(tags).size !== 9 || tags.some((tag) => tag.trim() !== tag);
    });

    // Assess
    expect(wrong).toStrictEqual([]);
  });

  it('spreads pins over the 13 categories by their real counts, saved under /data/<category>', () => {
    // Prepare
    const categories = count(rows.map((row) => row.pin.category));

    // Act
    const misfiled = rows.filter(
      (row) => row.pin.save_location !== `Local save in /data/${row.pin.category}`,
    );

    // Assess
    expect(categories.size).toBe(13);
    expectShare(categories.get('christmas')! / rows.length, 201 / 2019, 0.015);
    expectShare(categories.get('home-decor')! / rows.length, 131 / 2019, 0.015);
    expect(misfiled).toStrictEqual([]);
  });

  it('places posts in hundreds of countries, skewed toward A, at unrelated coordinates', () => {
    // Prepare
    const countries = count(rows.map((row) => row.geo.country));

    // Act
    const startingWithA = share((row) => row.geo.country.startsWith('A'));
    const outOfRange = rows.filter(
      (row) => Math.abs(row.geo.latitude) > 90 || Math.abs(row.geo.longitude) > 180,
    );

    // Assess
    expect(countries.size).toBeGreaterThanOrEqual(200);
    expectShare(startingWithA, 0.4, 0.06);
    expect(outOfRange).toStrictEqual([]);
    expectShare(
      share((row) => row.geo.latitude < -80),
      0.3,
      0.1,
    );
  });

  it('dates posts 2017-10 to 2022-10 and joins 2015-10 to 2017-10 with the real per-year shares', () => {
    // Prepare
    const postYears = count(rows.map((row) => row.geo.timestamp.slice(0, 4)));
    const joinYears = count(rows.map((row) => row.user.date_joined.slice(0, 4)));
    const timestamps = rows.flatMap((row) => [row.geo.timestamp, row.user.date_joined]);

    // Act
    const geoRange = [
      rows.map((r) => r.geo.timestamp).sort()[0],
      rows
        .map((r) => r.geo.timestamp)
        .sort()
        .at(-1),
    ];
    const joinRange = [
      rows.map((r) => r.user.date_joined).sort()[0],
      rows
        .map((r) => r.user.date_joined)
        .sort()
        .at(-1),
    ];

    // Assess
    expect(timestamps.every((t) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(t))).toBe(true);
    expect(geoRange[0]! >= '2017-10-20' && geoRange[1]! <= '2022-10-18 23:59:59').toBe(true);
    expect(joinRange[0]! >= '2015-10-21' && joinRange[1]! <= '2017-10-18 23:59:59').toBe(true);
    expectShare(postYears.get('2018')! / rows.length, 429 / 2019, 0.02);
    expectShare(postYears.get('2017')! / rows.length, 76 / 2019, 0.01);
    expectShare(joinYears.get('2015')! / rows.length, 798 / 2019, 0.02);
    expectShare(joinYears.get('2017')! / rows.length, 320 / 2019, 0.02);
  });

  it('has users aged 20 to 60, 20 the most common, with first and last names skewed toward A', () => {
    // Prepare
    const ages = count(rows.map((row) => row.user.age));

    // Act
    const mostCommon = [...ages].sort((a, b) => b[1] - a[1])[0]![0];

    // Assess
    expect(Math.min(...ages.keys())).toBe(20);
    expect(Math.max(...ages.keys())).toBe(60);
    expect(mostCommon).toBe(20);
    expectShare(ages.get(20)! / rows.length, 385 / 2019, 0.02);
    expect(share((row) => row.user.first_name.startsWith('A'))).toBeGreaterThan(0.25);
    expect(share((row) => row.user.last_name.startsWith('A'))).toBeGreaterThan(0.2);
  });

  it('gives younger, earlier users more followers, as the real medians do', () => {
    // Prepare
    const followers = (f: string) =>
      f.endsWith('M')
        ? Number(f.slice(0, -1)) * 1e6
        : f.endsWith('k')
          ? Number(f.slice(0, -1)) * 1e3
          : Number(f);
    const median = (predicate: (post: Post) => boolean) => {
      const values = rows
        .filter((row) => predicate(row) && row.pin.follower_count !== PLACEHOLDERS.userInfoError)
        .map((row) => followers(row.pin.follower_count))
        .sort((a, b) => a - b);
      return values[values.length >> 1]!;
    };

    // Act
    const young = median((row) => row.user.age <= 24);
    const old = median((row) => row.user.age > 50);
    const early = median((row) => row.user.date_joined < '2016');
    const late = median((row) => row.user.date_joined >= '2017');

    // Assess
    expect(young).toBeGreaterThan(10 * old);
    expect(early).toBeGreaterThan(5 * late);
  });
});
