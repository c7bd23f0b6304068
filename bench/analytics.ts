/**
 * `npm run bench -- analytics`: the nine analytics questions over 1,000,000 posts (DESIGN §7).
 *
 * Input: `posts.ndjson` exactly as `pinlake generate` writes it (raw seed fields and values).
 * Ours: `runAnalytics` — the whole batch-analytics run — over the batch tables those posts become
 * (cleaned with libs/records, written with libs/delta in 100,000-record commits as batch-clean
 * does). Reference, in the same run: DuckDB answering the same nine query files straight from the
 * raw NDJSON, cleaning the fields the questions read inline in SQL and keeping one copy per post.
 * Both use one DuckDB thread, and the answers must agree.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  type AnalyticsSummary,
  QUERIES_DIR,
  QUERY_IDS,
  type QueryResult,
  readResultTable,
  runAnalytics,
} from '../libs/analytics';
import { loadSnapshot, writeRows } from '../libs/delta';
import { writePostsFile } from '../libs/emulator/posts-file';
import { cleanTablePath, ensureCleanTable } from '../libs/lake';
import { cleanRecord } from '../libs/records';
import { KINDS, type Kind, type RowOf, TABLE_COLUMNS } from '../libs/records/tables';
import { FileStore } from '../libs/storage';
import { bestOfEach, ratio } from './measure';
import type { BenchOptions, BenchResult } from './types';

const POSTS = Number(process.env.BENCH_ANALYTICS_POSTS ?? 1_000_000);
const SEED = 42;
const COMMIT_RECORDS = 100_000;
const REPEAT = 3;
const EPOCH = Date.UTC(2026, 0, 1);

type Rows = { [K in Kind]: RowOf[K][] };

/** Cleans the posts file into `tables/batch/<kind>` as batch-clean would, a commit per 100,000 posts. */
async function buildBatchTables(store: FileStore, postsFile: string): Promise<number> {
  for (const kind of KINDS) await ensureCleanTable(store, 'batch', kind);
  let pending: Rows = { pin: [], geo: [], user: [] };
  const flush = async () => {
    for (const kind of KINDS) {
      await writeRows(store, cleanTablePath('batch', kind), TABLE_COLUMNS[kind], pending[kind]);
    }
    pending = { pin: [], geo: [], user: [] };
  };
  let offset = 0;
  const lines = createInterface({ input: createReadStream(postsFile), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const post = JSON.parse(line) as Record<Kind, unknown>;
    for (const kind of KINDS) {
      const meta = { source: `kafka:pinlake.${kind}:0:${offset}`, ingestedAt: new Date(EPOCH + offset) };
      const cleaned = cleanRecord(kind, post[kind], meta);
      if (!cleaned.ok)
        throw new Error(`bench analytics: post ${offset} ${kind} was quarantined: ${cleaned.reason}`);
      (pending[kind] as RowOf[Kind][]).push(cleaned.row);
    }
    offset++;
    if (offset % COMMIT_RECORDS === 0) await flush();
  }
  if (pending.pin.length > 0) await flush();
  return offset;
}

// The raw fields the questions read, typed as the seed sends them; other fields are skipped.
const RAW_COLUMNS = `{
  pin: 'STRUCT("index" BIGINT, poster_name VARCHAR, follower_count VARCHAR, category VARCHAR)',
  geo: 'STRUCT(ind BIGINT, "timestamp" VARCHAR, country VARCHAR)',
  "user": 'STRUCT(ind BIGINT, age INTEGER, date_joined VARCHAR)'
}`;

// DESIGN §1.1's rules for those fields, in SQL: blank text and placeholders → null; follower counts
// with k/M/B and exact decimals; "YYYY-MM-DD HH:MM:SS" (and ISO without zone) read as UTC.
const blankToNull = (field: string) =>
  `CASE WHEN regexp_full_match(${field}, '\\s*') THEN NULL ELSE ${field} END`;
const FOLLOWER_MACROS = [
  `CREATE TEMP MACRO follower_value(raw) AS
     TRY_CAST(regexp_extract(trim(raw), '^(\\d{1,16}(?:\\.\\d{1,9})?)[kKmMbB]?$', 1) AS DECIMAL(38, 10)) *
     CASE lower(right(trim(raw), 1)) WHEN 'k' THEN 1000 WHEN 'm' THEN 1000000 WHEN 'b' THEN 1000000000 ELSE 1 END`,
  `CREATE TEMP MACRO follower_count(raw) AS
     CASE WHEN follower_value(raw) = floor(follower_value(raw)) AND follower_value(raw) <= 9007199254740991
       THEN CAST(follower_value(raw) AS BIGINT) END`,
];

const REFERENCE_TABLES = [
  ...FOLLOWER_MACROS,
  `CREATE TEMP TABLE posts AS SELECT pin, geo, "user" FROM read_json($file, format = 'newline_delimited', columns = ${RAW_COLUMNS})`,
  // The emulator re-sends identical copies, so any copy of a post is its first.
  `CREATE TEMP TABLE pin AS SELECT DISTINCT ON (ind) * FROM (
     SELECT p.pin."index" AS ind,
       CASE WHEN p.pin.poster_name = 'User Info Error' THEN NULL ELSE ${blankToNull('p.pin.poster_name')} END AS poster_name,
       follower_count(p.pin.follower_count) AS follower_count,
       ${blankToNull('p.pin.category')} AS category
     FROM posts p WHERE p.pin."index" IS NOT NULL)`,
  `CREATE TEMP TABLE geo AS SELECT DISTINCT ON (ind) * FROM (
     SELECT p.geo.ind AS ind, ${blankToNull('p.geo.country')} AS country,
       TRY_CAST(p.geo."timestamp" AS TIMESTAMP) AS "timestamp"
     FROM posts p WHERE p.geo.ind IS NOT NULL)`,
  `CREATE TEMP TABLE "user" AS SELECT DISTINCT ON (ind) * FROM (
     SELECT p."user".ind AS ind, p."user".age AS age, TRY_CAST(p."user".date_joined AS TIMESTAMP) AS date_joined
     FROM posts p WHERE p."user".ind IS NOT NULL)`,
];

/** DuckDB (one thread): the raw NDJSON → inline cleaning → one copy per post → the nine query files. */
async function answerFromRawNdjson(postsFile: string, sqlById: readonly string[]): Promise<QueryResult[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const file = `'${postsFile.replaceAll("'", "''")}'`;
    for (const sql of REFERENCE_TABLES) await connection.run(sql.replace('$file', file));
    const results: QueryResult[] = [];
    for (const [i, id] of QUERY_IDS.entries()) {
      const reader = await connection.runAndReadAll(sqlById[i] ?? '');
      const rows = reader
        .getRowObjectsJS()
        .map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
        );
      results.push({ id, columns: reader.columnNames(), rows: rows as QueryResult['rows'] });
    }
    connection.closeSync();
    return results;
  } finally {
    instance.closeSync();
  }
}

