import { Command } from 'commander';

// The Delta and storage libraries (and the S3 SDK) load when a subcommand runs, not for --help or a
// usage error.
const delta = () => require('../lazy/delta') as typeof import('../lazy/delta');

import { openLake } from '../lake';
import { action, UsageError } from '../run';

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** Parses a byte size such as `1048576`, `64M` or `1G`. */
function sizeOption(name: string, value: string): number {
  const match = /^(\d+)\s*([kKmMgG]?)i?[bB]?$/.exec(value);
  if (!match)
    throw new UsageError(`--${name} must be a size in bytes (e.g. 67108864, 64M, 1G), got "${value}"`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  return Number(match[1]) * scale;
}

function hoursOption(name: string, value: string): number {
  const hours = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(hours)) {
    throw new UsageError(`--${name} must be a non-negative number of hours, got "${value}"`);
  }
  return hours;
}

const pad = (text: string, width: number): string => text.padEnd(width);

function infoCommand(): Command {
  return new Command('info')
    .description('print the version, file and record counts, partition columns and schema of a table')
    .argument('<table>', 'table directory, file:// or s3:// URI')
    .option('--json', 'print {"version","numFiles","numRecords","partitionColumns","schema"} as JSON')
    .action(
      action(async (table: string, options: { json?: boolean }) => {
        const info = await delta().tableInfo(openLake(table), '');
        if (options.json) return print(JSON.stringify(info));
        print(`table              ${table}`);
        print(`version            ${info.version}`);
        print(`files              ${info.numFiles}`);
        print(`records            ${info.numRecords}`);
        print(`partition columns  ${info.partitionColumns.join(', ') || '(none)'}`);
        print('schema');
        const width = Math.max(...info.schema.map((c) => c.name.length)) + 2;
        for (const c of info.schema)
          print(`  ${pad(c.name, width)}${c.type}${c.nullable ? '' : ' not null'}`);
      }),
    );
}

function historyCommand(): Command {
  return new Command('history')
    .description('list the commits of a table, newest first')
    .argument('<table>', 'table directory, file:// or s3:// URI')
    .option('--limit <n>', 'show at most this many commits')
    .option('--json', 'print the commits as a JSON array')
    .action(
      action(async (table: string, options: { limit?: string; json?: boolean }) => {
        if (options.limit !== undefined && !/^\d+$/.test(options.limit)) {
          throw new UsageError(`--limit must be a non-negative integer, got "${options.limit}"`);
        }
        const limit = options.limit === undefined ? undefined : Number(options.limit);
        const entries = await delta().history(openLake(table), '', { limit });
        if (options.json) return print(JSON.stringify(entries));
        print(
          `${pad('version', 9)}${pad('timestamp', 26)}${pad('operation', 20)}${pad('+files', 8)}${pad('-files', 8)}+rows`,
        );
        for (const e of entries) {
          print(
            `${pad(String(e.version), 9)}${pad(new Date(e.timestamp).toISOString(), 26)}${pad(e.operation, 20)}` +
              `${pad(String(e.addedFiles), 8)}${pad(String(e.removedFiles), 8)}${e.addedRecords}`,
          );
        }
      }),
    );
}

function checkCommand(): Command {
  return new Command('check')
    .description('verify the log is contiguous, checkpoints match the commits, and every active file exists')
    .argument('<table>', 'table directory, file:// or s3:// URI')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (table: string, options: { json?: boolean }) => {
        const result = await delta().checkTable(openLake(table), '');
        if (options.json) print(JSON.stringify(result));
        else if (result.problems.length === 0) {
          print(
            `ok: ${table} version ${result.version}, ${result.commits} commits, ${result.checkpoints} checkpoints, ` +
              `${result.activeFiles} active files`,
          );
        } else {
          print(`${table}: ${result.problems.length} problem(s)`);
          for (const problem of result.problems) print(`  - ${problem}`);
        }
        if (result.problems.length > 0) process.exitCode = 1;
      }),
    );
}

function optimizeCommand(): Command {
  return new Command('optimize')
    .description(
      'compact small files, per partition, into files of up to the target size (one OPTIMIZE commit)',
    )
    .argument('<table>', 'table directory, file:// or s3:// URI')
    .option('--target-size <bytes>', 'target file size, e.g. 134217728 or 128M', '128M')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (table: string, options: { targetSize: string; json?: boolean }) => {
        const result = await delta().optimize(openLake(table), '', {
          targetSize: sizeOption('target-size', options.targetSize),
        });
        if (options.json) return print(JSON.stringify(result));
        print(
          result.version === undefined
            ? 'nothing to compact'
            : `version ${result.version}: ${result.filesRemoved} files → ${result.filesAdded}, ${result.rowsRewritten} rows rewritten`,
        );
      }),
    );
}

function vacuumCommand(): Command {
  return new Command('vacuum')
    .description(
      'delete data files no version within the retention references (old tombstones, failed uploads)',
    )
    .argument('<table>', 'table directory, file:// or s3:// URI')
    .option('--retention-hours <h>', 'keep files referenced, or written, within this many hours', '168')
    .option('--dry-run', 'only list the files that would be deleted')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (table: string, options: { retentionHours: string; dryRun?: boolean; json?: boolean }) => {
        const result = await delta().vacuum(openLake(table), '', {
          retentionHours: hoursOption('retention-hours', options.retentionHours),
          dryRun: options.dryRun ?? false,
        });
        if (options.json) return print(JSON.stringify(result));
        for (const path of result.deleted) print(`${result.dryRun ? 'would delete' : 'deleted'} ${path}`);
        print(
          `${result.deleted.length} file(s) ${result.dryRun ? 'would be deleted' : 'deleted'}; ` +
            `${result.keptYoung} unreferenced file(s) younger than the retention kept`,
        );
      }),
    );
}

/** `pinlake table info|history|check|optimize|vacuum <table>` (DESIGN §4). */
export function tableCommand(): Command {
  return new Command('table')
    .description('inspect and maintain a Delta table: info, history, check, optimize, vacuum')
    .addCommand(infoCommand())
    .addCommand(historyCommand())
    .addCommand(checkCommand())
    .addCommand(optimizeCommand())
    .addCommand(vacuumCommand());
}
