/**
 * Rendering and storing the report of a run, and rebuilding it later from the result tables alone.
 */
import type { Snapshot } from '../delta';
import { readLakeInventory, reportKeys } from '../lake';
import type { ObjectStore } from '../storage/types';
import { ResultTableError } from './errors';
import { QUERY_IDS } from './query-ids';
import { renderReport } from './report/render-report';
import { ReportWriteError, writeReport } from './report/write-report';
import { readResultTable } from './result-tables';
import type { QueryResult } from './run-queries';

/** The run id of a run at `time`: its ISO instant with `-` for `:`, e.g. `2026-11-22T02-30-00.000Z`. */
export function runIdFor(time: Date): string {
  return time.toISOString().replaceAll(':', '-');
}

/** Throws {@link ReportWriteError} unless `runId` is a safe key segment (letters, digits, `_`, `.`, `-`). */
export function assertRunId(runId: string): void {
  if (!/^[\w.-]+$/.test(runId)) {
    throw new ReportWriteError(`run id ${JSON.stringify(runId)} is not a safe key segment`);
  }
}

// The report answers from the batch tables: their tiles come first, the stream tables' after.
function batchFirst<T>(byLabel: Readonly<Record<string, T>>): Record<string, T> {
  const rank = (label: string) => (label.startsWith('batch/') ? 0 : 1);
  return Object.fromEntries(Object.entries(byLabel).sort(([a], [b]) => rank(a) - rank(b)));
}

/** What {@link publishReport} needs. */
export interface PublishInput {
  readonly results: readonly QueryResult[];
  readonly runId: string;
  readonly generatedAt: Date;
  /** Clean-table snapshots already loaded, by label (`batch/pin`…), so the counts match what was queried. */
  readonly loaded?: Readonly<Record<string, Snapshot | undefined>>;
}

/**
 * Renders the report of `results` with the lake's current volumes, freshness and quarantine counts
 * and writes it to `reports/<runId>/index.html` and `reports/latest/index.html`. Resolves the run's
 * key. Throws {@link ReportWriteError} for an unsafe run id; storage errors propagate.
 */
export async function publishReport(store: ObjectStore, input: PublishInput): Promise<string> {
  assertRunId(input.runId);
  const lake = await readLakeInventory(store, { loaded: input.loaded });
  const html = renderReport({
    volumes: batchFirst(lake.tables),
    freshness: batchFirst(lake.freshness),
    quarantine: lake.quarantined,
    onFailure: lake.onFailure,
    results: input.results,
    runId: input.runId,
    generatedAt: input.generatedAt,
  });
  await writeReport(store, input.runId, html);
  return reportKeys(input.runId).run;
}

/** What {@link rebuildReport} wrote. */
export interface RebuiltReport {
  readonly runId: string;
  readonly reportKey: string;
  readonly results: readonly QueryResult[];
}

/**
 * Re-renders the report from the result tables (no query is run): the answers as the last run stored
 * them, the lake's current counts, and the run id of that run (from the tables' `batch-analytics`
 * txn version, its time). Tables no run has written are left out. Throws {@link ResultTableError}
 * when there is no result table at all (run the analytics first) or one cannot be read.
 */
export async function rebuildReport(store: ObjectStore, now: Date = new Date()): Promise<RebuiltReport> {
  const stored = (await Promise.all(QUERY_IDS.map((id) => readResultTable(store, id)))).filter(
    (entry) => entry !== undefined,
  );
  if (stored.length === 0) {
    throw new ResultTableError(
      `no analytics result tables under ${store.uri}/tables/analytics: run the analytics first`,
    );
  }
  const versions = stored.map((entry) => entry.runVersion ?? 0);
  const runId = runIdFor(new Date(Math.max(...versions)));
  const results = stored.map((entry) => entry.result);
  const reportKey = await publishReport(store, { results, runId, generatedAt: now });
  return { runId, reportKey, results };
}