async function activeParquetBytes(store: FileStore): Promise<number> {
  let bytes = 0;
  for (const kind of KINDS) {
    for (const file of (await loadSnapshot(store, cleanTablePath('batch', kind))).files) bytes += file.size;
  }
  return bytes;
}

/** Runs the benchmark; see the module comment. */
export const run = async (_options: BenchOptions): Promise<BenchResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'pinlake-bench-analytics-'));
  try {
    const started = performance.now();
    const posts = await writePostsFile({ posts: POSTS, seed: SEED, outDir: dir });
    const generateSeconds = Math.round((performance.now() - started) / 100) / 10;
    const store = new FileStore(join(dir, 'lake'));
    const buildStarted = performance.now();
    await buildBatchTables(store, posts.path);
    const buildSeconds = Math.round((performance.now() - buildStarted) / 100) / 10;
    const sqlById = await Promise.all(
      QUERY_IDS.map((id) => readFile(join(QUERIES_DIR, `${id}.sql`), 'utf8')),
    );
    let run = 0;
    let fastest: AnalyticsSummary | undefined;
    let theirs: QueryResult[] = [];
    const ms = await bestOfEach(REPEAT, {
      pinlake: async () => {
        run += 1;
        const summary = await runAnalytics(store, { now: new Date(EPOCH + run), threads: 1 });
        if (fastest === undefined || summary.durations.totalMs < fastest.durations.totalMs) fastest = summary;
      },
      duckdb: async () => {
        theirs = await answerFromRawNdjson(posts.path, sqlById);
      },
    });
    const ours = await Promise.all(QUERY_IDS.map(async (id) => (await readResultTable(store, id))!.result));
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      throw new Error('bench analytics: the answers from the batch tables and from the raw NDJSON differ');
    }
    return {
      name: 'analytics',
      figures: {
        posts: POSTS,
        'distinct posts': posts.distinctIds,
        'batch tables, Parquet MB': Math.round((await activeParquetBytes(store)) / 1e6),
        'runAnalytics, ms': Math.round(ms.pinlake),
        'fastest run: reading the snapshots, ms': fastest?.durations.readMs ?? 0,
        'fastest run: the nine queries (DuckDB), ms': fastest?.durations.queriesMs ?? 0,
        'fastest run: result tables + report, ms':
          (fastest?.durations.writeMs ?? 0) + (fastest?.durations.reportMs ?? 0),
        '×DuckDB from raw NDJSON': ratio(ms.duckdb, ms.pinlake),
        'setup: generate posts.ndjson, s': generateSeconds,
        'setup: clean into batch tables, s': buildSeconds,
      },
      reference: {
        name: 'DuckDB (threads=1) answering the same nine query files from the raw posts.ndjson, cleaning inline',
        figures: {
          'nine questions, ms': Math.round(ms.duckdb),
          'posts.ndjson MB': Math.round((await stat(posts.path)).size / 1e6),
        },
      },
      notes: [
        `Input: posts.ndjson as \`pinlake generate --posts ${POSTS} --seed ${SEED}\` writes it (raw seed fields; ids drawn with replacement from the seed's pool of 11,001 rows, as the seed's emulator does, so posts repeat: both sides scan every row, the questions then run over the distinct posts).`,
        'Ours: the whole runAnalytics (snapshots, DuckDB over the active Parquet files with the distinct posts computed once per run with arg_min, nine result tables replaced in one commit each, the report) over batch tables cleaned with libs/records in 100,000-post commits. On the same tables the previous query files, each deduplicating its own inputs with ROW_NUMBER(), took 8-10 s instead of 0.5 s (a one-off measurement on 2026-11-22, not repeated by this benchmark).',
        'Reference: DuckDB reads the raw NDJSON (only the fields the questions need, typed), applies the cleaning rules those fields need in SQL (placeholders and blanks to null, k/M/B follower counts, timestamps as UTC), keeps one copy per post (the re-sent copies are identical) and runs the same nine files. Earlier runs of this benchmark gave the reference already-clean NDJSON instead.',
        'One DuckDB thread on both sides; best of 3 rounds after a warm-up, taking turns; the answers are checked equal. ×DuckDB above 1 means ours is faster.',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
