import { join } from 'node:path';
import { Command } from 'commander';
import type { ObjectStore } from '../../libs/storage';

// The storage and analytics libraries (the S3 SDK, DuckDB) load when a command runs, not for --help.
const storage = () => require('../../libs/storage') as typeof import('../../libs/storage');

import { action } from '../run';

/** The lake a `--lake` option names (a directory, `file://…` or `s3://…`; S3 settings from the environment). */
export function openLake(lake: string): ObjectStore {
  const config = (require('../../libs/config') as typeof import('../../libs/config')).loadConfig();
  return storage().openStore(lake, { endpoint: config.s3Endpoint, region: config.region });
}

/** Where a lake key is, for a person: a local path for a local lake, else the object's URI. */
export function lakeLocation(store: ObjectStore, key: string): string {
  return store instanceof storage().FileStore ? join(store.root, ...key.split('/')) : `${store.uri}/${key}`;
}

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
    .option('--lake <dir>', 'the lake: a directory, file://… or s3://bucket/prefix', './lake')
    .action(
      action(async (options: { lake: string }) => {
        const store = openLake(options.lake);
        const { rebuildReport } = require('../../libs/analytics') as typeof import('../../libs/analytics');
        const rebuilt = await rebuildReport(store);
        process.stdout.write(`${lakeLocation(store, rebuilt.reportKey)}\n`);
      }),
    );
}
