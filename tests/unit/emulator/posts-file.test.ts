import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GeneratorError, generatePosts, PostsFileError, writePostsFile } from '../../../libs/emulator';
import { makeTempDir } from '../../helpers/temp-dir';

let temp: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir('pinlake-posts');
});
afterEach(async () => {
  await temp.cleanup();
});

describe('writePostsFile', () => {
  it('writes one JSON post per line, exactly what generatePosts yields, and summarises it', async () => {
    // Prepare
    const options = { posts: 3000, seed: 11 };
    const expected = [...generatePosts(options)].map((post) => `${JSON.stringify(post)}\n`).join('');
    const progress: number[] = [];

    // Act
    const summary = await writePostsFile({
      ...options,
      outDir: join(temp.path, 'nested', 'out'),
      onProgress: (n) => progress.push(n),
    });

    // Assess
    const written = await readFile(join(temp.path, 'nested', 'out', 'posts.ndjson'), 'utf8');
    const distinct = new Set([...generatePosts(options)].map((post) => post.pin.index)).size;
    expect(written).toBe(expected);
    expect(summary).toStrictEqual({
      path: join(temp.path, 'nested', 'out', 'posts.ndjson'),
      posts: 3000,
      distinctIds: distinct,
      bytes: Buffer.byteLength(expected),
    });
    expect(progress).toStrictEqual([3000]);
    expect(await readdir(join(temp.path, 'nested', 'out'))).toStrictEqual(['posts.ndjson']);
  });

  it('writes an empty file for zero posts', async () => {
    // Prepare
    const options = { posts: 0, seed: 1, outDir: temp.path };

    // Act
    const summary = await writePostsFile(options);

    // Assess
    expect(summary).toStrictEqual({
      path: join(temp.path, 'posts.ndjson'),
      posts: 0,
      distinctIds: 0,
      bytes: 0,
    });
    expect(await readFile(join(temp.path, 'posts.ndjson'), 'utf8')).toBe('');
  });

  it('reports progress every 8,192 posts and at the end', async () => {
    // Prepare
    const progress: number[] = [];

    // Act
    await writePostsFile({ posts: 20000, seed: 2, outDir: temp.path, onProgress: (n) => progress.push(n) });

    // Assess
    expect(progress).toStrictEqual([8192, 16384, 20000]);
  });

  it('fails with a PostsFileError naming the file when the directory cannot be made, leaving nothing', async () => {
    // Prepare
    const blocker = join(temp.path, 'a-file');
    await writeFile(blocker, 'not a directory');

    // Act
    const attempt = writePostsFile({ posts: 10, seed: 1, outDir: join(blocker, 'out') });

    // Assess
    await expect(attempt).rejects.toThrow(PostsFileError);
    await expect(attempt).rejects.toThrow(`cannot write ${join(blocker, 'out', 'posts.ndjson')}`);
    expect(await readdir(temp.path)).toStrictEqual(['a-file']);
  });

  it('rejects bad options before touching the disk', async () => {
    // Prepare
    const outDir = join(temp.path, 'never');

    // Act
    const attempt = writePostsFile({ posts: 10, seed: -1, outDir });

    // Assess
    await expect(attempt).rejects.toThrow(GeneratorError);
    expect(await readdir(temp.path)).toStrictEqual([]);
  });
});
