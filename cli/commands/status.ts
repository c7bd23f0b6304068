import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { localLakePath } from '../checks';
import { formatInventory, LAKE_HELP, openLake } from '../lake';
import { action, UsageError } from '../run';

/** `pinlake status`: what is in a lake, as the report and `pinlake start` count it. */
export function statusCommand(): Command {
  return new Command('status')
    .description('print the rows and latest ingest of every table, and the quarantined records, of a lake')
    .addHelpText(
      'after',
      [
        '',
        'Reads the Delta logs (row counts come from the files’ statistics) and lists quarantine/; reads',
        'no data file unless one was written without statistics. Tables no run has written count 0.',
      ].join('\n'),
    )
    .option('--lake <dir>', LAKE_HELP, './lake')
    .option('--json', 'print {"tables","freshness","quarantined","onFailure"} as one JSON object')
    .action(
      action(async (options: { lake: string; json?: boolean }) => {
        const local = localLakePath(options.lake);
        if (local !== undefined && !existsSync(local))
          throw new UsageError(`--lake ${options.lake}: no such directory`);
        const { readLakeInventory } = require('../../libs/lake') as typeof import('../../libs/lake');
        const inventory = await readLakeInventory(openLake(options.lake), { resultTables: true });
        process.stdout.write(
          options.json ? `${JSON.stringify(inventory)}\n` : `${formatInventory(inventory).join('\n')}\n`,
        );
      }),
    );
}
