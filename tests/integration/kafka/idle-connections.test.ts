import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { KafkaBroker } from '../../../local/kafka';

// ingest-batch keeps its producer's connections for the next warm invocation; a process with nothing
// else to do (`sls invoke local` after the reply) must still exit. Checked in a separate process.

const ROOT = resolve(__dirname, '../../..');
const run = promisify(execFile);

describe('an idle producer connection', () => {
  let broker: KafkaBroker;
  const requests: string[] = [];

  beforeAll(async () => {
    broker = await KafkaBroker.start({
      autoCreateTopics: false,
      log: () => undefined,
      topics: [{ name: 'idle.pin', partitions: 1 }],
      onRequest: (request) => {
        if (request.clientId === 'idle-child') requests.push(request.api);
      },
    });
  });
  afterAll(() => broker.close());

  it('is reused by the next send and lets the process exit once nothing is in flight', async () => {
    // Act: a generous limit; the child exits in well under a second when nothing holds it.
    const child = await run(
      process.execPath,
      [join(ROOT, 'bin/run-ts.js'), join(__dirname, 'idle-producer-child.ts'), broker.bootstrap, 'idle.pin'],
      { cwd: ROOT, timeout: 60_000 },
    ).catch((error: Error & { killed?: boolean; stderr?: string }) => ({
      stdout: '',
      stderr: `${error.killed ? 'still running after 60 s (killed)' : error.message}\n${error.stderr ?? ''}`,
    }));

    // Assess
    expect([child.stdout.trim(), child.stderr.trim()]).toStrictEqual([
      JSON.stringify([[{ partition: 0, offset: 0 }], [{ partition: 0, offset: 1 }]]),
      '',
    ]);
    expect(requests).toStrictEqual(['ApiVersions', 'Metadata', 'InitProducerId', 'Produce', 'Produce']);
  });
});
