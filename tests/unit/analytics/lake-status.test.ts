import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  QUERY_IDS,
  ResultTableError,
  readLakeStatus,
  readResultTable,
  rebuildReport,
  runAnalytics,
} from '../../../libs/analytics';
import { writeRows } from '../../../libs/delta';
import { cleanTablePath, ensureCleanTable, writeQuarantine } from '../../../libs/pipeline';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from './batch-lake';

describe('Functions: readLakeStatus() and rebuildReport()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let lake = 0;

  beforeAll(async () => {
    dir = await makeTempDir('lake-status');
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  const freshStore = () => {
    lake += 1;
    return new FileStore(join(dir.path, `lake-${lake}`));
  };

  it('counts rows and the latest ingest per clean table, and quarantined records per origin', async () => {
    // Prepare
    const store = freshStore();
    const tables = cleanPosts({ posts: 40, seed: 5, poolSize: 100 });
    await ensureCleanTable(store, 'stream', 'geo');
    await writeRows(store, cleanTablePath('stream', 'geo'), TABLE_COLUMNS.geo, tables.geo.slice(0, 30));
    await writeRows(store, cleanTablePath('stream', 'geo'), TABLE_COLUMNS.geo, tables.geo.slice(30));
    await ensureCleanTable(store, 'stream', 'user');
    const quarantined = (origin: string, name: string) => ({
      origin,
      name,
      reason: 'not JSON: Unexpected token',
      source: `${origin}:${name}`,
      receivedAt: new Date('2026-03-01T10:00:00Z'),
      bytes: new TextEncoder().encode('{oops'),
    });
    await writeQuarantine(store, [
      quarantined('streaming-pinlake-pin', 'a'),
      quarantined('streaming-pinlake-pin', 'b'),
      quarantined('pinlake.user', 'c'),
    ]);

    // Act
    const status = await readLakeStatus(store);

    // Assess
    expect(status).toStrictEqual({
      volumes: {
        'batch/pin': 0,
        'batch/geo': 0,
        'batch/user': 0,
        'stream/pin': 0,
        'stream/geo': 40,
        'stream/user': 0,
      },
      freshness: {
        'batch/pin': null,
        'batch/geo': null,
        'batch/user': null,
        'stream/pin': null,
        'stream/geo': new Date('2024-06-01T00:00:39.000Z'),
        'stream/user': null,
      },
      quarantine: { 'pinlake.user': 1, 'streaming-pinlake-pin': 2 },
    });
  });

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
