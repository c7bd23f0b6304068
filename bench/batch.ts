/**
 * `npm run bench -- batch`: the batch path (DESIGN §7).
 * - ingest-batch: requests per second through the real REST Proxy handler, called in-process with
 *   real API Gateway events (the `rest-proxy-valid` fixture), producing to the embedded Kafka broker:
 *   one record per request as the seed's emulator sends, and 100-record requests.
 * - batch-clean: records per second over 1,000,000 raw records (the emulator's posts, landed in the
 *   S3 sink layout by the real landing code, 10,000 records per file, two partitions per topic) into
 *   the three Delta tables, in a child process so its peak RSS is its own. Reference, in the same run:
 *   DuckDB (threads=1) turning the same NDJSON files into Snappy Parquet. The two take turns for
 *   `BENCH_BATCH_ROUNDS` rounds (default 5, the tables emptied before each) and the medians count, so
 *   a burst of load from elsewhere on a shared machine hits both alike.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  createRestProxyHandler,
  landPartitionBatch,
  type MskBatchRecord,
  runBatchClean,
} from '../libs/batch';
import { loadConfig } from '../libs/config';
import { topicName } from '../libs/naming';
import { KINDS, type Kind } from '../libs/records';
import { FileStore } from '../libs/storage';
import { median, onOneCore, perSecond, ratio } from './measure';
import type { BenchOptions, BenchResult, Figures } from './types';

// The batch-clean child runs this file too: what only the parent uses (DuckDB, the Kafka broker and
// client, the post generator) is loaded when first used, so the child's peak RSS is batch-clean's own.
const parentOnly = {
  duckdb: () => require('@duckdb/node-api') as typeof import('@duckdb/node-api'),
  emulator: () => require('../libs/emulator') as typeof import('../libs/emulator'),
  kafka: () => require('../libs/kafka') as typeof import('../libs/kafka'),
  broker: () => require('../local/kafka') as typeof import('../local/kafka'),
  pollers: () => require('../local/pollers') as typeof import('../local/pollers'),
  logger: () => require('@aws-lambda-powertools/logger') as typeof import('@aws-lambda-powertools/logger'),
};

const RECORDS = Number(process.env.BENCH_BATCH_RECORDS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_BATCH_REQUESTS ?? 2_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_BATCH_ROUNDS ?? 5));
const FILE_RECORDS = 10_000;
const PARTITIONS = 2;
const WORKER_ENV = 'PINLAKE_BENCH_BATCH_CLEAN_LAKE';
/** The budget `--check` holds batch-clean to (issue 16; DESIGN §7 asks for 0.5): ours/DuckDB, medians, every table and all. */
const BATCH_BUDGET = 0.75;

/** Requests per second through ingest-batch: one record per request, and 100 per request. */
async function measureIngest(): Promise<Figures> {
  const { KafkaBroker } = parentOnly.broker();
  const { createKafkaProducer } = parentOnly.kafka();
  const { Logger } = parentOnly.logger();
  const { createLambdaContext } = parentOnly.pollers();
  const { generatePosts } = parentOnly.emulator();
  const broker = await KafkaBroker.start({ topics: [{ name: 'pinlake.pin', partitions: 2 }], log: () => {} });
  const producer = createKafkaProducer({
    clientId: 'bench',
    connection: { kind: 'plain', brokers: [broker.bootstrap] },
  });
  const config = loadConfig({ KAFKA_BROKERS: broker.bootstrap });
  const handler = createRestProxyHandler({ config, producer, logger: new Logger({ logLevel: 'SILENT' }) });
  const fixture = readFileSync(join(__dirname, '..', 'events', 'apigw', 'rest-proxy-valid.json'), 'utf8');
  const pins = [...generatePosts({ posts: 1_000, seed: 5 })].map((post) => post.pin);
  const send = async (count: number, perRequest: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const event = JSON.parse(fixture) as APIGatewayProxyEvent;
      const records = Array.from({ length: perRequest }, (_, n) => ({
        value: pins[(i * perRequest + n) % pins.length],
      }));
      event.body = JSON.stringify({ records });
      const reply = await handler(event, createLambdaContext({ functionName: 'ingest-batch' }));
      if (reply.statusCode !== 200 || reply.body.includes('"error_code":5')) {
        throw new Error(`bench batch: ingest-batch answered ${reply.statusCode} ${reply.body.slice(0, 200)}`);
      }
    }
    return performance.now() - started;
  };
  try {
    await send(200, 1); // warm-up: connections, metadata, JIT
    const singleMs = await send(REQUESTS, 1);
    const bulkRequests = Math.max(1, Math.round(REQUESTS / 10));
    const bulkMs = await send(bulkRequests, 100);
    return {
      'ingest-batch: 1-record requests/s': perSecond(REQUESTS, singleMs),
      'ingest-batch: 100-record requests/s': perSecond(bulkRequests, bulkMs),
      'ingest-batch: records/s in 100-record requests': perSecond(bulkRequests * 100, bulkMs),
    };
  } finally {
    await producer.close();
    await broker.close();
  }
}

