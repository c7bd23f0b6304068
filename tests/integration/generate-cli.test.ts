import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir';

const bin = join(__dirname, '../../bin/pinlake.js');

/** Runs `node bin/pinlake.js …` and collects its exit code and output. */
const run = (args: string[], cwd?: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

let temp: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir('pinlake-generate');
});
afterAll(async () => {
  await temp.cleanup();
});

describe('pinlake generate', () => {
  it('writes byte-identical posts.ndjson files for the same seed, and a one-line summary', async () => {
    // Prepare
    const args = ['generate', '--posts', '2500', '--seed', '123'];

    // Act
    const [first, second] = await Promise.all([
      run([...args, '--out', join(temp.path, 'one')]),
      run([...args, '--out', join(temp.path, 'two')]),
    ]);

    // Assess
    const one = await readFile(join(temp.path, 'one', 'posts.ndjson'));
    const two = await readFile(join(temp.path, 'two', 'posts.ndjson'));
    const lines = one.toString('utf8').trimEnd().split('\n');
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(two.equals(one)).toBe(true);
    expect(lines).toHaveLength(2500);
    expect(Object.keys(JSON.parse(lines[0]!))).toStrictEqual(['pin', 'geo', 'user']);
    expect(first.stdout).toMatch(
      /^wrote 2500 posts \(\d+ distinct ids, \d+\.\d MB\) to .*posts\.ndjson in \d+\.\d\d s \(seed 123\)\n$/,
    );
    expect(first.stderr).toBe('');
  });

  it('writes a different file for a different seed', async () => {
    // Prepare
    const out = join(temp.path, 'other-seed');

    // Act
    const result = await run(['generate', '--posts', '2500', '--seed', '124', '--out', out]);

    // Assess
    const other = await readFile(join(out, 'posts.ndjson'));
    const one = await readFile(join(temp.path, 'one', 'posts.ndjson'));
    expect(result.status).toBe(0);
    expect(other.equals(one)).toBe(false);
  });

  it('defaults to 10,000 posts, seed 1, in the current directory', async () => {
    // Prepare
    const cwd = join(temp.path, 'defaults');
    await mkdir(cwd);

    // Act
    const result = await run(['generate'], cwd);

    // Assess
    const lines = (await readFile(join(cwd, 'posts.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^wrote 10000 posts .* to posts\.ndjson in .* \(seed 1\)\n$/);
    expect(lines).toHaveLength(10000);
    expect(await readdir(cwd)).toStrictEqual(['posts.ndjson']);
  });

  it('prints help with the defaults and exits 0', async () => {
    // Prepare
    const args = ['generate', '--help'];

    // Act
    const result = await run(args);

    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: pinlake generate [options]');
    expect(result.stdout).toContain('(default: "10000")');
    expect(result.stdout).toContain('integer from 0 to 4294967295 (default: "1")');
  });

  it('exits 2 with a clear message for a bad count or seed, or an unknown option', async () => {
    // Prepare
    const calls = [
      ['generate', '--posts', 'many'],
      ['generate', '--seed', '4294967296'],
      ['generate', '--seed', '-1'],
      ['generate', '--colour', 'red'],
    ];

    // Act
    const results = await Promise.all(calls.map((args) => run([...args, '--out', join(temp.path, 'bad')])));

    // Assess
    expect(results.map((r) => r.status)).toStrictEqual([2, 2, 2, 2]);
    expect(results[0]!.stderr).toBe('pinlake: --posts must be a non-negative integer, got "many"\n');
    expect(results[1]!.stderr).toBe('pinlake: --seed must be at most 4294967295, got "4294967296"\n');
    expect(results[3]!.stderr).toContain("unknown option '--colour'");
    await expect(readdir(join(temp.path, 'bad'))).rejects.toThrow('ENOENT');
  });

  it('exits 1 naming the file when it cannot be written', async () => {
    // Prepare
    const blocked = join(temp.path, 'one', 'posts.ndjson', 'below');

    // Act
    const result = await run(['generate', '--posts', '5', '--out', blocked]);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`pinlake: cannot write ${join(blocked, 'posts.ndjson')}`);
  });
});
