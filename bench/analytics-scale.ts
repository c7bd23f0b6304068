/**
 * `npm run bench -- analytics-scale`: the DuckDB path of batch-analytics as the lake grows, and where
 * one Lambda (10,240 MB, 10,240 MB of /tmp, 15 minutes) stops (DESIGN §7).
 *
 * For each size N (BENCH_SCALE_STEPS, default 100,000, 300,000 and 1,000,000 distinct posts) a lake
 * is built of N distinct posts — pool rows 0…N-1 of the generator (`pinlake generate --distinct N`),
 * each post once, cleaned with libs/records and written with libs/delta in 100,000-post commits as
 * batch-clean does — and one whole `runAnalytics` is run on it in a fresh Node process, through a
 * store that is not a local folder, so the active files are downloaded first exactly as from S3 on
 * Lambda. Measured: wall time of the run, its download to the temp folder (= /tmp used), and the
 * process's peak RSS (Node and DuckDB), with DuckDB on 2 threads. 10,000,000 is run only with
 * BENCH_SCALE_STEPS naming it; otherwise it is extrapolated linearly from the largest two steps.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAnalytics } from '../libs/analytics';
import { writeRows } from '../libs/delta';
import { generatePoolRow } from '../libs/emulator/pool-row';
import { cleanTablePath, ensureCleanTable } from '../libs/lake';
import { cleanRecord } from '../libs/records';
import { KINDS, type Kind, type RowOf, TABLE_COLUMNS } from '../libs/records/tables';
import { FileStore, type ObjectStore } from '../libs/storage';
import type { BenchOptions, BenchResult, Figures } from './types';

const SEED = 42;
const COMMIT_POSTS = 100_000;
const EPOCH = Date.UTC(2026, 0, 1);
const STEPS = (process.env.BENCH_SCALE_STEPS ?? '100000,300000,1000000').split(',').map(Number);
const LAMBDA_MB = 10_240;
const LAMBDA_TMP_MB = 10_240;
const LAMBDA_SECONDS = 900;

/** What one child run measured. */
interface StepFigures {
  readonly posts: number;
  readonly runSeconds: number;
  readonly readSeconds: number;
  readonly queriesSeconds: number;
  readonly tmpMb: number;
  readonly peakRssMb: number;
}

/** Writes N distinct posts into `tables/batch/<kind>`, a commit per 100,000 posts. */
async function buildLake(store: FileStore, posts: number): Promise<void> {
  for (const kind of KINDS) await ensureCleanTable(store, 'batch', kind);
  for (let start = 0; start < posts; start += COMMIT_POSTS) {
    const rows: { [K in Kind]: RowOf[K][] } = { pin: [], geo: [], user: [] };
    for (let index = start; index < Math.min(posts, start + COMMIT_POSTS); index++) {
      const post = generatePoolRow(SEED, index);
      for (const kind of KINDS) {
        const meta = { source: `kafka:pinlake.${kind}:0:${index}`, ingestedAt: new Date(EPOCH + index) };
        const cleaned = cleanRecord(kind, post[kind], meta);
        if (!cleaned.ok) throw new Error(`pool row ${index} (${kind}) was quarantined: ${cleaned.reason}`);
        (rows[kind] as RowOf[Kind][]).push(cleaned.row);
      }
    }
    for (const kind of KINDS)
      await writeRows(store, cleanTablePath('batch', kind), TABLE_COLUMNS[kind], rows[kind]);
  }
}

/** The lake seen through a store that is not a FileStore, so runAnalytics downloads as from S3. */
function asRemote(store: FileStore): ObjectStore {
  return {
    uri: store.uri,
    get: (key) => store.get(key),
    put: (key, body) => store.put(key, body),
    putIfAbsent: (key, body) => store.putIfAbsent(key, body),
    list: (prefix, options) => store.list(prefix, options),
    listFolders: (prefix) => store.listFolders(prefix),
    delete: (key) => store.delete(key),
  };
}

