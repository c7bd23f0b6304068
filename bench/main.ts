/**
 * `npm run bench -- [name…] [--json] [--check]`: runs the named benchmarks (all registered ones by
 * default), prints a table per benchmark (or one JSON object per line with --json) and rewrites each
 * benchmark's section of docs/benchmarks.md. With `--check` the docs are left alone and the exit
 * status is 1 when a benchmark with a budget (stream, batch) falls below it: the step to run before
 * merging a change to the hot paths (docs/performance.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as analytics from './analytics';
import * as analyticsScale from './analytics-scale';
import * as batch from './batch';
import * as bundles from './bundles';
import * as clean from './clean';
import * as delta from './delta';
import { describeMachine, formatSection, formatTable, replaceSection } from './report';
import * as scale from './scale';
import * as soak from './soak';
import * as stream from './stream';
import type { Benchmark, BenchResult } from './types';

/** Every benchmark, in the order a full run takes them. Add yours here. */
const BENCHMARKS: readonly { name: string; module: Benchmark }[] = [
  { name: 'clean', module: clean },
  { name: 'analytics', module: analytics },
  { name: 'analytics-scale', module: analyticsScale },
  { name: 'delta', module: delta },
  { name: 'stream', module: stream },
  { name: 'bundles', module: bundles },
  { name: 'batch', module: batch },
  { name: 'soak', module: soak },
  { name: 'scale', module: scale },
];

const DOC = join(__dirname, '..', 'docs', 'benchmarks.md');
const USAGE = `usage: npm run bench -- [name…] [--json] [--check]\nbenchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}`;

const readDoc = async (): Promise<string> => {
  try {
    return await readFile(DOC, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
};

const record = async (result: BenchResult, machine: string): Promise<void> => {
  const section = formatSection(result, new Date(), machine);
  await writeFile(DOC, replaceSection(await readDoc(), result.name, section));
};

const main = async (argv: string[]): Promise<number> => {
  const json = argv.includes('--json');
  const check = argv.includes('--check');
  const names = argv.filter((arg) => arg !== '--json' && arg !== '--check');
  if (names.includes('--help') || names.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const chosen = names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  let failed = false;
  for (const benchmark of chosen) {
    if (!json) process.stderr.write(`running ${benchmark.name}…\n`);
    const machine = describeMachine();
    const result = await benchmark.module.run({ json, check });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${formatTable(result)}\n\n`);
    if (!check) await record(result, machine);
    else if (result.check) {
      const { budget, failures } = result.check;
      failed ||= failures.length > 0;
      const verdict = failures.length === 0 ? 'within budget' : `BELOW BUDGET: ${failures.join('; ')}`;
      process.stderr.write(`bench ${result.name} --check (${budget}): ${verdict}\n`);
    }
  }
  return failed ? 1 : 0;
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
