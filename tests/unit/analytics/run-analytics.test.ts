import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANALYTICS_APP_ID,
  QUERY_COLUMNS,
  QUERY_IDS,
  type QueryId,
  type QueryResult,
  ReportWriteError,
  readResultTable,
  runAnalytics,
  runIdFor,
} from '../../../libs/analytics';
import { history, loadSnapshot } from '../../../libs/delta';
import { resultTablePath } from '../../../libs/lake';
import { FileStore } from '../../../libs/storage';
import { answerAll, type CleanTables } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, concatTables, writeBatchTables } from './batch-lake';

const FIRST_RUN = new Date('2026-03-01T02:30:00.000Z');
const SECOND_RUN = new Date('2026-03-02T02:30:00.000Z');

/** The answer key's rows for every question, shaped as stored results. */
function expectedResults(tables: CleanTables): QueryResult[] {
  const answers = answerAll(tables);
  return QUERY_IDS.map((id) => ({ id, columns: [...QUERY_COLUMNS[id]], rows: answers[id] }));
}

async function storedResults(store: FileStore): Promise<QueryResult[]> {
  const stored = await Promise.all(QUERY_IDS.map((id) => readResultTable(store, id)));
  return stored.map((entry) => entry!.result);
}

describe('Function: runAnalytics()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let lake = 0;

  beforeAll(async () => {
    dir = await makeTempDir('run-analytics');
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  const freshStore = () => {
    lake += 1;
    return new FileStore(join(dir.path, `lake-${lake}`));
  };

  it('writes every answer as a Delta table equal to the independent answer key, and the report', async () => {
    // Prepare
    const store = freshStore();
    const tables = cleanPosts({ posts: 3000, seed: 7, poolSize: 2000 });
    await writeBatchTables(store, tables, 3);
    const expected = expectedResults(tables);

    // Act
    const summary = await runAnalytics(store, { now: FIRST_RUN, threads: 2 });

    // Assess
    expect(await storedResults(store)).toStrictEqual(expected);
    expect({ ...summary, durations: undefined }).toStrictEqual({
      runId: '2026-03-01T02-30-00.000Z',
      engine: 'duckdb',
      runVersion: FIRST_RUN.getTime(),
      results: expected.map((r) => ({ id: r.id, rows: r.rows.length, status: 'written', version: 1 })),
      reportKey: 'reports/2026-03-01T02-30-00.000Z/index.html',
      inputs: {
        pin: { files: 3, rows: 3000 },
        geo: { files: 3, rows: 3000 },
        user: { files: 3, rows: 3000 },
      },
      downloadedBytes: 0,
      durations: undefined,
    });
    const report = await readFile(join(store.root, summary.reportKey), 'utf8');
    expect(await readFile(join(store.root, 'reports/latest/index.html'), 'utf8')).toBe(report);
    expect(report).toContain('<code>2026-03-01T02-30-00.000Z</code>');
    expect(report).toContain(
      '<div class="tile" data-table="batch/pin"><h2>batch/pin rows</h2><p class="big">3,000</p>',
    );
  });

  it('replaces each result table on the next run, one commit per run, never appending', async () => {
    // Prepare
    const store = freshStore();
    const before = cleanPosts({ posts: 1500, seed: 11, poolSize: 1000 });
    await writeBatchTables(store, before);
    await runAnalytics(store, { now: FIRST_RUN, threads: 1 });
    const after = cleanPosts({ posts: 1500, seed: 11, poolSize: 1000, first: 1500 });
    await writeBatchTables(store, after);
    const expected = expectedResults(concatTables(before, after));

    // Act
    const summary = await runAnalytics(store, { now: SECOND_RUN, threads: 1 });

    // Assess
    expect(await storedResults(store)).toStrictEqual(expected);
    expect(summary.results.map((r) => [r.status, r.version])).toStrictEqual(
      QUERY_IDS.map(() => ['written', 2]),
    );
    for (const id of QUERY_IDS) {
      const snapshot = await loadSnapshot(store, resultTablePath(id));
      const commits = await history(store, resultTablePath(id));
      expect({
        files: snapshot.files.length,
        txns: snapshot.txns,
        commits: commits.map((c) => [c.version, c.operation, c.removedFiles]),
      }).toStrictEqual({
        files: 1,
        txns: { [ANALYTICS_APP_ID]: SECOND_RUN.getTime() },
        commits: [
          [2, 'WRITE', 1],
          [1, 'WRITE', 0],
          [0, 'CREATE TABLE', 0],
        ],
      });
    }
  });

  it('writes nothing new when the same run is repeated (a retried schedule)', async () => {
    // Prepare
    const store = freshStore();
    await writeBatchTables(store, cleanPosts({ posts: 500, seed: 3, poolSize: 400 }));
    const first = await runAnalytics(store, { now: FIRST_RUN, threads: 1 });
    await writeBatchTables(store, cleanPosts({ posts: 500, seed: 3, poolSize: 400, first: 500 }));

    // Act
    const again = await runAnalytics(store, { now: FIRST_RUN, threads: 1 });

    // Assess
    expect(again.results).toStrictEqual(first.results.map((r) => ({ ...r, status: 'duplicate' })));
    const versions = await Promise.all(
      QUERY_IDS.map(async (id) => (await loadSnapshot(store, resultTablePath(id))).version),
    );
    expect(versions).toStrictEqual(QUERY_IDS.map(() => 1));
  });

  it('answers a lake with no batch tables with empty result tables and a report', async () => {
    // Prepare
    const store = freshStore();

    // Act
    const summary = await runAnalytics(store, { now: FIRST_RUN, runId: 'empty-run' });

    // Assess
    expect(await storedResults(store)).toStrictEqual(
      QUERY_IDS.map((id) => ({ id, columns: [...QUERY_COLUMNS[id]], rows: [] })),
    );
    expect(summary.results.map((r) => r.rows)).toStrictEqual(QUERY_IDS.map(() => 0));
    expect(summary.inputs).toStrictEqual({
      pin: { files: 0, rows: 0 },
      geo: { files: 0, rows: 0 },
      user: { files: 0, rows: 0 },
    });
    const report = await readFile(join(store.root, 'reports/empty-run/index.html'), 'utf8');
    expect(report.match(/data-query="/g)).toHaveLength(QUERY_IDS.length);
  });

  it('types the result columns: names string, counts long, years integer, medians double', async () => {
    // Prepare
    const store = freshStore();
    await runAnalytics(store, { now: FIRST_RUN });
    const typeOf = async (id: QueryId) =>
      (await loadSnapshot(store, resultTablePath(id))).schema.fields.map(
        (f) => `${f.name} ${String(f.type)}`,
      );

    // Act
    const schemas = await Promise.all(
      (['top_category_by_year', 'top_user_by_country', 'median_followers_by_age_group'] as const).map(typeOf),
    );

    // Assess
    expect(schemas).toStrictEqual([
      ['post_year integer', 'category string', 'category_count long'],
      ['country string', 'poster_name string', 'follower_count long'],
      ['age_group string', 'median_follower_count double'],
    ]);
  });

  it('refuses a run id that is not a safe key segment before reading anything', async () => {
    // Act
    const error = await runAnalytics(freshStore(), { runId: '../escape' }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ReportWriteError);
    expect((error as Error).message).toBe('run id "../escape" is not a safe key segment');
  });

  it('names runs by their time with "-" for ":"', () => {
    // Act
    const runId = runIdFor(FIRST_RUN);

    // Assess
    expect(runId).toBe('2026-03-01T02-30-00.000Z');
  });
});
