import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MSKEvent } from 'aws-lambda';
import { QUERY_COLUMNS, QUERY_IDS, readResultTable, runAnalytics } from '../../../libs/analytics';
import { landMskEvent } from '../../../libs/batch';
import { generatePosts } from '../../../libs/emulator/generator';
import { KINDS, type Kind } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from '../../unit/analytics/batch-lake';
import { FIXED_GEOS, FIXED_PINS, FIXED_USERS } from '../../unit/analytics/fixed-posts';

const ROOT = join(__dirname, '..', '..', '..');
const RUN = new Date('2026-03-01T02:30:00.000Z');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/pinlake.js …` as a user would and collects its exit code and output. */
function pinlake(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('node', ['bin/pinlake.js', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

// The hand-made posts plus one whose country and poster name need CSV quoting.
const QUOTED_PIN = {
  ...FIXED_PINS[0]!,
  ind: 20,
  poster_name: 'The "Best", Shop',
  follower_count: 1_234_567,
  source: 'kafka:pinlake.pin:0:20',
};
const QUOTED_GEO = {
  ...FIXED_GEOS[1]!,
  ind: 20,
  country: 'Korea, Republic of',
  source: 'kafka:pinlake.geo:0:20',
};

describe('Commands: pinlake query, report and batch', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let handMade: string;
  let empty: string;

  beforeAll(async () => {
    dir = await makeTempDir('analytics-cli');
    handMade = join(dir.path, 'hand-made');
    const store = new FileStore(handMade);
    await writeBatchTables(store, {
      pin: [...FIXED_PINS, QUOTED_PIN],
      geo: [...FIXED_GEOS, QUOTED_GEO],
      user: FIXED_USERS,
    });
    await runAnalytics(store, { now: RUN, threads: 1 });
    empty = join(dir.path, 'empty');
    await runAnalytics(new FileStore(empty), { now: RUN, threads: 1 });
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  it('prints a result as an aligned table with thousands separators', async () => {
    // Act
    const run = await pinlake('query', 'top_user_by_country', '--lake', handMade);

    // Assess
    expect(run).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: [
        'country             poster_name       follower_count',
        '------------------  ----------------  --------------',
        'Albania             Bob                          300',
        'Armenia             Fay                        5,000',
        'Chad                Hal                        5,000',
        'Korea, Republic of  The "Best", Shop       1,234,567',
        '',
      ].join('\n'),
    });
  });

  it('prints medians with their fraction in the table format', async () => {
    // Act
    const run = await pinlake(
      'query',
      'median_followers_by_age_group',
      '--lake',
      handMade,
      '--format',
      'table',
    );

    // Assess
    expect(run).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: [
        'age_group  median_follower_count',
        '---------  ---------------------',
        '18-24                        300',
        '25-35                         50',
        '36-50                      5,000',
        '+50                      5,000.5',
        '',
      ].join('\n'),
    });
  });

  it('prints a result as CSV with RFC 4180 quoting and plain numbers', async () => {
    // Act
    const run = await pinlake('query', 'top_user_by_country', '--lake', handMade, '--format', 'csv');

    // Assess
    expect(run).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: [
        'country,poster_name,follower_count',
        'Albania,Bob,300',
        'Armenia,Fay,5000',
        'Chad,Hal,5000',
        '"Korea, Republic of","The ""Best"", Shop",1234567',
        '',
      ].join('\n'),
    });
  });

  it('prints a result as a JSON object keyed by the question id', async () => {
    // Act
    const run = await pinlake('query', 'top_country_by_followers', '--lake', handMade, '--format', 'json');

    // Assess
    expect(run).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: `${JSON.stringify({ top_country_by_followers: [{ country: 'Korea, Republic of', follower_count: 1_234_567 }] }, null, 2)}\n`,
    });
  });

  it('prints every question under a "# <id>" line with "all"', async () => {
    // Prepare
    const section = (id: (typeof QUERY_IDS)[number]) => {
      const columns = QUERY_COLUMNS[id];
      return `# ${id}\n${columns.join(',')}\n`;
    };

    // Act
    const run = await pinlake('query', 'all', '--lake', empty, '--format', 'csv');

    // Assess
    expect(run).toStrictEqual({ code: 0, stderr: '', stdout: QUERY_IDS.map(section).join('\n') });
  });

  it('exits 2 and lists the valid ids for an unknown question', async () => {
    // Act
    const run = await pinlake('query', 'top_everything', '--lake', empty);

    // Assess
    expect(run).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `pinlake: unknown question "top_everything"; use "all" or one of: ${QUERY_IDS.join(', ')}\n`,
    });
  });

  it('rebuilds the report and prints its path', async () => {
    // Act
    const run = await pinlake('report', '--lake', handMade);

    // Assess
    const path = join(handMade, 'reports', '2026-03-01T02-30-00.000Z', 'index.html');
    expect(run).toStrictEqual({ code: 0, stderr: '', stdout: `${path}\n` });
    expect(await readFile(path, 'utf8')).toContain('data-query="top_user_by_country"');
  });

  it('cleans the landed records, answers every question over them and writes the report', async () => {
    // Prepare
    const lake = join(dir.path, 'landed');
    const store = new FileStore(lake);
    const posts = [...generatePosts({ posts: 400, seed: 21, poolSize: 300 })];
    for (const kind of KINDS)
      await landMskEvent(
        store,
        mskEvent(
          kind,
          posts.map((post) => post[kind]),
        ),
      );
    const answers = answerAll(cleanPosts({ posts: 400, seed: 21, poolSize: 300 }));

    // Act
    const run = await pinlake('batch', '--lake', lake, '--json');

    // Assess
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { batchClean: { rowsWritten: unknown }; report: string };
    expect(summary.batchClean.rowsWritten).toStrictEqual({ pin: 400, geo: 400, user: 400 });
    const stored = await Promise.all(
      QUERY_IDS.map(async (id) => (await readResultTable(store, id))!.result.rows),
    );
    expect(stored).toStrictEqual(QUERY_IDS.map((id) => answers[id]));
    await expect(access(summary.report)).resolves.toBeUndefined();
  });

  it('explains each command with --help', async () => {
    // Act
    const runs = await Promise.all(['batch', 'query', 'report'].map((command) => pinlake(command, '--help')));

    // Assess
    expect(runs.map((run) => [run.code, run.stdout.split('\n')[0]])).toStrictEqual([
      [0, 'Usage: pinlake batch [options]'],
      [0, 'Usage: pinlake query [options] <id>'],
      [0, 'Usage: pinlake report [options]'],
    ]);
    for (const run of runs) expect(run.stdout).toContain('--lake <dir>');
  });
});

/** An MSK event of partition 0 of `pinlake.<kind>` holding the values at offsets 0…, as Lambda builds it. */
function mskEvent(kind: Kind, values: readonly unknown[]): MSKEvent {
  const topic = `pinlake.${kind}`;
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/pinlake/abc',
    bootstrapServers: 'b-1.pinlake:9098',
    records: {
      [`${topic}-0`]: values.map((value, offset) => ({
        topic,
        partition: 0,
        offset,
        timestamp: Date.UTC(2026, 2, 1) + offset,
        timestampType: 'CREATE_TIME',
        key: '',
        value: Buffer.from(JSON.stringify(value)).toString('base64'),
        headers: [],
      })),
    },
  };
}
