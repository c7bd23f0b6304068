import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  QUERY_IDS,
  ResultTableError,
  readResultTable,
  rebuildReport,
  runAnalytics,
} from '../../../libs/analytics';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from './batch-lake';

describe('Function: rebuildReport()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let lake = 0;

  beforeAll(async () => {
    dir = await makeTempDir('rebuild-report');
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  const freshStore = () => {
    lake += 1;
    return new FileStore(join(dir.path, `lake-${lake}`));
  };

  it('rebuilds the report from the result tables under the id of the run that wrote them', async () => {
    // Prepare
    const store = freshStore();
    await writeBatchTables(store, cleanPosts({ posts: 300, seed: 9, poolSize: 250 }));
    await runAnalytics(store, { now: new Date('2026-03-01T02:30:00Z'), threads: 1 });
    const stored = await Promise.all(QUERY_IDS.map(async (id) => (await readResultTable(store, id))!.result));

    // Act
    const rebuilt = await rebuildReport(store, new Date('2026-03-05T08:00:00Z'));

    // Assess
    expect(rebuilt).toStrictEqual({
      runId: '2026-03-01T02-30-00.000Z',
      reportKey: 'reports/2026-03-01T02-30-00.000Z/index.html',
      results: stored,
    });
    const html = await readFile(join(store.root, 'reports/latest/index.html'), 'utf8');
    expect(html).toContain('<time datetime="2026-03-05T08:00:00.000Z">');
    expect(await readFile(join(store.root, rebuilt.reportKey), 'utf8')).toBe(html);
  });

  it('refuses to rebuild a report when no run has written result tables', async () => {
    // Prepare
    const store = freshStore();

    // Act
    const error = await rebuildReport(store).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ResultTableError);
    expect((error as Error).message).toBe(
      `no analytics result tables under ${store.uri}/tables/analytics: run the analytics first`,
    );
  });
});
