/**
 * One analytics run (batch-analytics, `pinlake batch`): the batch tables → the nine answers (DuckDB,
 * or Athena over the Glue tables) → `tables/analytics/<id>` Delta tables → the report.
 */
import { performance } from 'node:perf_hooks';
import type { Snapshot } from '../delta';
import { cleanTablePath, loadSnapshotIfExists } from '../lake';
import { KINDS, type Kind } from '../records/tables';
import type { ObjectStore } from '../storage/types';
import { type AthenaSettings, runQueriesOnAthena } from './athena-runner';
import { localTableFiles } from './lake-files';
import { assertRunId, publishReport, runIdFor } from './publish-report';
import { QUERY_IDS } from './query-ids';
import { type ResultWrite, readResultTable, writeResultTable } from './result-tables';
import { runQueries } from './run-queries';

/** Settings of {@link runAnalytics}. */
export interface RunAnalyticsOptions {
  /** The run's time: its txn version (ms since the epoch) and default run id. Default: now. */
  readonly now?: Date;
  /** Names the report folder `reports/<runId>/`; default {@link runIdFor}(now). */
  readonly runId?: string;
  /** DuckDB worker threads; DuckDB's default (one per core) when absent. */
  readonly threads?: number;
  /** Where the `<id>.sql` files are; the shipped `queries/` folder by default. */
  readonly queriesDir?: string;
  /** Where an `s3://` lake's input files are downloaded; the OS temp folder by default. */
  readonly tempDir?: string;
  /** Run the queries on Athena over the Glue tables instead of DuckDB here (nothing is downloaded). */
  readonly athena?: AthenaSettings;
}

/** What a run did. */
export interface AnalyticsSummary {
  readonly runId: string;
  /** Where the queries ran. */
  readonly engine: 'duckdb' | 'athena';
  /** The txn version recorded in every result table: the run's time in ms. */
  readonly runVersion: number;
  /** Per question: rows written and whether this run wrote them or found the run already recorded. */
  readonly results: readonly ResultWrite[];
  /** The report's key in the lake, `reports/<runId>/index.html` (also copied to `reports/latest/`). */
  readonly reportKey: string;
  /** Active files and rows (duplicates included) of each batch table the queries read. */
  readonly inputs: Readonly<Record<Kind, { files: number; rows: number }>>;
  /** Bytes downloaded from an `s3://` lake (0 for a local one). */
  readonly downloadedBytes: number;
  readonly durations: {
    readonly totalMs: number;
    readonly readMs: number;
    readonly queriesMs: number;
    readonly writeMs: number;
    readonly reportMs: number;
  };
}

const elapsed = (since: number): number => Math.round(performance.now() - since);

const rowsOf = (snapshot: Snapshot | undefined): number =>
  (snapshot?.files ?? []).reduce((sum, file) => sum + (file.stats?.numRecords ?? 0), 0);

/**
 * Runs the analytics over the lake's batch tables (`tables/batch/{pin,geo,user}`; a missing table
 * is empty): loads their snapshots, hands DuckDB their active files (downloaded first for `s3://`),
 * answers the nine questions, replaces each `tables/analytics/<id>` in one commit with the txn
 * `batch-analytics` at the run's version — so repeating a run (same `now`) writes nothing new, and
 * the tables' stored rows are what the summary counts and the report shows — and writes the report. A lake with no data gives empty result tables and a report. Throws
 * `AnalyticsQueryError`, `ResultTableError`, `ReportWriteError` (unsafe run id, before any work) or
 * the store's errors; downloaded copies are removed either way.
 */
export async function runAnalytics(
  store: ObjectStore,
  options: RunAnalyticsOptions = {},
): Promise<AnalyticsSummary> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const runVersion = now.getTime();
  const runId = options.runId ?? runIdFor(now);
  assertRunId(runId);

  const snapshotList = await Promise.all(
    KINDS.map((kind) => loadSnapshotIfExists(store, cleanTablePath('batch', kind))),
  );
  const snapshots = { pin: snapshotList[0], geo: snapshotList[1], user: snapshotList[2] };
  const local = options.athena ? undefined : await localTableFiles(store, snapshots, options.tempDir);
  const readMs = elapsed(started);

  const queriesStarted = performance.now();
  let answers: Awaited<ReturnType<typeof runQueries>>;
  if (local === undefined) {
    answers = await runQueriesOnAthena(options.athena!, QUERY_IDS, {
      queriesDir: options.queriesDir,
      requestSeed: `${runId}:${runVersion}`,
    });
  } else {
    try {
      answers = await runQueries(local.files, QUERY_IDS, {
        threads: options.threads,
        queriesDir: options.queriesDir,
      });
    } finally {
      await local.cleanup();
    }
  }
  const queriesMs = elapsed(queriesStarted);

  const writeStarted = performance.now();
  const writes = await Promise.all(answers.map((answer) => writeResultTable(store, answer, runVersion)));
  // A table that already holds this run (or a later one) keeps its rows: report those, not ours.
  const shown = await Promise.all(
    answers.map(async (answer, index) =>
      writes[index]!.status === 'written'
        ? answer
        : ((await readResultTable(store, answer.id))?.result ?? answer),
    ),
  );
  const results = writes.map((write, index) => ({ ...write, rows: shown[index]!.rows.length }));
  const writeMs = elapsed(writeStarted);

  const reportStarted = performance.now();
  const loaded = Object.fromEntries(KINDS.map((kind) => [`batch/${kind}`, snapshots[kind]]));
  const reportKey = await publishReport(store, { results: shown, runId, generatedAt: now, loaded });
  const reportMs = elapsed(reportStarted);

  const inputs = Object.fromEntries(
    KINDS.map((kind) => [kind, { files: snapshots[kind]?.files.length ?? 0, rows: rowsOf(snapshots[kind]) }]),
  ) as Record<Kind, { files: number; rows: number }>;
  return {
    runId,
    engine: local === undefined ? 'athena' : 'duckdb',
    runVersion,
    results,
    reportKey,
    inputs,
    downloadedBytes: local?.downloadedBytes ?? 0,
    durations: { totalMs: elapsed(started), readMs, queriesMs, writeMs, reportMs },
  };
}
