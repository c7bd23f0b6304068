import {
  drawRowIds,
  generatePosts,
  loadPostsIntoMysql,
  MysqlSourceError,
  openPostSource,
  type Post,
  type SourcePost,
} from '../../../libs/emulator';
import { type MariaDb, startMariaDb } from '../../helpers/mariadb';
import { runCli } from './run-cli';
import { type ScriptedApi, startScriptedApi } from './scripted-api';

// The MySQL source against a real MariaDB server started for this file: posts loaded with the
// loader come back through mysql:// exactly as generated, at the offsets the seed's emulator reads.
let db: MariaDb;
beforeAll(async () => {
  db = await startMariaDb();
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

async function readAll(url: string, posts: number, seed: number): Promise<SourcePost[]> {
  const source = await openPostSource(url, { posts, seed });
  const read: SourcePost[] = [];
  for await (const post of source) read.push(post);
  return read;
}

const sortedDistinctIds = (posts: readonly Post[]) =>
  [...new Set(posts.map((post) => post.pin.index))].sort((a, b) => a - b);

describe('the MySQL source', () => {
  it('reads back, offset by offset, exactly the posts the loader wrote, in the seed tables columns', async () => {
    // Prepare
    const generated = [...generatePosts({ posts: 400, seed: 11 })];
    const byId = new Map(generated.map((post) => [post.pin.index, post]));
    const ids = sortedDistinctIds(generated);

    // Act
    const loaded = await loadPostsIntoMysql(db.url, generated);
    const read = await readAll(db.url, 150, 5);

    // Assess
    const offsets = [...drawRowIds({ posts: 150, seed: 5, poolSize: ids.length })];
    expect(loaded).toStrictEqual({
      posts: 400,
      rows: ids.length,
      database: `mysql://pinlake@127.0.0.1:${db.port}/pinterest_data`,
    });
    expect(read).toStrictEqual(offsets.map((offset) => byId.get(ids[offset] as number)));
    expect(
      read.map((post) => Object.keys(post).map((kind) => Object.keys(post[kind as keyof SourcePost]))),
    ).toStrictEqual(
      read.map(() => [
        [
          'index',
          'unique_id',
          'title',
          'description',
          'poster_name',
          'follower_count',
          'tag_list',
          'is_image_or_video',
          'image_src',
          'downloaded',
          'save_location',
          'category',
        ],
        ['ind', 'timestamp', 'latitude', 'longitude', 'country'],
        ['ind', 'first_name', 'last_name', 'age', 'date_joined'],
      ]),
    );
  });

  it('replaces the tables on a second load, so only the new posts are read', async () => {
    // Prepare
    const first = [...generatePosts({ posts: 50, seed: 21 })];
    const second = [...generatePosts({ posts: 30, seed: 22 })];
    await loadPostsIntoMysql(db.url, first);

    // Act
    const loaded = await loadPostsIntoMysql(db.url, second);
    const read = await readAll(db.url, 60, 1);

    // Assess
    const byId = new Map(second.map((post) => [post.pin.index, post]));
    expect(loaded.rows).toBe(sortedDistinctIds(second).length);
    expect(read).toStrictEqual(read.map((post) => byId.get((post as Post).pin.index)));
    expect(new Set(read.map((post) => (post as Post).pin.index)).size).toBeGreaterThan(1);
  });

  it('fails with an error naming the database, not the password, when the login is refused', async () => {
    // Prepare
    const url = db.url.replace(/:[^:@/]+@/, ':wrong@');

    // Act
    const attempt = readAll(url, 1, 1);

    // Assess
    await expect(attempt).rejects.toThrow(MysqlSourceError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `^cannot connect to mysql://pinlake@127\\.0\\.0\\.1:${db.port}/pinterest_data: Access denied`,
      ),
    );
  });

  it('refuses to load a post whose three records do not share one id, naming the post', async () => {
    // Prepare
    const [post] = [...generatePosts({ posts: 1, seed: 2 })] as [Post];
    const broken = { ...post, geo: { ...post.geo, ind: post.pin.index + 1 } };

    // Act
    const attempt = loadPostsIntoMysql(db.url, [post, broken]);

    // Assess
    await expect(attempt).rejects.toThrow(
      new MysqlSourceError(
        `post 2 has no single integer id (pin index ${post.pin.index}, geo ind ${post.pin.index + 1}, user ind ${post.pin.index})`,
      ),
    );
  });

  it('feeds pinlake emulate --source mysql:// with what pinlake generate --mysql loaded', async () => {
    // Prepare
    const api: ScriptedApi = await startScriptedApi(() => ({ status: 200, body: {} }));
    const generated = await runCli(['generate', '--posts', '80', '--seed', '31', '--mysql', db.url]);

    // Act
    const emulated = await runCli([
      'emulate',
      '--api',
      api.url,
      '--source',
      db.url,
      '--posts',
      '12',
      '--seed',
      '4',
      '--mode',
      'stream',
    ]).finally(() => api.close());

    // Assess
    const expected = await readAll(db.url, 12, 4);
    const sent = api.received.map((request) => (request.body as { Data: unknown }).Data);
    expect(generated).toStrictEqual({
      status: 0,
      stdout: expect.stringMatching(
        new RegExp(
          `^loaded 80 posts \\(\\d+ distinct rows per table\\) into mysql://pinlake@127\\.0\\.0\\.1:${db.port}/pinterest_data in \\d+\\.\\d\\d s \\(seed 31\\)\\n$`,
        ),
      ),
      stderr: '',
    });
    expect(emulated.status).toBe(0);
    expect(emulated.stdout).toContain(
      `sent 12 of 12 posts (stream) from mysql://pinlake@127.0.0.1:${db.port}/pinterest_data`,
    );
    expect(sortJson(sent)).toStrictEqual(
      sortJson(expected.flatMap((post) => [post.pin, post.geo, post.user])),
    );
  });
});

const sortJson = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).sort();
