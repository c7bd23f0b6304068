import {
  drawRowIds,
  GeneratorError,
  generatePoolRow,
  generatePosts,
  type Post,
} from '../../../libs/emulator';

const serialise = (posts: Iterable<Post>): string =>
  [...posts].map((post) => JSON.stringify(post)).join('\n');

describe('generatePosts', () => {
  it('yields the same posts, byte for byte, for the same seed', () => {
    // Prepare
    const options = { posts: 1000, seed: 42 };

    // Act
    const first = serialise(generatePosts(options));
    const second = serialise(generatePosts(options));

    // Assess
    expect(second).toBe(first);
  });

  it('yields different posts for a different seed', () => {
    // Prepare
    const posts = 200;

    // Act
    const one = serialise(generatePosts({ posts, seed: 1 }));
    const two = serialise(generatePosts({ posts, seed: 2 }));

    // Assess
    expect(two).not.toBe(one);
  });

  it('yields exactly this first post for seed 1, so output is stable across machines and versions', () => {
    // Prepare
    const options = { posts: 1, seed: 1 };

    // Act
    const [first] = generatePosts(options);

    // Assess
    expect(first).toStrictEqual({
      pin: {
        index: 1031,
        unique_id: 'e5a9d77c-e8f8-4c78-b4b1-c105203dcdc6',
        title: 'Monday Motivation Quotes - Modern Words Studio',
        description:
          'Are you looking for some Monday Motivation Quotes? Here we have collected for you 12 of the best. ' +
          'Share these Monday Motivation Quotes with someone who needs them.',
        poster_name: 'Modern Words Studio',
        follower_count: '797k',
        tag_list:
          'Wisdom Quotes,Positive Quotes For Life,Deep Thoughts,Sad Crush Quotes,Sad Quotes That Make You Cry,' +
          'Quotes Quotes,Funny Quotes,Daily Affirmations,Life Quotes',
        is_image_or_video: 'image',
        image_src: 'https://i.pinimg.com/originals/c9/58/14/c95814a9a6196609e557e4bb17494705.jpg',
        downloaded: 1,
        save_location: 'Local save in /data/quotes',
        category: 'quotes',
      },
      geo: {
        ind: 1031,
        timestamp: '2021-07-19 15:52:56',
        latitude: -89.8791,
        longitude: 135.366,
        country: 'Eritrea',
      },
      user: {
        ind: 1031,
        first_name: 'Dennis',
        last_name: 'Mitchell',
        age: 59,
        date_joined: '2015-12-31 03:06:17',
      },
    });
  });

  it('writes every field, in the order of the seed source tables, with the seed value types', () => {
    // Prepare
    const posts = [...generatePosts({ posts: 500, seed: 9 })];

    // Act
    const shapes = new Set(
      posts.map((post) =>
        JSON.stringify({
          pin: Object.entries(post.pin).map(([key, value]) => `${key}:${typeof value}`),
          geo: Object.entries(post.geo).map(([key, value]) => `${key}:${typeof value}`),
          user: Object.entries(post.user).map(([key, value]) => `${key}:${typeof value}`),
          kinds: Object.keys(post),
        }),
      ),
    );

    // Assess
    expect([...shapes].map((shape) => JSON.parse(shape))).toStrictEqual([
      {
        pin: [
          'index:number',
          'unique_id:string',
          'title:string',
          'description:string',
          'poster_name:string',
          'follower_count:string',
          'tag_list:string',
          'is_image_or_video:string',
          'image_src:string',
          'downloaded:number',
          'save_location:string',
          'category:string',
        ],
        geo: ['ind:number', 'timestamp:string', 'latitude:number', 'longitude:number', 'country:string'],
        user: ['ind:number', 'first_name:string', 'last_name:string', 'age:number', 'date_joined:string'],
        kinds: ['pin', 'geo', 'user'],
      },
    ]);
  });

  it('links the three records of a post by one id', () => {
    // Prepare
    const posts = [...generatePosts({ posts: 500, seed: 4 })];

    // Act
    const unlinked = posts.filter((p) => p.geo.ind !== p.pin.index || p.user.ind !== p.pin.index);

    // Assess
    expect(unlinked).toStrictEqual([]);
  });

  it('draws ids with replacement from 0..11000, and a repeated id carries identical records', () => {
    // Prepare
    const posts = [...generatePosts({ posts: 6000, seed: 1 })];

    // Act
    const byId = new Map<number, string[]>();
    for (const post of posts) {
      const lines = byId.get(post.pin.index) ?? [];
      lines.push(JSON.stringify(post));
      byId.set(post.pin.index, lines);
    }
    const repeated = [...byId.values()].filter((lines) => lines.length > 1);
    const differing = repeated.filter((lines) => new Set(lines).size > 1);
    const ids = [...byId.keys()];

    // Assess
    expect(repeated.length).toBeGreaterThan(1000);
    expect(differing).toStrictEqual([]);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ids)).toBeLessThanOrEqual(11000);
    expect(byId.size).toBeGreaterThan(4000);
  });

  it('makes each pool row from (seed, id) alone, in any order', () => {
    // Prepare
    const ids = [...drawRowIds({ posts: 50, seed: 3 })];

    // Act
    const drawn = [...generatePosts({ posts: 50, seed: 3 })];
    const direct = ids
      .reverse()
      .map((id) => generatePoolRow(3, id))
      .reverse();

    // Assess
    expect(direct).toStrictEqual(drawn);
  });

  it('rejects a bad count, seed or pool size with a GeneratorError naming the option', () => {
    // Prepare
    const bad = [
      { posts: -1, seed: 1 },
      { posts: 1.5, seed: 1 },
      { posts: 1, seed: 2 ** 32 },
      { posts: 1, seed: -3 },
      { posts: 1, seed: 1, poolSize: 0 },
    ];

    // Act
    const messages = bad.map((options) => {
      try {
        generatePosts(options);
        return 'no error';
      } catch (error) {
        return error instanceof GeneratorError ? error.message : `other error: ${error}`;
      }
    });

    // Assess
    expect(messages).toStrictEqual([
      'posts must be an integer from 0 to 9007199254740991, got -1',
      'posts must be an integer from 0 to 9007199254740991, got 1.5',
      'seed must be an integer from 0 to 4294967295, got 4294967296',
      'seed must be an integer from 0 to 4294967295, got -3',
      'poolSize must be an integer from 1 to 4294967295, got 0',
    ]);
  });
});
