import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { QUERY_IDS } from '../../../libs/analytics';
import { streamName, topicName } from '../../../libs/naming';
import { KINDS } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import type { PipelineSummary } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';
import { expectedAnswers, expectedRows, readAnswers, readTable } from './lake-rows';

const bin = join(__dirname, '../../../bin/pinlake.js');

/** Runs `node bin/pinlake.js …` and collects its exit code and output. */
const run = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

let lake: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  lake = await makeTempDir('pinlake-start');
});
afterAll(async () => {
  await lake.cleanup();
});

// A whole pipeline run takes seconds here, but more when the machine is shared: a generous timeout.
describe('pinlake start --json', () => {
  it('lands every post, cleaned, exactly once in the stream and batch tables, and answers the analytics from them', async () => {
    // Prepare
    const answers = expectedAnswers(500, 7);
    const args = [
      'start',
      '--posts',
      '500',
      '--seed',
      '7',
      '--lake',
      lake.path,
      '--pipeline-id',
      'it7',
      '--json',
    ];

    // Act
    const { status, stdout, stderr } = await run(args);

    // Assess
    expect({ status, stderr }).toStrictEqual({ status: 0, stderr: '' });
    const summary = JSON.parse(stdout) as PipelineSummary;
    expect(summary).toStrictEqual({
      lake: `file://${lake.path}`,
      pipelineId: 'it7',
      source: 'generator (seed 7)',
      mode: 'both',
      chaos: 0,
      interrupted: false,
      posts: {
        sent: 500,
        complete: 500,
        incomplete: 0,
        records: 3000,
        recordsFailed: 0,
        retries: 0,
        perSecond: expect.any(Number),
      },
      requests: { '200': 3000 },
      tables: {
        'stream/pin': 500,
        'stream/geo': 500,
        'stream/user': 500,
        'batch/pin': 500,
        'batch/geo': 500,
        'batch/user': 500,
        ...Object.fromEntries(QUERY_IDS.map((id) => [`analytics/${id}`, answers[id].length])),
      },
      quarantined: {},
      onFailure: 0,
      nulled: expect.any(Object),
      report: expect.stringMatching(new RegExp(`^file://${lake.path}/reports/[\\w.-]+/index\\.html$`)),
      stages: {
        start: 'ok',
        send: 'ok',
        drain: 'ok',
        'batch-clean': 'ok',
        analytics: 'ok',
      },
      durationsMs: {
        start: expect.any(Number),
        send: expect.any(Number),
        drain: expect.any(Number),
        'batch-clean': expect.any(Number),
        analytics: expect.any(Number),
        total: expect.any(Number),
      },
      failures: [],
    });
    const store = new FileStore(lake.path);
    expect(await readAnswers(store)).toStrictEqual(answers);
    for (const kind of KINDS) {
      const expected = expectedRows(500, 7, kind);
      const stream = await readTable(store, 'stream', kind);
      const batch = await readTable(store, 'batch', kind);
      expect(stream.rows).toStrictEqual(expected);
      expect(batch.rows).toStrictEqual(expected);
      const sources = [...stream.sources, ...batch.sources];
      expect(new Set(sources).size).toBe(1000);
      const streamSource = new RegExp(`^kinesis:${streamName('it7', kind)}:shardId-\\d{12}:\\d+$`);
      const batchSource = new RegExp(`^kafka:${topicName('it7', kind).replace('.', '\\.')}:[01]:\\d+$`);
      expect(stream.sources.filter((source) => !streamSource.test(source))).toStrictEqual([]);
      expect(batch.sources.filter((source) => !batchSource.test(source))).toStrictEqual([]);
    }
    const shown = await run(['status', '--lake', lake.path, '--json']);
    expect({ status: shown.status, stderr: shown.stderr }).toStrictEqual({ status: 0, stderr: '' });
    const inventory = JSON.parse(shown.stdout) as Pick<
      PipelineSummary,
      'tables' | 'quarantined' | 'onFailure'
    >;
    expect({ ...inventory, freshness: undefined }).toStrictEqual({
      tables: summary.tables,
      quarantined: summary.quarantined,
      onFailure: summary.onFailure,
      freshness: undefined,
    });
  }, 120_000);
});
