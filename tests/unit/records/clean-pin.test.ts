import { cleanPin, cleanRecord } from '../../../libs/records';

const META = { source: 'kafka:pinlake.pin:0:42', ingestedAt: new Date('2024-05-01T12:00:00Z') };
const TRACE = { source: 'kafka:pinlake.pin:0:42', ingested_at: new Date('2024-05-01T12:00:00Z') };

/** A real pin from the seed's consumer dump (pin_consumer sample, offset 23). */
const TIRE_BUYER = {
  index: 10794,
  unique_id: 'c4bd2577-a7bb-4409-bb7a-17d5ed7e1cf1',
  title: 'TireBuyer',
  description: 'Nissan GT-R. Sick.',
  poster_name: 'Ray Uyemura',
  follower_count: '437',
  tag_list: 'Lowrider,Old Vintage Cars,Antique Cars',
  is_image_or_video: 'image',
  image_src: 'https://i.pinimg.com/originals/0d/29/9f/0d299f3df020395aa7ce8387f40fbeed.jpg',
  downloaded: 1,
  save_location: 'Local save in /data/vehicles',
  category: 'vehicles',
};

const TIRE_BUYER_ROW = {
  ind: 10794,
  unique_id: 'c4bd2577-a7bb-4409-bb7a-17d5ed7e1cf1',
  title: 'TireBuyer',
  description: 'Nissan GT-R. Sick.',
  follower_count: 437,
  poster_name: 'Ray Uyemura',
  tag_list: 'Lowrider,Old Vintage Cars,Antique Cars',
  is_image_or_video: 'image',
  image_src: 'https://i.pinimg.com/originals/0d/29/9f/0d299f3df020395aa7ce8387f40fbeed.jpg',
  save_location: '/data/vehicles',
  category: 'vehicles',
  ...TRACE,
};

