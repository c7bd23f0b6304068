import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { emulatePosts, generatePosts } from '../../../libs/emulator';
import { topicName } from '../../../libs/naming';
import { KINDS } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { firstLine } from '../../helpers/first-line';
import { makeTempDir } from '../../helpers/temp-dir';
import { readTable } from '../start/lake-rows';

const bin = join(__dirname, '../../../bin/pinlake.js');

let lake: { path: string; cleanup: () => Promise<void> };
let child: ChildProcessWithoutNullStreams | undefined;
beforeAll(async () => {
  lake = await makeTempDir('pinlake-stack');
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await lake.cleanup();
});

// A whole pipeline run takes seconds here, but more when the machine is shared: a generous timeout.
describe('pinlake stack --json', () => {
  it('prints its endpoints on one line and, on SIGTERM, drains what the API accepted into the lake', async () => {
    // Prepare
    const args = [
      'stack',
      '--json',
      '--api-port',
      '0',
      '--pipeline-id',
      'stk',
      '--api-key',
      'k-123',
      '--lake',
      lake.path,
    ];
    child = spawn(process.execPath, [bin, ...args]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const endpoints = JSON.parse(await firstLine(child)) as Record<string, string>;
    const sent = await emulatePosts({
      api: endpoints.api ?? '',
      apiKey: 'k-123',
      source: generatePosts({ posts: 40, seed: 3 }),
      mode: 'both',
      pipelineId: 'stk',
    });

    // Act
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    // Assess
    expect(endpoints).toStrictEqual({
      api: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      kinesis: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      kafka: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      lake: `file://${lake.path}`,
    });
    expect(sent.requests).toStrictEqual({ '200': 240 });
    expect({ code, stderr }).toStrictEqual({
      code: 0,
      stderr:
        'pinlake stack: SIGTERM: no new requests (503); draining everything accepted into the lake…\npinlake stack: drained and stopped\n',
    });
    const store = new FileStore(lake.path);
    for (const kind of KINDS) {
      expect((await readTable(store, 'stream', kind)).rows).toHaveLength(40);
      const raw = await store.list(`raw/topics/${topicName('stk', kind)}/`);
      const lines = await Promise.all(
        raw.map(async ({ key }) =>
          String(await store.get(key))
            .split('\n')
            .filter((line) => line !== ''),
        ),
      );
      expect(lines.flat()).toHaveLength(40);
    }
  }, 120_000);
});
