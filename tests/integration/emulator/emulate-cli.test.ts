import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePosts } from '../../../libs/emulator';
import { makeTempDir } from '../../helpers/temp-dir';
import { runCli } from './run-cli';
import { type Answer, produceReply, type Received, type ScriptedApi, startScriptedApi } from './scripted-api';

let temp: { path: string; cleanup: () => Promise<void> };
let api: ScriptedApi | undefined;
beforeAll(async () => {
  temp = await makeTempDir('pinlake-emulate-cli');
});
afterEach(async () => {
  await api?.close();
  api = undefined;
});
afterAll(async () => {
  await temp.cleanup();
});

const ok = (request: Received): Answer =>
  request.method === 'POST' ? produceReply() : { status: 200, body: {} };

describe('pinlake emulate', () => {
  it('sends a posts file, warns about its malformed line and prints a summary', async () => {
    // Prepare
    api = await startScriptedApi(ok);
    const posts = [...generatePosts({ posts: 4, seed: 5 })];
    const path = join(temp.path, 'posts.ndjson');
    const lines = posts.map((post) => JSON.stringify(post));
    await writeFile(path, `${lines[0]}\nnot json\n${lines.slice(1).join('\n')}\n`);

    // Act
    const result = await runCli([
      'emulate',
      '--api',
      api.url,
      '--api-key',
      'k',
      '--source',
      path,
      '--mode',
      'batch',
    ]);

    // Assess
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^pinlake: skipping line 2 of ${path}: not JSON \\(.+\\)\\n$`));
    expect(result.stdout).toMatch(
      new RegExp(
        `^sent 4 of 4 posts \\(batch\\) from file ${path} in \\d+\\.\\d\\d s, [\\d.]+ posts/s\\n` +
          'records: 12 sent, 0 failed; requests by status: 200 ×12; 0 retries\\n' +
          'skipped 1 malformed line of the source\\n$',
      ),
    );
    expect(api.received.map((request) => request.body)).toHaveLength(12);
  });

  it('prints one JSON object and exits 1 when records finally fail', async () => {
    // Prepare
    api = await startScriptedApi(() => ({ status: 400, body: { message: 'no' } }));

    // Act
    const result = await runCli(['emulate', '--api', api.url, '--posts', '2', '--mode', 'stream', '--json']);

    // Assess
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect({ ...summary, durationMs: 0, postsPerSecond: 0, failures: [] }).toStrictEqual({
      source: 'generator (seed 1)',
      skippedLines: { count: 0, first: [] },
      mode: 'stream',
      posts: 2,
      postsComplete: 0,
      postsIncomplete: 2,
      records: { sent: 0, failed: 6 },
      requests: { '400': 6 },
      retries: 0,
      failures: [],
      stoppedBy: 'end',
      sourceError: null,
      durationMs: 0,
      postsPerSecond: 0,
    });
    expect(summary.failures).toHaveLength(6);
  });

  it('stops cleanly on SIGINT: no new post, a summary, exit 1', async () => {
    // Prepare
    let signalled = false;
    api = await startScriptedApi(ok);
    const args = [
      'emulate',
      '--api',
      api.url,
      '--posts',
      '1000',
      '--rate',
      '20',
      '--mode',
      'stream',
      '--json',
    ];

    // Act
    const result = await runCli(args, (child) => {
      const timer = setInterval(() => {
        if ((api?.received.length ?? 0) >= 3 && !signalled) {
          signalled = true;
          child.kill('SIGINT');
          clearInterval(timer);
        }
      }, 5);
    });

    // Assess
    const summary = JSON.parse(result.stdout) as { stoppedBy: string; posts: number; records: unknown };
    expect(result.status).toBe(1);
    expect(summary.stoppedBy).toBe('abort');
    expect(summary.posts).toBeLessThan(1000);
    expect(summary.records).toStrictEqual({ sent: 3 * summary.posts, failed: 0 });
    expect(api.received).toHaveLength(3 * summary.posts);
  });

  it('exits 2 naming the problem for a missing --api, a bad mode or a bad rate', async () => {
    // Prepare
    const calls = [
      ['emulate'],
      ['emulate', '--api', 'http://127.0.0.1:9', '--mode', 'sideways'],
      ['emulate', '--api', 'http://127.0.0.1:9', '--rate', '0'],
    ];

    // Act
    const results = await Promise.all(calls.map((args) => runCli(args)));

    // Assess
    expect(results.map((r) => [r.status, r.stderr])).toStrictEqual([
      [2, 'pinlake: --api URL is required (the API base URL, stage included)\n'],
      [2, 'pinlake: --mode must be batch, stream or both, got "sideways"\n'],
      [2, 'pinlake: --rate must be a positive number of posts per second, got "0"\n'],
    ]);
  });
});
