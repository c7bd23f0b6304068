import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '../../helpers/temp-dir';
import { copyFixture } from '../../unit/delta/fixture-copy';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');

async function pinlake(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/pinlake.js'), 'table', ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let temp: { path: string; cleanup: () => Promise<void> };
let table: string;
beforeEach(async () => {
  temp = await makeTempDir('delta-cli');
  table = await copyFixture('golden-basic-with-inserts-deletes-checkpoint', temp.path);
});
afterEach(() => temp.cleanup());

test('table info --json prints exactly version, numFiles, numRecords, partitionColumns and schema', async () => {
  // Act
  const result = await pinlake('info', '--json', `file://${table}`);
  // Assess
  expect(result).toStrictEqual({
    code: 0,
    stdout: `${JSON.stringify({
      version: 13,
      numFiles: 7,
      numRecords: 41,
      partitionColumns: [],
      schema: [{ name: 'id', type: 'long', nullable: true }],
    })}\n`,
    stderr: '',
  });
});

test('table optimize then vacuum --dry-run and history --json report the maintenance', async () => {
  // Act
  const optimized = await pinlake('optimize', '--json', '--target-size', '1M', table);
  const dryRun = await pinlake('vacuum', '--json', '--dry-run', '--retention-hours', '0', table);
  const latest = await pinlake('history', '--json', '--limit', '1', table);
  // Assess
  expect(JSON.parse(optimized.stdout)).toStrictEqual({
    version: 14,
    filesRemoved: 7,
    filesAdded: 1,
    rowsRewritten: 41,
  });
  expect(JSON.parse(dryRun.stdout).deleted).toHaveLength(14);
  expect(
    JSON.parse(latest.stdout).map((e: { operation: string; removedFiles: number }) => [
      e.operation,
      e.removedFiles,
    ]),
  ).toStrictEqual([['OPTIMIZE', 7]]);
});

test('table check exits 1 and lists the problems of a damaged table; a bad option exits 2', async () => {
  // Prepare
  await rm(join(table, 'part-00000-da82aeb5-4edb-4cc1-91ef-970c75c965cc-c000.snappy.parquet'));
  // Act
  const checked = await pinlake('check', table);
  const usage = await pinlake('vacuum', '--retention-hours', 'soon', table);
  // Assess
  expect(checked).toStrictEqual({
    code: 1,
    stdout: `${table}: 1 problem(s)\n  - data file part-00000-da82aeb5-4edb-4cc1-91ef-970c75c965cc-c000.snappy.parquet is missing\n`,
    stderr: '',
  });
  expect(usage.code).toBe(2);
  expect(usage.stderr).toBe(
    'pinlake: --retention-hours must be a non-negative number of hours, got "soon"\n',
  );
});
