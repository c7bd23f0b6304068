/**
 * `npm run bench -- bundles`: each Lambda's bundle as serverless-esbuild builds it (minified, node22,
 * CommonJS, ES module builds preferred, the AWS SDK bundled but for the few modules the runtime is
 * pinned to provide, DuckDB external) — its size against DESIGN §7's budgets, and its module init
 * time: requiring the bundle in a fresh Node process (Lambda's Node when scripts/fetch-lambda-node.js
 * has fetched it), median of 5. The same figures for the bundles with the whole AWS SDK left to the
 * runtime (`@aws-sdk/*`, `@smithy/*` external, as the project built them before) show the trade.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BenchOptions, BenchResult, Figures } from './types';

// The options serverless.yml deploys with (serverless/esbuild-options.js).
const DEPLOYED: {
  minify: boolean;
  platform: 'node';
  target: string;
  format: 'cjs';
  mainFields: string[];
  exclude: string[];
} = require('../serverless/esbuild-options.js');
const { lambdaNodePath } = require('../scripts/fetch-lambda-node.js') as { lambdaNodePath: () => string };
/** The variant compared: the whole SDK left to the runtime, CommonJS builds (esbuild's default for node). */
const SDK_FROM_RUNTIME = { external: ['@aws-sdk/*', '@smithy/*'], mainFields: ['main', 'module'] };

const ROOT = join(__dirname, '..');
// Inside the repository, so the bundles resolve the SDK and DuckDB from node_modules as on Lambda.
const OUT = join(ROOT, '.esbuild', 'bench-bundles');
const BUDGET_KB: Record<string, number> = {
  'ingest-batch': 300,
  'ingest-stream': 300,
  'stream-to-delta': 600,
};
const INIT_BUDGET_MS = 150;
const INIT_RUNS = 5;

/** Lambda's Node when it has been fetched, else the one running the benchmark. */
function benchNode(): string {
  return existsSync(lambdaNodePath()) ? lambdaNodePath() : process.execPath;
}

/** Milliseconds to require `file` in a fresh Node process, median of {@link INIT_RUNS}. */
function initMs(file: string, lake: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const env = { ...process.env, LAKE_URI: lake, PIPELINE_ID: 'bench', KAFKA_BROKERS: '127.0.0.1:9' };
  const times: number[] = [];
  for (let i = 0; i < INIT_RUNS; i++) {
    const result = spawnSync(benchNode(), ['-e', script], { env, encoding: 'utf8' });
    if (result.status !== 0) {
      const reason = result.stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? result.stderr;
      throw new Error(reason.trim());
    }
    times.push(Number(result.stdout));
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(INIT_RUNS / 2)]!);
}

export async function run(_options: BenchOptions): Promise<BenchResult> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const figures: Figures = {};
  const notes: string[] = [];
  const lake = `file://${join(OUT, 'lake')}`;
  // Every Lambda: one handler file per function in functions/.
  const names = (await readdir(join(ROOT, 'functions')))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));
  for (const name of names.sort()) {
    const entry = join(ROOT, 'functions', `${name}.ts`);
    for (const variant of ['deployed', 'SDK from runtime'] as const) {
      const outfile = join(OUT, variant === 'deployed' ? '' : 'sdk-from-runtime', `${name}.js`);
      const options =
        variant === 'deployed'
          ? { external: DEPLOYED.exclude, mainFields: DEPLOYED.mainFields }
          : SDK_FROM_RUNTIME;
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        minify: DEPLOYED.minify,
        platform: DEPLOYED.platform,
        target: DEPLOYED.target,
        format: DEPLOYED.format,
        mainFields: options.mainFields,
        external: [...options.external, '@duckdb/*'],
        logLevel: 'silent',
      });
      const suffix = variant === 'deployed' ? '' : ` (${variant})`;
      const kb = Math.round((await stat(outfile)).size / 1024);
      figures[`${name} KB${suffix}`] = kb;
      let init: number;
      try {
        init = initMs(outfile, lake);
      } catch (error) {
        figures[`${name} init ms${suffix}`] = 'fails';
        notes.push(`${name}${suffix}: the bundle fails to load: ${(error as Error).message}`);
        continue;
      }
      figures[`${name} init ms${suffix}`] = init;
      if (variant !== 'deployed') continue;
      const budget = BUDGET_KB[name];
      if (budget !== undefined && kb > budget)
        notes.push(`${name}: ${kb} KB is over its ${budget} KB budget`);
      if (init > INIT_BUDGET_MS)
        notes.push(`${name}: init ${init} ms is over the ${INIT_BUDGET_MS} ms budget`);
    }
  }
  notes.push(
    `budgets (DESIGN §7): ingest functions ≤ 300 KB, stream-to-delta ≤ 600 KB, module init ≤ ${INIT_BUDGET_MS} ms`,
    `init = require() of the bundle in a fresh process of Node ${spawnSync(benchNode(), ['--version'], { encoding: 'utf8' }).stdout.trim()} on this machine; what a bundle leaves to the runtime loads from node_modules`,
    '"(SDK from runtime)": the same function with every @aws-sdk/* and @smithy/* module left to the runtime (CommonJS builds), for comparison',
  );
  return {
    name: 'bundles',
    figures,
    reference: {
      name: 'DESIGN §7 budgets',
      figures: { 'ingest KB': 300, 'stream-to-delta KB': 600, 'init ms': 150 },
    },
    notes,
  };
}
