import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir';

// Arguments are checked before any work starts: a bad --lake or --source ends with a clear message and
// exit 2 (a MySQL server that refuses: exit 1 with its message); a closed output pipe ends quietly.
const ROOT = join(__dirname, '..', '..', '..');
const FIXTURE = 'tests/fixtures/delta/golden-basic-with-inserts-deletes-checkpoint';

function pinlake(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'node',
      ['bin/pinlake.js', ...args],
      { cwd: ROOT, timeout: 30_000, env: { ...process.env, ...env } },
      (_e, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

let temp: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir('cli-arguments');
  await writeFile(join(temp.path, 'a-file'), 'x');
  await writeFile(join(temp.path, 'binary.dat'), Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 7]));
  await writeFile(join(temp.path, 'half.ndjson'), '\n{"pin":{},"geo":{}}\n');
});
afterAll(() => temp.cleanup());

describe('pinlake checks its arguments up front', () => {
  it.each([
    ['start', (dir: string) => ['start', '--lake', join(dir, 'a-file'), '--posts', '1']],
    ['stack', (dir: string) => ['stack', '--lake', join(dir, 'a-file'), '--api-port', '0']],
    ['batch', (dir: string) => ['batch', '--lake', join(dir, 'a-file')]],
  ])('%s refuses a --lake that is a regular file with exit 2', async (_name, args) => {
    // Act
    const run = await pinlake(args(temp.path));

    // Assess
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `pinlake: --lake ${join(temp.path, 'a-file')} is a regular file; it must be a directory\n`,
    });
  });

  it.each([
    ['start', ['start', '--pipeline-id', 'a.b', '--posts', '1']],
    ['stack', ['stack', '--pipeline-id', 'a.b', '--api-port', '0']],
    ['batch', ['batch', '--pipeline-id', 'a.b']],
    ['emulate', ['emulate', '--api', 'http://127.0.0.1:9', '--pipeline-id', 'a.b']],
  ])('%s refuses a --pipeline-id the pipeline cannot use with exit 2', async (_name, args) => {
    // Act
    const run = await pinlake(args);

    // Assess
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'pinlake: --pipeline-id must be 1-64 letters, digits, "_" or "-", got "a.b"\n',
    });
  });

  it('start refuses a --stream-commit-mode it does not know with exit 2', async () => {
    // Act
    const run = await pinlake(['start', '--stream-commit-mode', 'grouped', '--posts', '1']);

    // Assess
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'pinlake: --stream-commit-mode must be direct or staged, got "grouped"\n',
    });
  });

  it('status refuses a --lake that does not exist, and creates nothing', async () => {
    // Act
    const run = await pinlake(['status', '--lake', join(temp.path, 'nowhere')]);

    // Assess
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `pinlake: --lake ${join(temp.path, 'nowhere')}: no such directory\n`,
    });
  });

  it('opens a --lake whatever the rest of the environment says, but refuses a bad S3_ENDPOINT', async () => {
    // Prepare
    const lake = join(temp.path, 'empty-lake');
    await mkdir(lake);

    // Act
    const unrelated = await pinlake(['status', '--lake', lake, '--json'], {
      LAKE_URI: './x',
      PIPELINE_ID: 'a.b',
    });
    const badEndpoint = await pinlake(['status', '--lake', lake], { S3_ENDPOINT: 'not a url' });

    // Assess
    expect({ code: unrelated.code, stderr: unrelated.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(JSON.parse(unrelated.stdout).tables['batch/pin']).toBe(0);
    expect(badEndpoint).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'pinlake: invalid configuration: S3_ENDPOINT: must be a URL\n',
    });
  });

  it('refuses a --lake under /proc instead of spinning', async () => {
    // Act
    const run = await pinlake(['start', '--lake', '/proc/self/lake', '--posts', '1']);

    // Assess
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr:
        'pinlake: --lake /proc/self/lake is under /proc, a kernel file system; choose a directory on disk\n',
    });
  });

  it.each([
    ['binary.dat', /^pinlake: --source .*binary\.dat line 1: not JSON \(/],
    [
      'half.ndjson',
      /^pinlake: --source .*half\.ndjson line 2: not a post: "user" missing or not an object\n$/,
    ],
    ['missing.ndjson', /^pinlake: --source .*missing\.ndjson cannot be read: ENOENT/],
  ])(
    'refuses a --source file %s that cannot be read or parsed, naming the line, with exit 2',
    async (name, message) => {
      // Act
      const run = await pinlake([
        'emulate',
        '--api',
        'http://127.0.0.1:9',
        '--source',
        join(temp.path, name),
      ]);

      // Assess
      expect({ code: run.code, stdout: run.stdout }).toStrictEqual({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
    },
  );

  it('fails with exit 1 and the connection error when the MySQL source refuses', async () => {
    // Prepare: a port nothing listens on.
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    await new Promise((resolve) => server.close(resolve));

    // Act
    const run = await pinlake([
      'start',
      '--lake',
      join(temp.path, 'lake'),
      '--source',
      `mysql://root:pw@127.0.0.1:${port}/db`,
    ]);

    // Assess
    expect(run).toStrictEqual({
      code: 1,
      stdout: '',
      stderr: `pinlake: --source: cannot connect to mysql://root@127.0.0.1:${port}/db: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });
});

describe('output to a closed pipe', () => {
  it.each([['history'], ['info'], ['check']])(
    'ends quietly with exit 0 for pinlake table %s',
    async (command) => {
      const args = ['table', command, FIXTURE];
      // Prepare
      const child = spawn('node', ['bin/pinlake.js', ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });

      // Act: the reader goes away before the command has written anything.
      child.stdout.destroy();
      const code = await new Promise((resolve) => child.on('close', resolve));

      // Assess
      expect({ code, stderr }).toStrictEqual({ code: 0, stderr: '' });
    },
  );
});
