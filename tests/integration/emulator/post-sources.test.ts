import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generatePosts,
  openPostSource,
  PostSourceError,
  type SkippedLine,
  type SourcePost,
  writePostsFile,
} from '../../../libs/emulator';
import { makeTempDir } from '../../helpers/temp-dir';

let temp: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir('pinlake-sources');
});
afterAll(async () => {
  await temp.cleanup();
});

async function collect(source: AsyncIterable<SourcePost>): Promise<SourcePost[]> {
  const posts: SourcePost[] = [];
  for await (const post of source) posts.push(post);
  return posts;
}

describe('openPostSource', () => {
  it('streams a posts file, skipping and reporting each malformed line with its number', async () => {
    // Prepare
    const [one, two, three] = [...generatePosts({ posts: 3, seed: 4 })];
    const path = join(temp.path, 'mixed.ndjson');
    const lines = [
      JSON.stringify(one),
      '{"pin": {"index": 1}, "geo": ',
      '',
      '{"pin":{"index":2},"geo":1}',
      '[1, 2, 3]',
      `${JSON.stringify(two)}\r`,
      '   ',
      JSON.stringify(three),
    ];
    await writeFile(path, `${lines.join('\n')}\n`);
    const reported: SkippedLine[] = [];

    // Act
    const source = await openPostSource(path, { onSkip: (skipped) => reported.push(skipped) });
    const posts = await collect(source);

    // Assess
    const expectedSkips = [
      { line: 2, reason: expect.stringMatching(/^not JSON \(.+\)$/) },
      { line: 4, reason: 'not a post: "geo", "user" missing or not an object' },
      { line: 5, reason: 'not a post: expected an object with "pin", "geo" and "user" objects' },
    ];
    expect(posts).toStrictEqual([one, two, three]);
    expect(reported).toStrictEqual(expectedSkips);
    expect(source.skipped).toStrictEqual({ count: 3, first: expectedSkips });
    expect(source.name).toBe(`file ${path}`);
  });

  it('reads back a file written by writePostsFile as the generator made it, up to --posts posts', async () => {
    // Prepare
    const outDir = join(temp.path, 'generated');
    await writePostsFile({ posts: 120, seed: 9, outDir });

    // Act
    const all = await collect(await openPostSource(join(outDir, 'posts.ndjson')));
    const first = await collect(await openPostSource(join(outDir, 'posts.ndjson'), { posts: 7 }));

    // Assess
    const generated = [...generatePosts({ posts: 120, seed: 9 })];
    expect(all).toStrictEqual(generated);
    expect(first).toStrictEqual(generated.slice(0, 7));
  });

  it('yields the generator posts for "generator" with the seed given', async () => {
    // Prepare
    const options = { posts: 25, seed: 77 };

    // Act
    const source = await openPostSource('generator', options);
    const posts = await collect(source);

    // Assess
    expect(posts).toStrictEqual([...generatePosts(options)]);
    expect(source.name).toBe('generator (seed 77)');
  });

  it('refuses a missing file, naming it', async () => {
    // Prepare
    const path = join(temp.path, 'missing.ndjson');

    // Act
    const attempt = openPostSource(path);

    // Assess
    await expect(attempt).rejects.toThrow(PostSourceError);
    await expect(attempt).rejects.toThrow(`cannot read the posts file ${path}: ENOENT`);
  });

  it('refuses the generator without a number of posts', async () => {
    // Prepare
    const spec = 'generator';

    // Act
    const attempt = openPostSource(spec);

    // Assess
    await expect(attempt).rejects.toThrow(
      new PostSourceError('the source generator needs a number of posts'),
    );
  });
});
