import { Command } from 'commander';
import { action } from '../run';

/** `pinlake catalog`: the Athena DDL that registers an existing lake in the Glue Data Catalog. */
export function catalogCommand(): Command {
  return new Command('catalog')
    .description('print the Athena DDL that registers a lake on S3 in the AWS Glue Data Catalog')
    .addHelpText(
      'after',
      [
        '',
        'One statement per line: CREATE DATABASE, then a native Delta Lake table per lake table',
        '(stream_pin…, batch_pin…, analytics_<question>) with only LOCATION and',
        "TBLPROPERTIES ('table_type' = 'DELTA'): Athena (engine v3) reads the schema and the files from",
        'the Delta log. Run each line in the Athena query editor, or:',
        '',
        '  pinlake catalog --lake s3://my-lake --database pinlake_prod | while read -r sql; do',
        '    aws athena start-query-execution --work-group primary --query-string "$sql"; done',
        '',
        'A stack deployed with serverless.yml has these tables already (serverless/resources/analytics.yml).',
      ].join('\n'),
    )
    .requiredOption('--lake <uri>', 'the lake: s3://bucket or s3://bucket/prefix')
    .option('--database <name>', 'the Glue database (lowercase letters, digits, "_")', 'pinlake')
    .action(
      action(async (options: { lake: string; database: string }) => {
        const { catalogDdl } =
          require('../../libs/analytics/catalog') as typeof import('../../libs/analytics/catalog');
        const statements = catalogDdl({ lakeUri: options.lake, database: options.database });
        process.stdout.write(`${statements.map((s) => `${s};`).join('\n')}\n`);
      }),
    );
}
