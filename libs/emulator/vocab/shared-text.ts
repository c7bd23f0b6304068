/** Category-independent text: title patterns, filler sentences, poster-name parts. */

/** Title patterns: `{S}` subject, `{n}` a number, `{A}` an adjective, `{P}` the poster, `{Y}` a year. */
export const TITLE_PATTERNS: readonly string[] = [
  '{S}',
  '{S}',
  '{n} {A} {S} Ideas',
  '{n} {S} You Will Love',
  '{A} {S}',
  '{S} - {P}',
  'The Best {S} for {Y}',
  '{n}+ {A} {S} - {P}',
  'Easy {S} for Beginners',
  'Our Favorite {S} Right Now',
  '{S} | {P}',
  'Why Everyone Is Talking About {S}',
  '{S}: The Complete Guide',
  '{n} {A} {S} That Are Totally Worth It',
  '{A} {S} You Have To See',
  'How We Do {S} on a Budget',
];

/** Adjectives for titles. */
export const ADJECTIVES: readonly string[] = [
  'Easy',
  'Gorgeous',
  'Simple',
  'Amazing',
  'Cute',
  'Beautiful',
  'Unique',
  'Stunning',
  'Creative',
  'Cozy',
  'Budget-Friendly',
  'Timeless',
  'Super Fun',
  'Classic',
  'Modern',
];

/** The numbers titles and descriptions count in. */
export const TITLE_NUMBERS: readonly number[] = [
  5, 7, 8, 10, 12, 14, 15, 18, 20, 21, 25, 30, 35, 40, 50, 100,
];

/** Sentences that fit a pin of any category; `{s}` is the subject. */
export const FILLER_SENTENCES: readonly string[] = [
  'Click through for all the details.',
  'Pin it now and save it for later!',
  'This post may contain affiliate links, read our disclosure policy for more information.',
  'As an Amazon Associate I earn from qualifying purchases, thank you!',
  'You are going to love these ideas.',
  'Everything you need to know about {s}, all in one place.',
  'Keep reading for the full tutorial and a free printable.',
  'I tried this last month and I am obsessed.',
  'Follow along for more ideas like {s} every week.',
];

/** A word naming each category, used in made-up blog names ("The Crafty Studio"). */
export const CATEGORY_WORDS: Readonly<Record<string, readonly string[]>> = {
  christmas: ['Holiday', 'Merry', 'Festive'],
  art: ['Art', 'Canvas', 'Palette'],
  quotes: ['Quote', 'Words', 'Soul'],
  finance: ['Money', 'Budget', 'Frugal'],
  education: ['Teaching', 'Classroom', 'Learning'],
  'mens-fashion': ['Style', 'Dapper', 'Menswear'],
  travel: ['Travel', 'Wander', 'Nomad'],
  'diy-and-crafts': ['Craft', 'Crafty', 'Maker'],
  tattoos: ['Ink', 'Tattoo', 'Needle'],
  'event-planning': ['Party', 'Event', 'Celebration'],
  beauty: ['Beauty', 'Glow', 'Lash'],
  vehicles: ['Motor', 'Garage', 'Road'],
  'home-decor': ['Home', 'Nest', 'Interiors'],
};

/** The first word of a made-up blog name. */
export const BLOG_PREFIXES: readonly string[] = [
  'The',
  'Simply',
  'My',
  'Our',
  'Little',
  'Happy',
  'Modern',
  'Pretty',
  'Daily',
  'Everyday',
  'Wild',
];

/** The last word of a made-up blog name. */
export const BLOG_NOUNS: readonly string[] = [
  'Nest',
  'Corner',
  'Studio',
  'Journal',
  'Collective',
  'Society',
  'Edit',
  'Diaries',
  'House',
  'Club',
  'Workshop',
  'Notes',
  'Life',
  'Co.',
  'Lab',
  'Mama',
  'Guy',
  'Girl',
];

/** What a blog says it is about, after a `|` ("Living Low Key | Save Money, Make Money"). */
export const TAGLINES: readonly string[] = [
  'Lifestyle Blog',
  'DIY, Home & Family',
  'Save Money, Make Money, & Frugal Living',
  'Travel+Food+DIY+Listicles',
  'Decor Ideas, Hairstyles, Nails Fashion Advice',
  'Mom Tips & Teacher Stuff',
  'Recipes, Crafts & Printables',
  'Simple Living',
  'Style & Beauty Tips',
  'Home Decor Wall Art',
];
