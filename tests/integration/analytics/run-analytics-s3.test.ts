import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeFileError, QUERY_IDS, readResultTable, runAnalytics } from '../../../libs/analytics';
import { loadSnapshot } from '../../../libs/delta';
import { KINDS } from '../../../libs/records/tables';
import { S3Store } from '../../../libs/storage';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from '../../unit/analytics/batch-lake';
import { S3RVER_CREDENTIALS, startS3rver } from '../storage/s3rver';

describe('Function: runAnalytics() over an s3:// lake (s3rver)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let s3rver: { endpoint: string; close: () => Promise<void> };
  let downloads: string;

  beforeAll(async () => {
    dir = await makeTempDir('analytics-s3');
    s3rver = await startS3rver(join(dir.path, 's3rver'), ['lake']);
    downloads = join(dir.path, 'downloads');
    await mkdir(downloads);
  });

  afterAll(async () => {
    await s3rver.close();
    await dir.cleanup();
  });

  const storeAt = (prefix: string) =>
    new S3Store(`s3://lake/${prefix}`, {
      endpoint: s3rver.endpoint,
      credentials: S3RVER_CREDENTIALS,
      region: 'us-east-1',
    });

  it('downloads the active files to a temporary folder, answers from them and removes them', async () => {
    // Prepare
    const store = storeAt('answers');
    const tables = cleanPosts({ posts: 800, seed: 13, poolSize: 600 });
    await writeBatchTables(store, tables, 2);
    const answers = answerAll(tables);
    let activeBytes = 0;
    for (const kind of KINDS) {
      for (const file of (await loadSnapshot(store, `tables/batch/${kind}`)).files) activeBytes += file.size;
    }

    // Act
    const summary = await runAnalytics(store, { now: new Date('2026-03-01T02:30:00Z'), tempDir: downloads });

    // Assess
    const stored = await Promise.all(
      QUERY_IDS.map(async (id) => (await readResultTable(store, id))!.result.rows),
    );
    expect(stored).toStrictEqual(QUERY_IDS.map((id) => answers[id]));
    expect(summary.downloadedBytes).toBe(activeBytes);
    expect(await readdir(downloads)).toStrictEqual([]);
    expect(await store.get('reports/latest/index.html')).toBeInstanceOf(Uint8Array);
  });

  it('names the missing data file, and leaves no download behind', async () => {
    // Prepare
    const store = storeAt('missing');
    await writeBatchTables(store, cleanPosts({ posts: 50, seed: 2, poolSize: 50 }));
    const [file] = (await loadSnapshot(store, 'tables/batch/geo')).files;
    await store.delete(`tables/batch/geo/${file!.path}`);

    // Act
    const error = await runAnalytics(store, { tempDir: downloads }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LakeFileError);
    expect((error as Error).message).toBe(
      `active data file tables/batch/geo/${file!.path} is missing from s3://lake/missing`,
    );
    expect(await readdir(downloads)).toStrictEqual([]);
  });
});
