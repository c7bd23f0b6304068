import { generatePosts, PLACEHOLDERS, type Post } from '../../../libs/emulator';
import { cleanRecord, GeoRawSchema, KINDS, PinRawSchema, UserRawSchema } from '../../../libs/records';

const meta = { source: 'kafka:pinlake.pin:0:0', ingestedAt: new Date('2024-01-01T00:00:00Z') };
const PLACEHOLDER_VALUES: readonly string[] = [...Object.values(PLACEHOLDERS), ''];

let rows: Post[] = [];
beforeAll(() => {
  const distinct = new Map<number, Post>();
  for (const post of generatePosts({ posts: 5000, seed: 77 })) distinct.set(post.pin.index, post);
  rows = [...distinct.values()];
});

describe('generated posts go through the cleaning rules', () => {
  it('match the raw schemas of libs/records', () => {
    // Prepare
    const schemas = { pin: PinRawSchema, geo: GeoRawSchema, user: UserRawSchema };

    // Act
    const failures = rows.flatMap((row) =>
      KINDS.filter((kind) => !schemas[kind].safeParse(row[kind]).success).map(
        (kind) => `${kind} ${row.pin.index}`,
      ),
    );

    // Assess
    expect(failures).toStrictEqual([]);
  });

  it('clean from their JSON bytes without a single quarantine, nulling only placeholders', () => {
    // Prepare
    const results = rows.flatMap((row) =>
      KINDS.map((kind) => ({
        kind,
        raw: row[kind] as unknown as Record<string, unknown>,
        result: cleanRecord(kind, Buffer.from(JSON.stringify(row[kind])), meta),
      })),
    );

    // Act
    const quarantined = results.filter(({ result }) => !result.ok);
    const nulledNonPlaceholders = results.flatMap(({ raw, result }) =>
      result.ok ? result.nulled.filter((column) => !PLACEHOLDER_VALUES.includes(String(raw[column]))) : [],
    );

    // Assess
    expect(quarantined).toStrictEqual([]);
    expect(nulledNonPlaceholders).toStrictEqual([]);
  });

  it('keep every geo and user value, and a follower count wherever user info is present', () => {
    // Prepare
    const cleaned = rows.map((row) => ({
      row,
      pin: cleanRecord('pin', row.pin, meta),
      geo: cleanRecord('geo', row.geo, meta),
      user: cleanRecord('user', row.user, meta),
    }));

    // Act
    const lost = cleaned.filter(({ row, pin, geo, user }) => {
      if (!pin.ok || !geo.ok || !user.ok) return true;
      const hasUserInfo = row.pin.follower_count !== PLACEHOLDERS.userInfoError;
      return (
        (pin.row.follower_count !== null) !== hasUserInfo ||
        geo.row.coordinates === null ||
        geo.row.timestamp === null ||
        geo.row.country === null ||
        user.row.user_name === null ||
        user.row.age === null ||
        user.row.date_joined === null
      );
    });

    // Assess
    expect(lost).toStrictEqual([]);
  });

  it('turn the first post of seed 1 into exactly these clean rows', () => {
    // Prepare
    const [post] = generatePosts({ posts: 1, seed: 1 });

    // Act
    const cleaned = KINDS.map((kind) => cleanRecord(kind, post![kind], meta));

    // Assess
    expect(cleaned).toStrictEqual([
      {
        ok: true,
        nulled: [],
        row: {
          ind: 1031,
          unique_id: 'e5a9d77c-e8f8-4c78-b4b1-c105203dcdc6',
          title: 'Monday Motivation Quotes - Modern Words Studio',
          description: post!.pin.description,
          follower_count: 797000,
          poster_name: 'Modern Words Studio',
          tag_list: post!.pin.tag_list,
          is_image_or_video: 'image',
          image_src: 'https://i.pinimg.com/originals/c9/58/14/c95814a9a6196609e557e4bb17494705.jpg',
          save_location: '/data/quotes',
          category: 'quotes',
          source: meta.source,
          ingested_at: meta.ingestedAt,
        },
      },
      {
        ok: true,
        nulled: [],
        row: {
          ind: 1031,
          country: 'Eritrea',
          coordinates: [-89.8791, 135.366],
          timestamp: new Date('2021-07-19T15:52:56Z'),
          source: meta.source,
          ingested_at: meta.ingestedAt,
        },
      },
      {
        ok: true,
        nulled: [],
        row: {
          ind: 1031,
          user_name: 'Dennis Mitchell',
          age: 59,
          date_joined: new Date('2015-12-31T03:06:17Z'),
          source: meta.source,
          ingested_at: meta.ingestedAt,
        },
      },
    ]);
  });
});