describe('cleanPin', () => {
  it('renames index to ind, converts follower_count, strips the save prefix and drops downloaded', () => {
    // Act
    const result = cleanPin(TIRE_BUYER, META);

    // Assess
    expect(result).toStrictEqual({ ok: true, row: TIRE_BUYER_ROW, nulled: [] });
  });

  it('cleans the same pin identically from its raw bytes through cleanRecord', () => {
    // Prepare
    const bytes = Buffer.from(JSON.stringify(TIRE_BUYER));

    // Act
    const result = cleanRecord('pin', bytes, META);

    // Assess
    expect(result).toStrictEqual({ ok: true, row: TIRE_BUYER_ROW, nulled: [] });
  });

  it('nulls every placeholder of a story-format pin and lists each nulled column', () => {
    // Prepare: the real "error" pin 3089 of the consumer dump.
    const raw = {
      index: 3089,
      unique_id: '88f9227e-88d0-4b1c-b0be-bcfc3028b8e2',
      title: 'No Title Data Available',
      description: 'No description available Story format',
      poster_name: 'User Info Error',
      follower_count: 'User Info Error',
      tag_list: 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e',
      is_image_or_video: 'multi-video(story page format)',
      image_src: 'Image src error.',
      downloaded: 0,
      save_location: 'Local save in /data/diy-and-crafts',
      category: 'diy-and-crafts',
    };

    // Act
    const result = cleanPin(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
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
        ...TRACE,
      },
      nulled: ['title', 'description', 'follower_count', 'poster_name', 'tag_list', 'image_src'],
    });
  });

  it('cleans an older-schema pin without poster_name, with category first, leaving poster_name null', () => {
    // Prepare: pin 480 of the 2022 cohort's file.
    const raw = {
      category: 'art',
      index: 480,
      unique_id: 'f5dfee8f-1b62-417d-966c-8cf205418c68',
      title: 'Abstract Portrait',
      description: 'No description available',
      follower_count: '6k',
      tag_list: 'Abstract Portrait,Portrait Art',
      is_image_or_video: 'image',
      image_src: 'https://i.pinimg.com/originals/05/ed/11/05ed1128fe3a8784ad68900d310654d6.jpg',
      downloaded: 1,
      save_location: 'Local save in /data/art',
    };

    // Act
    const result = cleanPin(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
        ind: 480,
        unique_id: 'f5dfee8f-1b62-417d-966c-8cf205418c68',
        title: 'Abstract Portrait',
        description: null,
        follower_count: 6000,
        poster_name: null,
        tag_list: 'Abstract Portrait,Portrait Art',
        is_image_or_video: 'image',
        image_src: 'https://i.pinimg.com/originals/05/ed/11/05ed1128fe3a8784ad68900d310654d6.jpg',
        save_location: '/data/art',
        category: 'art',
        ...TRACE,
      },
      nulled: ['description'],
    });
  });

  it('nulls "Untitled" as a description and as a title but keeps "Untitled: Photo"', () => {
    // Prepare: pin 1014 (description "Untitled") and a title of each kind.
    const base = { ...TIRE_BUYER, index: 1014, follower_count: '0' };

    // Act
    const untitled = cleanPin({ ...base, title: 'Untitled', description: 'Untitled' }, META);
    const photo = cleanPin({ ...base, title: 'Untitled: Photo' }, META);

    // Assess
    expect(untitled).toStrictEqual({
      ok: true,
      row: { ...TIRE_BUYER_ROW, ind: 1014, follower_count: 0, title: null, description: null },
      nulled: ['title', 'description'],
    });
    expect(photo).toStrictEqual({
      ok: true,
      row: { ...TIRE_BUYER_ROW, ind: 1014, follower_count: 0, title: 'Untitled: Photo' },
      nulled: [],
    });
  });

  it('nulls empty and whitespace-only strings in every text column', () => {
    // Prepare
    const raw = {
      index: 5,
      unique_id: '',
      title: '',
      description: ' \t\n',
      poster_name: '\u00a0',
      follower_count: '  ',
      tag_list: '\u3000',
      is_image_or_video: '\r\n',
      image_src: '\ufeff',
      save_location: 'Local save in ',
      category: '   ',
    };

    // Act
    const result = cleanPin(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
        ind: 5,
        unique_id: null,
        title: null,
        description: null,
        follower_count: null,
        poster_name: null,
        tag_list: null,
        is_image_or_video: null,
        image_src: null,
        save_location: null,
        category: null,
        ...TRACE,
      },
      nulled: [
        'unique_id',
        'title',
        'description',
        'follower_count',
        'poster_name',
        'tag_list',
        'is_image_or_video',
        'image_src',
        'save_location',
        'category',
      ],
    });
  });

  it('keeps a save_location without the prefix as it is, and text values untrimmed', () => {
    // Prepare
    const raw = { ...TIRE_BUYER, save_location: '/data/vehicles', title: '  TireBuyer ' };

    // Act
    const result = cleanPin(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: { ...TIRE_BUYER_ROW, title: '  TireBuyer ' },
      nulled: [],
    });
  });

  it('nulls fields of the wrong type without quarantining the pin, and ignores unknown keys', () => {
    // Prepare
    const raw = {
      index: 77,
      unique_id: 12345,
      title: ['a'],
      description: { text: 'x' },
      poster_name: true,
      follower_count: -3,
      tag_list: null,
      image_src: 'https://i.pinimg.com/originals/x.jpg',
      downloaded: 'yes',
      extra: 'ignored',
    };

    // Act
    const result = cleanPin(raw, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: {
        ind: 77,
        unique_id: null,
        title: null,
        description: null,
        follower_count: null,
        poster_name: null,
        tag_list: null,
        is_image_or_video: null,
        image_src: 'https://i.pinimg.com/originals/x.jpg',
        save_location: null,
        category: null,
        ...TRACE,
      },
      nulled: ['unique_id', 'title', 'description', 'follower_count', 'poster_name'],
    });
  });

  it.each([
    ['437', 437],
    ['0', 0],
    ['26k', 26_000],
    ['124k', 124_000],
    ['6M', 6_000_000],
    ['15M', 15_000_000],
    ['1.2k', 1_200],
    ['2.5M', 2_500_000],
    ['3B', 3_000_000_000],
    [' 26k ', 26_000],
    [1500, 1500],
  ])('reads follower_count %p as %p in the row', (followerCount, expected) => {
    // Act
    const result = cleanPin({ ...TIRE_BUYER, follower_count: followerCount }, META);

    // Assess
    expect(result).toStrictEqual({
      ok: true,
      row: { ...TIRE_BUYER_ROW, follower_count: expected },
      nulled: [],
    });
  });

  it.each(['User Info Error', '1,234', '12.5', '1.2345k', '-5', 'k', '5x', '', 1.5, -1])(
    'nulls follower_count %p and reports it nulled',
    (followerCount) => {
      // Act
      const result = cleanPin({ ...TIRE_BUYER, follower_count: followerCount }, META);

      // Assess
      expect(result).toStrictEqual({
        ok: true,
        row: { ...TIRE_BUYER_ROW, follower_count: null },
        nulled: ['follower_count'],
      });
    },
  );
});
