import { FileStore } from '../../../libs/storage';
import { loadEvent } from '../../helpers/events';
import { makeTempDir } from '../../helpers/temp-dir';
import { quietHandler, readTable } from './support';

// The handler on the sanitised fixtures (events/kinesis/stream-to-delta-*.json, real sample records)
// into a file lake in a temp dir.
const SEQ = '496568281934502113574230962512473491559380934366177';
const source = (stream: string, n: number) =>
  `kinesis:streaming-pinlake-${stream}:shardId-000000000000:${SEQ}${n}`;

describe('stream-to-delta on the event fixtures', () => {
  let lake: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    lake = await makeTempDir('s2d-fixtures');
    store = new FileStore(lake.path);
  });

  afterEach(() => lake.cleanup());

  it('writes the pin fixture as five clean pin rows, placeholders nulled, in one commit', async () => {
    // Prepare
    const handler = quietHandler(store);

    // Act
    const response = await handler(loadEvent('kinesis', 'stream-to-delta-pin'));

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(await readTable(store, 'pin')).toStrictEqual({
      version: 1,
      rows: [
        {
          ind: 10794,
          unique_id: 'c4bd2577-a7bb-4409-bb7a-17d5ed7e1cf1',
          title: 'TireBuyer',
          description: 'Nissan GT-R. Sick.',
          follower_count: 437,
          poster_name: 'Ray Uyemura',
          tag_list:
            'Lowrider,Old Vintage Cars,Antique Cars,Austin Martin,Nissan Gtr Black,Jaguar,1959 Cadillac,Cadillac Ct6,Old School Cars',
          is_image_or_video: 'image',
          image_src: 'https://i.pinimg.com/originals/0d/29/9f/0d299f3df020395aa7ce8387f40fbeed.jpg',
          save_location: '/data/vehicles',
          category: 'vehicles',
          source: source('pin', 61000),
          ingested_at: new Date('2025-11-22T10:15:30.125Z'),
        },
        {
          ind: 5494,
          unique_id: '8fb2af68-543b-4639-8119-de33d28706ed',
          title: "Dave Ramsey's 7 Baby Steps: What Are They And Will They Work For You",
          description:
            "If you love budgeting, make sure to give Dave Ramsey's 7 Baby Steps a try. Follow these steps to begin your debt snowball, build an emergency fund, invest and reach riches. I ca\u2026\u00a0",
          follower_count: 26000,
          poster_name: 'Living Low Key | Save Money, Make Money, & Frugal Living',
          tag_list:
            'Financial Peace,Financial Tips,Saving Money Quotes,Total Money Makeover,Budgeting Finances,Money Management,Wealth Management,Personal Finance,Making Ideas',
          is_image_or_video: 'image',
          image_src: 'https://i.pinimg.com/originals/1e/9d/90/1e9d906e4e150e3b95187f3b76ea7c71.png',
          save_location: '/data/finance',
          category: 'finance',
          source: source('pin', 61007),
          ingested_at: new Date('2025-11-22T10:15:30.375Z'),
        },
        {
          ind: 3089,
          unique_id: '88f9227e-88d0-4b1c-b0be-bcfc3028b8e2',
          title: null,
          description: null,
          follower_count: null,
          poster_name: null,
          tag_list: null,
          is_image_or_video: 'multi-video(story page format)',
          image_src: null,
          save_location: '/data/diy-and-crafts',
          category: 'diy-and-crafts',
          source: source('pin', 61014),
          ingested_at: new Date('2025-11-22T10:15:30.625Z'),
        },
        {
          ind: 1014,
          unique_id: '9ac94307-bb27-410e-b554-0a0ab6c19847',
          title: 'Hairstyles & Beauty',
          description: null,
          follower_count: 0,
          poster_name: 'Grecia Perales',
          tag_list:
            'Hair Inspo,Hair Inspiration,Motivation Inspiration,Cl Rapper,Foto Glamour,Kreative Portraits,Classy Aesthetic,Pretty Hairstyles,Hair Looks',
          is_image_or_video: 'image',
          image_src: 'https://i.pinimg.com/originals/af/c4/59/afc459bd6e1fd8f9aef212504afebf3a.jpg',
          save_location: '/data/beauty',
          category: 'beauty',
          source: source('pin', 61021),
          ingested_at: new Date('2025-11-22T10:15:30.875Z'),
        },
        {
          ind: 7343,
          unique_id: 'b8c63a95-6fe8-4d7f-9455-1eef3462fee0',
          title: 'This Fashion Rule Is Nonsense, And We Should All Forget About It',
          description:
            'Black And Brown Outfits You Need To Try This Fall Season. The trick with black and brown outfits is to know how to combine colors, fabrics, and shapes to get a cohesive look. So\u2026\u00a0',
          follower_count: 1000000,
          poster_name: 'Cultura Colectiva',
          tag_list:
            'Winter Outfits Men,Stylish Mens Outfits,Casual Outfits,Men Casual,Smart Casual,Outfits For Men,Fall Outfits,Mens Winter Boots,Business Casual Men',
          is_image_or_video: 'image',
          image_src: 'https://i.pinimg.com/originals/3e/49/09/3e4909c0ccc4dbba3cad83d97eab4a61.png',
          save_location: '/data/mens-fashion',
          category: 'mens-fashion',
          source: source('pin', 61028),
          ingested_at: new Date('2025-11-22T10:15:31.125Z'),
        },
      ],
    });
  });

  it('writes the geo fixture as geo rows with [latitude, longitude] and UTC timestamps', async () => {
    // Prepare
    const handler = quietHandler(store);

    // Act
    const response = await handler(loadEvent('kinesis', 'stream-to-delta-geo'));

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const geo = (
      ind: number,
      country: string,
      coordinates: number[],
      timestamp: string,
      n: number,
      at: string,
    ) => ({
      ind,
      country,
      coordinates,
      timestamp: new Date(timestamp),
      source: source('geo', n),
      ingested_at: new Date(at),
    });
    expect(await readTable(store, 'geo')).toStrictEqual({
      version: 1,
      rows: [
        geo(7528, 'Albania', [-89.9787, -173.293], '2020-08-28T03:52:47Z', 61100, '2025-11-22T10:15:30.225Z'),
        geo(2863, 'Armenia', [-5.34445, -177.924], '2020-04-27T13:34:16Z', 61107, '2025-11-22T10:15:30.475Z'),
        geo(5730, 'Colombia', [-77.015, -101.437], '2021-04-19T17:37:03Z', 61114, '2025-11-22T10:15:30.725Z'),
        geo(
          8304,
          'French Guiana',
          [-28.8852, -164.87],
          '2019-09-13T04:50:29Z',
          61121,
          '2025-11-22T10:15:30.975Z',
        ),
        geo(8731, 'Aruba', [-83.104, -171.302], '2020-07-17T04:39:09Z', 61128, '2025-11-22T10:15:31.225Z'),
      ],
    });
  });

  it('writes the user fixture as user rows with the names joined', async () => {
    // Prepare
    const handler = quietHandler(store);

    // Act
    const response = await handler(loadEvent('kinesis', 'stream-to-delta-user'));

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const user = (ind: number, user_name: string, age: number, joined: string, n: number, at: string) => ({
      ind,
      user_name,
      age,
      date_joined: new Date(joined),
      source: source('user', n),
      ingested_at: new Date(at),
    });
    expect(await readTable(store, 'user')).toStrictEqual({
      version: 1,
      rows: [
        user(7528, 'Abigail Ali', 20, '2015-10-24T11:23:51Z', 61200, '2025-11-22T10:15:30.325Z'),
        user(2863, 'Dylan Holmes', 32, '2016-10-23T14:06:51Z', 61207, '2025-11-22T10:15:30.575Z'),
        user(5730, 'Rachel Davis', 36, '2015-12-08T20:02:43Z', 61214, '2025-11-22T10:15:30.825Z'),
        user(8304, 'Charles Berry', 25, '2015-12-28T04:21:39Z', 61221, '2025-11-22T10:15:31.075Z'),
        user(8731, 'Andrea Alexander', 21, '2015-11-10T09:27:42Z', 61228, '2025-11-22T10:15:31.325Z'),
      ],
    });
  });

  it('quarantines every bad record of the mixed fixture with its reason and keeps the two good pins', async () => {
    // Prepare
    const handler = quietHandler(store);
    const event = loadEvent('kinesis', 'stream-to-delta-mixed-invalid');

    // Act
    const response = await handler(event);

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const table = await readTable(store, 'pin');
    expect(table.rows.map((r) => [r.ind, r.source])).toStrictEqual([
      [9875, source('pin', 61300)],
      [2418, source('pin', 61349)],
    ]);
    const files = await store.list('quarantine/');
    const contents = await Promise.all(
      files.map(async (f) => [f.key, JSON.parse(Buffer.from((await store.get(f.key))!).toString('utf8'))]),
    );
    const data = (n: number) => event.Records[n]!.kinesis.data;
    const text = (n: number) => Buffer.from(data(n), 'base64').toString('utf8');
    const entry = (n: number, seq: number, at: string, reason: string, preview = true) => [
      `quarantine/streaming-pinlake-pin/2025-11-22/shardId-000000000000-${SEQ}${seq}.json`,
      {
        reason,
        source: source('pin', seq),
        received_at: at,
        raw: data(n),
        ...(preview ? { preview: text(n) } : {}),
      },
    ];
    expect(contents).toStrictEqual([
      entry(1, 61307, '2025-11-22T10:15:30.675Z', 'not JSON: Unterminated string in JSON at position 30'),
      entry(2, 61314, '2025-11-22T10:15:30.925Z', 'not an object: the pin record is an array of 3'),
      entry(
        3,
        61321,
        '2025-11-22T10:15:31.175Z',
        'wrong kind: expected a pin record, found geo fields timestamp, latitude, longitude, country',
      ),
      entry(4, 61328, '2025-11-22T10:15:31.425Z', 'missing id: the pin record has no "index"'),
      entry(5, 61335, '2025-11-22T10:15:31.675Z', 'non-integer id: the pin record\'s "index" is "2418"'),
      entry(
        6,
        61342,
        '2025-11-22T10:15:31.925Z',
        `not JSON: Unexpected token '\ufffd', "\ufffd\ufffd\u0000garbage\ufffd" is not valid JSON`,
        false,
      ),
    ]);
  });
});
