/**
 * `npm run bench -- analytics`: the nine analytics questions over 1,000,000 posts (DESIGN §7). Ours:
 * `runQueries` over the clean tables' Parquet files as libs/parquet writes them. Reference, in the
 * same run: DuckDB answering the same SQL from NDJSON copies of the same rows. Both use one thread,
 * and the answers must agree.
 */
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { QUERIES_DIR, QUERY_IDS, type QueryResult, runQueries } from '../libs/analytics';
import { encodeTable } from '../libs/parquet';
import { type ColumnType, KINDS, type Kind, TABLE_COLUMNS } from '../libs/records/tables';
import { generateCleanTables } from '../tests/helpers/analytics-generated-posts';
import { bestOfEach, ratio } from './measure';
import type { BenchOptions, BenchResult } from './types';

const POSTS = Number(process.env.BENCH_ANALYTICS_POSTS ?? 1_000_000);
const POSTS_PER_FILE = 250_000;
const REPEAT = 3;
const JSON_TYPES: { readonly [T in ColumnType]: string } = {
  long: 'BIGINT',
  integer: 'INTEGER',
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  'array<double>': 'DOUBLE[]',
};

type Files = Record<Kind, string[]>;

/** Writes the generated posts, a file of each table per 250,000 posts, as Parquet and as NDJSON. */
async function writeInputs(dir: string): Promise<{ parquet: Files; ndjson: Files; rows: number }> {
  const parquet: Files = { pin: [], geo: [], user: [] };
  const ndjson: Files = { pin: [], geo: [], user: [] };
  let rows = 0;
  for (let first = 0, part = 0; first < POSTS; first += POSTS_PER_FILE, part++) {
    const tables = generateCleanTables(Math.min(POSTS_PER_FILE, POSTS - first), 1000 + part);
    for (const kind of KINDS) {
      const kindRows = tables[kind] as unknown as { ind: number }[];
      for (const row of kindRows) row.ind += first;
      rows += kindRows.length;
      const path = join(dir, `${kind}-${part}`);
      await writeFile(`${path}.parquet`, encodeTable(TABLE_COLUMNS[kind], kindRows).bytes);
      for (let i = 0; i < kindRows.length; i += 50_000) {
        const lines = kindRows.slice(i, i + 50_000).map((r) => `${JSON.stringify(r)}\n`);
        await appendFile(`${path}.ndjson`, lines.join(''));
      }
      parquet[kind].push(`${path}.parquet`);
      ndjson[kind].push(`${path}.ndjson`);
    }
  }
  return { parquet, ndjson, rows };
}

/** DuckDB (one thread) running the same query files over NDJSON views of the same rows. */
async function answerFromNdjson(files: Files, sqlById: readonly string[]): Promise<QueryResult[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    for (const kind of KINDS) {
      const columns = TABLE_COLUMNS[kind].map((c) => `${c.name}: '${JSON_TYPES[c.type]}'`).join(', ');
      const list = files[kind].map((f) => `'${f}'`).join(', ');
      await connection.run(
        `CREATE VIEW ${kind} AS SELECT * FROM read_json([${list}], format = 'newline_delimited', columns = {${columns}})`,
      );
    }
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

const totalBytes = async (files: Files): Promise<number> => {
  let bytes = 0;
  for (const kind of KINDS) for (const file of files[kind]) bytes += (await stat(file)).size;
  return bytes;
};

/** Runs the benchmark; see the module comment. */
export const run = async (_options: BenchOptions): Promise<BenchResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'pinlake-bench-analytics-'));
  try {
    const started = performance.now();
    const inputs = await writeInputs(dir);
    const setupSeconds = Math.round((performance.now() - started) / 100) / 10;
    const sqlById = await Promise.all(
      QUERY_IDS.map((id) => readFile(join(QUERIES_DIR, `${id}.sql`), 'utf8')),
    );
    let ours: QueryResult[] = [];
    let theirs: QueryResult[] = [];
    const ms = await bestOfEach(REPEAT, {
      pinlake: async () => {
        ours = await runQueries(inputs.parquet, QUERY_IDS, { threads: 1 });
      },
      duckdb: async () => {
        theirs = await answerFromNdjson(inputs.ndjson, sqlById);
      },
    });
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      throw new Error('bench analytics: the Parquet and NDJSON answers differ');
    }
    return {
      name: 'analytics',
      figures: {
        posts: POSTS,
        'rows in the three tables': inputs.rows,
        'Parquet MB': Math.round((await totalBytes(inputs.parquet)) / 1e6),
        'nine queries, ms': Math.round(ms.pinlake),
        '×DuckDB from NDJSON': ratio(ms.duckdb, ms.pinlake),
        'input generation, s': setupSeconds,
      },
      reference: {
        name: 'DuckDB (threads=1) answering the same SQL from NDJSON of the same rows',
        figures: {
          'nine queries, ms': Math.round(ms.duckdb),
          'NDJSON MB': Math.round((await totalBytes(inputs.ndjson)) / 1e6),
        },
      },
      notes: [
        'Inputs: seeded random clean rows (tests/helpers/analytics-generated-posts.ts), about 10% re-sent copies, four files per table, Parquet written by libs/parquet encodeTable.',
        'Both sides run the nine files of libs/analytics/queries with one DuckDB thread; best of 3 rounds after a warm-up, taking turns; the answers are checked equal.',
        'The reference reads NDJSON with the clean column types given (no inference, no cleaning), so it is a lower bound for answering from the raw landing files.',
        '×DuckDB from NDJSON above 1 means ours is faster.',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
