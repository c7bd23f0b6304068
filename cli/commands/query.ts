import { Command } from 'commander';
import type { QueryResult } from '../../libs/analytics';
import { formatResults, isResultFormat, RESULT_FORMATS } from '../../libs/analytics/format-results';
import { isQueryId, QUERY_IDS, type QueryId } from '../../libs/analytics/query-ids';
import { resultTablePath } from '../../libs/lake/layout';
import { LAKE_HELP, openLake } from '../lake';
import { action, UsageError } from '../run';

/** Reads the stored answers of the questions, failing (exit 1) when one was never computed. */
async function readResults(lake: string, ids: readonly QueryId[]): Promise<QueryResult[]> {
  const store = openLake(lake);
  // The result tables' reader (Delta, Parquet) loads only when answers are read.
  const { readResultTable } = require('../../libs/analytics') as typeof import('../../libs/analytics');
  const stored = await Promise.all(ids.map((id) => readResultTable(store, id)));
  return stored.map((entry, index) => {
    if (entry === undefined) {
      const path = resultTablePath(ids[index]!);
      throw new Error(`no result table ${path} in ${store.uri}: run pinlake batch first`);
    }
    return entry.result;
  });
}

/** `pinlake query`: prints stored analytics results (DESIGN §4). */
export function queryCommand(): Command {
  return new Command('query')
    .description('print the results of an analytics question (or all) from tables/analytics')
    .argument('<id>', `a question id or "all": ${QUERY_IDS.join(', ')}`)
    .addHelpText(
      'after',
      [
        '',
        'Reads the result tables the last analytics run wrote (it does not run SQL).',
        'table: aligned columns, numbers with thousands separators; json: {"<id>": [rows…]};',
        'csv: a header line then the rows (RFC 4180 quoting). With "all", table and csv print each',
        'question under a "# <id>" line.',
      ].join('\n'),
    )
    .option('--lake <dir>', LAKE_HELP, './lake')
    .option('--format <format>', `output format: ${RESULT_FORMATS.join(', ')}`, 'table')
    .action(
      action(async (id: string, options: { lake: string; format: string }) => {
        if (id !== 'all' && !isQueryId(id)) {
          throw new UsageError(`unknown question "${id}"; use "all" or one of: ${QUERY_IDS.join(', ')}`);
        }
        if (!isResultFormat(options.format)) {
          throw new UsageError(
            `--format must be one of ${RESULT_FORMATS.join(', ')}, got "${options.format}"`,
          );
        }
        const results = await readResults(options.lake, id === 'all' ? QUERY_IDS : [id]);
        process.stdout.write(formatResults(results, options.format));
      }),
    );
}
