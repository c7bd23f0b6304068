import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { type AnalyticsSummary, QUERY_IDS, readResultTable } from '../../../libs/analytics';
import { FileStore } from '../../../libs/storage';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from '../../unit/analytics/batch-lake';

const SCHEDULED: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-03-01T02:30:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/pinlake-batch-analytics'],
  detail: {},
};

const CONTEXT = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'pinlake-dev-batch-analytics',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:pinlake-dev-batch-analytics',
  memoryLimitInMB: '3008',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/pinlake-dev-batch-analytics',
  logStreamName: '2026/03/01/[$LATEST]abc',
  getRemainingTimeInMillis: () => 900_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

type Handler = (event: ScheduledEvent, context: Context) => Promise<AnalyticsSummary>;

describe('Function: batch-analytics handler', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;
  let handler: Handler;
  const saved = { LAKE_URI: process.env.LAKE_URI, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL };

  beforeAll(async () => {
    dir = await makeTempDir('batch-analytics');
    store = new FileStore(join(dir.path, 'lake'));
    process.env.LAKE_URI = pathToFileURL(store.root).href;
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    // The module reads its configuration when it loads, so it is loaded after the environment is set.
    ({ handler } = (await import('../../../functions/batch-analytics')) as unknown as { handler: Handler });
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await dir.cleanup();
  });

  it('answers the scheduled event with the run named by its time, over the lake LAKE_URI names', async () => {
    // Prepare
    const tables = cleanPosts({ posts: 600, seed: 4, poolSize: 500 });
    await writeBatchTables(store, tables, 2);
    const answers = answerAll(tables);

    // Act
    const summary = await handler(SCHEDULED, CONTEXT);

    // Assess
    expect({ ...summary, durations: undefined }).toStrictEqual({
      runId: '2026-03-01T02-30-00.000Z',
      engine: 'duckdb',
      runVersion: Date.parse('2026-03-01T02:30:00Z'),
      results: QUERY_IDS.map((id) => ({ id, rows: answers[id].length, status: 'written', version: 1 })),
      reportKey: 'reports/2026-03-01T02-30-00.000Z/index.html',
      inputs: { pin: { files: 2, rows: 600 }, geo: { files: 2, rows: 600 }, user: { files: 2, rows: 600 } },
      downloadedBytes: 0,
      durations: undefined,
    });
    const stored = await Promise.all(
      QUERY_IDS.map(async (id) => (await readResultTable(store, id))!.result.rows),
    );
    expect(stored).toStrictEqual(QUERY_IDS.map((id) => answers[id]));
    await expect(access(join(store.root, 'reports/latest/index.html'))).resolves.toBeUndefined();
  });

  it('writes nothing new when EventBridge delivers the same scheduled event again', async () => {
    // Act
    const again = await handler(SCHEDULED, CONTEXT);

    // Assess
    expect(again.results.map((r) => [r.status, r.version])).toStrictEqual(
      QUERY_IDS.map(() => ['duplicate', 1]),
    );
  });
});
