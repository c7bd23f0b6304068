import { Command } from 'commander';

import { LAKE_HELP, lakeLocation, openLake } from '../lake';
import { action } from '../run';

/** `pinlake report`: re-renders the analytics report from the result tables (DESIGN §4). */
export function reportCommand(): Command {
  return new Command('report')
    .description('rebuild the analytics report from tables/analytics (no query is run) and print its path')
    .addHelpText(
      'after',
      [
        '',
        'The report is written to reports/<run id>/index.html and reports/latest/index.html, where <run id>',
        'is the time of the analytics run that wrote the result tables. Run `pinlake batch` first.',
      ].join('\n'),
    )
    .option('--lake <dir>', LAKE_HELP, './lake')
    .action(
      action(async (options: { lake: string }) => {
        const store = openLake(options.lake);
        const { rebuildReport } = require('../../libs/analytics') as typeof import('../../libs/analytics');
        const rebuilt = await rebuildReport(store);
        process.stdout.write(`${lakeLocation(store, rebuilt.reportKey)}\n`);
      }),
    );
}
