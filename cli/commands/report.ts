import { join } from 'node:path';
import { Command } from 'commander';
import { rebuildReport } from '../../libs/analytics';
import { loadConfig } from '../../libs/config';
import { FileStore, type ObjectStore, openStore } from '../../libs/storage';
import { action } from '../run';

/** The lake a `--lake` option names (a directory, `file://…` or `s3://…`; S3 settings from the environment). */
export function openLake(lake: string): ObjectStore {
  const config = loadConfig();
  return openStore(lake, { endpoint: config.s3Endpoint, region: config.region });
}

/** Where a lake key is, for a person: a local path for a local lake, else the object's URI. */
export function lakeLocation(store: ObjectStore, key: string): string {
  return store instanceof FileStore ? join(store.root, ...key.split('/')) : `${store.uri}/${key}`;
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
        const rebuilt = await rebuildReport(store);
        process.stdout.write(`${lakeLocation(store, rebuilt.reportKey)}\n`);
      }),
    );
}