/** Lands `RECORDS` raw records (a third per topic) in the sink layout under `dir`. */
async function landRecords(dir: string): Promise<number> {
  const store = new FileStore(dir);
  const pending = KINDS.map(() => Array.from({ length: PARTITIONS }, () => [] as MskBatchRecord[]));
  const next = KINDS.map(() => Array.from({ length: PARTITIONS }, () => 0));
  const flush = async (k: number, partition: number) => {
    const records = pending[k]![partition]!;
    if (records.length === 0) return;
    await landPartitionBatch(store, { topic: topicName('pinlake', KINDS[k]!), partition, records });
    pending[k]![partition] = [];
  };
  let landed = 0;
  const started = Date.UTC(2026, 0, 1);
  const { generatePosts } = parentOnly.emulator();
  for (const post of generatePosts({ posts: Math.ceil(RECORDS / 3), seed: 1 })) {
    for (const [k, kind] of KINDS.entries()) {
      if (landed === RECORDS) break;
      const partition = landed % PARTITIONS;
      const offset = next[k]![partition]!++;
      pending[k]![partition]!.push({
        offset,
        timestamp: started + landed,
        value: Buffer.from(JSON.stringify(post[kind])),
      });
      landed++;
      if (pending[k]![partition]!.length === FILE_RECORDS) await flush(k, partition);
    }
  }
  for (let k = 0; k < KINDS.length; k++) for (let p = 0; p < PARTITIONS; p++) await flush(k, p);
  return landed;
}

interface WorkerResult {
  ms: number;
  /** CPU time of the run, ms (the process, its I/O threads included). */
  cpuMs: number;
  /** Wall time per table, ms. */
  kinds: Record<Kind, number>;
  /** CPU time per table, ms (the process, its I/O threads included). */
  kindsCpu: Record<Kind, number>;
  maxRssMB: number;
  recordsRead: number;
  rows: number;
  commits: number;
}

/**
 * The glibc malloc settings the deployed batch-clean starts with (its `MALLOC_*` environment in
 * serverless/functions.yml): they decide how often freed memory is faulted in again.
 */
function deployedMallocEnvironment(): Record<string, string> {
  const { loadLocalDeployment } = require('../local/stack') as typeof import('../local/stack');
  const environment = loadLocalDeployment().functions['batch-clean']?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).filter(([name]) => name.startsWith('MALLOC_')));
}

