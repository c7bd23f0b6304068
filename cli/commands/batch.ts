import { Command } from 'commander';
import type { AnalyticsSummary } from '../../libs/analytics';
import type { BatchCleanSummary } from '../../libs/batch';
import { KINDS } from '../../libs/records/tables';
import { checkLakeOption } from '../checks';
import { LAKE_HELP, lakeLocation, openLake } from '../lake';
import { createProgress } from '../progress';
import { action, PIPELINE_ID_HELP, pipelineIdOption } from '../run';

const n = (value: number): string => value.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The human summary `pinlake batch` prints. */
function describeRun(clean: BatchCleanSummary, analytics: AnalyticsSummary, report: string): string {
  const rows = KINDS.map((kind) => `${kind} ${n(clean.rowsWritten[kind])}`).join(', ');
  const answers = analytics.results.map((r) => `  ${r.id.padEnd(45)}${n(r.rows).padStart(8)} rows`);
  const repeated = analytics.results.some((r) => r.status === 'duplicate')
    ? ' (already recorded for this run: kept as they were)'
    : '';
  return [
    `batch-clean: ${n(clean.recordsRead)} new records → ${rows}; ${n(clean.quarantined)} quarantined; ` +
      `${n(clean.commits)} commits in ${seconds(clean.durations.totalMs)}`,
    `analytics: run ${analytics.runId} over ${KINDS.map((k) => `${k} ${n(analytics.inputs[k].rows)}`).join(', ')} ` +
      `rows in ${seconds(analytics.durations.totalMs)}${repeated}`,
    ...answers,
    `report: ${report}`,
  ].join('\n');
}

/** `pinlake batch`: batch-clean then analytics, now (DESIGN §4). */
export function batchCommand(): Command {
  return new Command('batch')
    .description(
      'run batch-clean (raw landing → tables/batch) then the analytics (→ tables/analytics, report)',
    )
    .addHelpText(
      'after',
      [
        '',
        'What the two daily scheduled functions do, run at once on the lake. The pipeline id names the',
        'topics whose raw landing is cleaned. Prints what each step did and the report path.',
      ].join('\n'),
    )
    .option('--lake <dir>', LAKE_HELP, './lake')
    .option('--pipeline-id <id>', PIPELINE_ID_HELP)
    .option('--json', 'print {"batchClean": {…}, "analytics": {…}, "report": path} as one JSON object')
    .action(
      action(async (options: { lake: string; pipelineId?: string; json?: boolean }) => {
        const pipelineId = pipelineIdOption(options.pipelineId);
        await checkLakeOption(options.lake);
        const store = openLake(options.lake);
        const progress = createProgress();
        let batchClean: BatchCleanSummary;
        let analytics: AnalyticsSummary;
        try {
          progress.update('batch-clean: raw landing → tables/batch…');
          batchClean = await (require('../../libs/batch') as typeof import('../../libs/batch')).runBatchClean(
            store,
            pipelineId,
          );
          progress.update('analytics: tables/batch → tables/analytics and the report…');
          analytics = await (
            require('../../libs/analytics') as typeof import('../../libs/analytics')
          ).runAnalytics(store);
        } finally {
          progress.done();
        }
        const report = lakeLocation(store, analytics.reportKey);
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ batchClean, analytics, report })}\n`
            : `${describeRun(batchClean, analytics, report)}\n`,
        );
      }),
    );
}