/** In the child: one whole run over the lake, then the figures on stdout as JSON. */
async function child(lake: string, posts: number): Promise<void> {
  const temp = await mkdtemp(join(tmpdir(), 'pinlake-scale-tmp-'));
  try {
    const started = performance.now();
    const summary = await runAnalytics(asRemote(new FileStore(lake)), { threads: 2, tempDir: temp });
    const figures: StepFigures = {
      posts,
      runSeconds: (performance.now() - started) / 1000,
      readSeconds: summary.durations.readMs / 1000,
      queriesSeconds: summary.durations.queriesMs / 1000,
      tmpMb: summary.downloadedBytes / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.send?.(figures);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function runChild(lake: string, posts: number): Promise<StepFigures> {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, [], {
      env: { ...process.env, ANALYTICS_SCALE_CHILD: lake, ANALYTICS_SCALE_POSTS: String(posts) },
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: StepFigures | undefined;
    proc.on('message', (message) => {
      figures = message as StepFigures;
    });
    proc.on('error', reject);
    proc.on('exit', (code) =>
      figures && code === 0
        ? resolve(figures)
        : reject(new Error(`the run over ${posts} posts exited ${code}`)),
    );
  });
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export async function run(options: BenchOptions): Promise<BenchResult> {
  const steps: StepFigures[] = [];
  const figures: Figures = {};
  for (const posts of STEPS) {
    const dir = await mkdtemp(join(tmpdir(), 'pinlake-scale-'));
    try {
      const buildStarted = performance.now();
      await buildLake(new FileStore(dir), posts);
      const buildSeconds = (performance.now() - buildStarted) / 1000;
      const step = await runChild(dir, posts);
      steps.push(step);
      const label = posts >= 1e6 ? `${posts / 1e6}M` : `${posts / 1e3}k`;
      figures[`${label} run s`] = round(step.runSeconds);
      figures[`${label} download s`] = round(step.readSeconds);
      figures[`${label} queries s`] = round(step.queriesSeconds);
      figures[`${label} /tmp MB`] = round(step.tmpMb);
      figures[`${label} peak RSS MB`] = Math.round(step.peakRssMb);
      figures[`${label} build s`] = round(buildSeconds);
      if (!options.json) {
        process.stderr.write(
          `analytics-scale ${label}: ${JSON.stringify(step)} (built in ${buildSeconds.toFixed(1)} s)\n`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const notes: string[] = [];
  const [a, b] = steps.slice(-2);
  if (a && b && b.posts > a.posts) {
    const per = (f: (s: StepFigures) => number) => (f(b) - f(a)) / (b.posts - a.posts);
    const at = (f: (s: StepFigures) => number, n: number) => f(b) + per(f) * (n - b.posts);
    const limit = (f: (s: StepFigures) => number, max: number) =>
      per(f) > 0 ? Math.floor(b.posts + (max - f(b)) / per(f)) : Number.POSITIVE_INFINITY;
    figures['10M run s (extrapolated)'] = Math.round(at((s) => s.runSeconds, 10e6));
    figures['10M /tmp MB (extrapolated)'] = Math.round(at((s) => s.tmpMb, 10e6));
    figures['10M peak RSS MB (extrapolated)'] = Math.round(at((s) => s.peakRssMb, 10e6));
    const limits = {
      memory: limit((s) => s.peakRssMb, LAMBDA_MB),
      tmp: limit((s) => s.tmpMb, LAMBDA_TMP_MB),
      time: limit((s) => s.runSeconds, LAMBDA_SECONDS),
    };
    figures['Lambda ceiling, posts (memory)'] = limits.memory;
    figures['Lambda ceiling, posts (/tmp)'] = limits.tmp;
    figures['Lambda ceiling, posts (15 min)'] = limits.time;
    notes.push(
      `linear from ${a.posts.toLocaleString('en-US')} to ${b.posts.toLocaleString('en-US')} posts; ` +
        'a 2-core machine shared with other work, while a 10,240 MB Lambda has 6 vCPUs',
    );
  }
  return { name: 'analytics-scale', figures, notes };
}

if (process.env.ANALYTICS_SCALE_CHILD) {
  child(process.env.ANALYTICS_SCALE_CHILD, Number(process.env.ANALYTICS_SCALE_POSTS)).catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