/** Runs batch-clean on `dir` in a child process (this file with the worker variable set), `malloc` in its environment. */
function cleanInChild(dir: string, malloc: Record<string, string>): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'bin', 'run-ts.js'), __filename], {
      env: { ...process.env, ...malloc, [WORKER_ENV]: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`bench batch: the batch-clean worker exited with ${code}`);
        resolve(JSON.parse(out) as WorkerResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** What DuckDB took in one round: wall ms per topic, CPU ms in all and per topic. */
type DuckRound = Record<Kind, number> & { cpuMs: number; kindsCpu: Record<Kind, number> };

/** DuckDB (one thread) writing each topic's NDJSON files to one Snappy Parquet file; resolves ms per topic. */
async function duckdbToParquet(dir: string): Promise<DuckRound> {
  const { DuckDBInstance } = parentOnly.duckdb();
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const ms: DuckRound = { pin: 0, geo: 0, user: 0, cpuMs: 0, kindsCpu: { pin: 0, geo: 0, user: 0 } };
  try {
    for (const kind of KINDS) {
      const files = join(dir, 'raw', 'topics', topicName('pinlake', kind), 'partition=*', '*.json');
      const out = join(dir, `duckdb-${kind}.parquet`);
      const cpu = process.cpuUsage();
      const started = performance.now();
      await connection.run(
        `COPY (SELECT * FROM read_ndjson_auto('${files}')) TO '${out}' (FORMAT parquet, COMPRESSION snappy)`,
      );
      ms[kind] = performance.now() - started;
      ms.kindsCpu[kind] = cpuMsSince(cpu);
      ms.cpuMs += ms.kindsCpu[kind];
    }
    return ms;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const sum = (ms: Record<Kind, number>): number => ms.pin + ms.geo + ms.user;

/** CPU ms this process used since `start` (user and system, all its threads). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Rounds of batch-clean (fresh tables each time, its child started with `malloc`) and DuckDB taking
 * turns on the landing in `dir`.
 */
async function measureClean(
  dir: string,
  records: number,
  malloc: Record<string, string>,
): Promise<{ figures: Figures; duckRate: number; failures: string[] }> {
  const ours: WorkerResult[] = [];
  const duck: DuckRound[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await rm(join(dir, 'tables'), { recursive: true, force: true });
    const clean = await cleanInChild(dir, malloc);
    if (clean.recordsRead !== records || clean.rows !== records) {
      throw new Error(
        `bench batch: batch-clean read ${clean.recordsRead} and wrote ${clean.rows} of ${records} records`,
      );
    }
    ours.push(clean);
    duck.push(await duckdbToParquet(dir));
  }
  const cleanRate = perSecond(records, median(ours.map((r) => r.ms)));
  const duckRate = perSecond(records, median(duck.map(sum)));
  const roundRatios = ours.map((r, i) => ratio(perSecond(records, r.ms), perSecond(records, sum(duck[i]!))));
  const figures: Figures = {
    'batch-clean: raw records': records,
    'batch-clean: rounds': ROUNDS,
    'batch-clean: records/s (median)': cleanRate,
    'batch-clean: ×DuckDB (medians)': ratio(cleanRate, duckRate),
    'batch-clean: ×DuckDB, lowest round': Math.min(...roundRatios),
    'batch-clean: ×DuckDB, highest round': Math.max(...roundRatios),
    'batch-clean: ×DuckDB by CPU time (medians)': ratio(
      median(duck.map((d) => d.cpuMs)),
      median(ours.map((r) => r.cpuMs)),
    ),
  };
  const failures: string[] = [];
  if (ratio(cleanRate, duckRate) < BATCH_BUDGET) failures.push(`all ${ratio(cleanRate, duckRate)}`);
  for (const kind of KINDS) {
    const ourMs = median(ours.map((r) => r.kinds[kind]));
    const kindRatio = ratio(median(duck.map((d) => d[kind])), ourMs);
    const rounds = ours.map((r, i) => ratio(duck[i]![kind], r.kinds[kind]));
    figures[`batch-clean: ${kind} ms, ours / DuckDB (medians)`] =
      `${Math.round(ourMs)} / ${Math.round(median(duck.map((d) => d[kind])))}`;
    figures[`batch-clean: ${kind} ×DuckDB (medians)`] = kindRatio;
    figures[`batch-clean: ${kind} ×DuckDB, rounds`] = `${Math.min(...rounds)}–${Math.max(...rounds)}`;
    figures[`batch-clean: ${kind} ×DuckDB by CPU time (medians)`] = ratio(
      median(duck.map((d) => d.kindsCpu[kind])),
      median(ours.map((r) => r.kindsCpu[kind])),
    );
    if (kindRatio < BATCH_BUDGET) failures.push(`${kind} ${kindRatio}`);
  }
  figures['batch-clean: commits'] = ours[0]!.commits;
  figures['batch-clean: peak RSS MB (highest round)'] = Math.max(...ours.map((r) => r.maxRssMB));
  return { figures, duckRate, failures };
}

/** Runs the benchmark; see the module comment. */
export const run = async (options: BenchOptions): Promise<BenchResult> => {
  // Under --check only batch-clean counts: the ingest figures have no budget.
  const figures: Figures = options.check ? {} : await measureIngest();
  const dir = await mkdtemp(join(tmpdir(), 'pinlake-bench-batch-'));
  try {
    const records = await landRecords(dir);
    const malloc = deployedMallocEnvironment();
    const { value: clean, pinned } = await onOneCore(() => measureClean(dir, records, malloc));
    clean.figures['batch-clean: on one core (both contenders)'] = pinned ? 'yes' : 'no (taskset unavailable)';
    clean.figures["batch-clean: malloc settings (the deployed function's)"] =
      Object.entries(malloc)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ') || 'none';
    Object.assign(figures, clean.figures);
    return {
      name: 'batch',
      figures,
      reference: {
        name: 'DuckDB (threads=1) read_ndjson_auto → Snappy Parquet on the same raw files, taking turns with batch-clean',
        figures: { 'DuckDB records/s (median)': clean.duckRate },
      },
      notes: [
        'ingest-batch: the handler called in-process, one request after another, with the rest-proxy-valid event; produces to the embedded broker (acks=all, idempotent).',
        "batch-clean: list → read → clean → Parquet → Delta commit with txns, 100,000 records per commit (the default), in a child process started with the deployed function's glibc malloc settings (its MALLOC_* environment in serverless/functions.yml), as Lambda starts it; peak RSS is that process.",
        'batch-clean and DuckDB run on one core (taskset; BENCH_CORE, default 0), their helper threads too, so a neighbour slowing that core slows both alike.',
        'Each round empties tables/ and runs batch-clean, then DuckDB, on the same landing; ×DuckDB compares the medians of the rounds (per table: the medians of the per-table times).',
        'DuckDB infers the types and applies no cleaning rules; one pass per topic, one thread, its default Snappy named explicitly.',
        '"by CPU time": the CPU batch-clean used (its process, I/O threads included; per table, the CPU of a batch-clean run of that table alone, one after the other in one process) against the CPU DuckDB used (in all, and for each table\'s COPY), medians of the rounds; a busy machine disturbs it less than wall time.',
      ],
      check: {
        budget: `batch-clean ≥ ${BATCH_BUDGET}× DuckDB for every table and all three, medians of ${ROUNDS} rounds`,
        failures: clean.failures,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

async function cleanWorker(dir: string): Promise<void> {
  const store = new FileStore(dir);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result: WorkerResult = {
    ms: 0,
    cpuMs: 0,
    kinds: { pin: 0, geo: 0, user: 0 },
    kindsCpu: { pin: 0, geo: 0, user: 0 },
    maxRssMB: 0,
    recordsRead: 0,
    rows: 0,
    commits: 0,
  };
  // One run per table, as runBatchClean itself goes table by table, so each has its own CPU time.
  for (const kind of KINDS) {
    const kindCpu = process.cpuUsage();
    const summary = await runBatchClean(store, 'pinlake', { kinds: [kind] });
    result.kindsCpu[kind] = cpuMsSince(kindCpu);
    result.kinds[kind] = summary.durations[kind];
    result.recordsRead += summary.recordsRead;
    result.rows += summary.rowsWritten[kind];
    result.commits += summary.commits;
  }
  result.ms = performance.now() - started;
  result.cpuMs = cpuMsSince(cpu);
  result.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.env[WORKER_ENV]) {
  cleanWorker(process.env[WORKER_ENV]).catch((error: unknown) => {
    process.stderr.write(
      `bench batch worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
