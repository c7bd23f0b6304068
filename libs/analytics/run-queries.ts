import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { KINDS, type Kind } from '../records/tables';
import { AnalyticsQueryError } from './errors';
import { QUERY_COLUMNS, QUERY_IDS, type QueryId } from './query-ids';
import { columnsNamedBy, createDistinctTableSql, createRowsViewSql, type TableFiles } from './views';

/** One cell of a query result: counts and years are numbers, medians are numbers (doubles). */
export type ResultValue = string | number | bigint | null;

/** A result row, keyed by the query's output columns. */
export type ResultRow = Readonly<Record<string, ResultValue>>;

/** The answer to one analytics question. */
export interface QueryResult {
  readonly id: QueryId;
  /** The output columns, in order (exactly {@link QUERY_COLUMNS} for the id). */
  readonly columns: readonly string[];
  /** The rows, sorted by the group key. */
  readonly rows: readonly ResultRow[];
}

/** How {@link runQueries} runs DuckDB. */
export interface RunQueriesOptions {
  /** DuckDB worker threads; DuckDB's default (one per core) when absent. */
  readonly threads?: number;
  /** Where the `<id>.sql` files are; defaults to the `queries` folder beside this module. */
  readonly queriesDir?: string;
}

/**
 * The folder holding the shipped query files: `queries/` beside this module in the source tree, and
 * beside the bundle in the batch-analytics zip (serverless/esbuild-plugins.js copies them there). A
 * bundle run from serverless-esbuild's build folder (`sls invoke local`, `sls offline`) finds them in
 * that folder's `__only_batch-analytics/` part, which only the zip flattens.
 */
export const QUERIES_DIR = firstExisting([
  join(__dirname, 'queries'),
  join(__dirname, '..', '__only_batch-analytics', 'functions', 'queries'),
]);

/** The first of `dirs` that exists; the first one when none does (reading it then names that path). */
function firstExisting(dirs: readonly [string, ...string[]]): string {
  return dirs.find((dir) => existsSync(dir)) ?? dirs[0];
}

/**
 * Answers the analytics questions over the clean tables' Parquet files.
 *
 * Opens one in-memory DuckDB instance (UTC session), exposes each table's files as a view
 * (`pin_rows`…), deduplicates each table ONCE into a temporary table named after it (`pin`, `geo`,
 * `user`: one row per `ind`, the first ingested, with the columns the queries name), runs each query
 * file in turn over those and closes the instance. Empty file lists give empty results.
 * BIGINT values come back as numbers when they are safe integers, otherwise as bigints.
 * Throws {@link AnalyticsQueryError} naming the query (and DuckDB's message) on any failure.
 */
export async function runQueries(
  files: TableFiles,
  ids: readonly QueryId[] = QUERY_IDS,
  options: RunQueriesOptions = {},
): Promise<QueryResult[]> {
  const queriesDir = options.queriesDir ?? QUERIES_DIR;
  const sqlById = await Promise.all(ids.map((id) => readQuery(queriesDir, id)));
  const config: Record<string, string> =
    options.threads === undefined ? {} : { threads: String(options.threads) };
  const instance = await DuckDBInstance.create(':memory:', config);
  try {
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      for (const kind of KINDS) await createDistinctTable(connection, kind, files[kind], sqlById);
      const results: QueryResult[] = [];
      for (const [index, id] of ids.entries()) {
        results.push(await runQuery(connection, id, sqlById[index] ?? ''));
      }
      return results;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Exposes a table's files as `<kind>_rows`, then keeps its distinct posts in the temp table `<kind>`. */
async function createDistinctTable(
  connection: DuckDBConnection,
  kind: Kind,
  files: readonly string[],
  sqlTexts: readonly string[],
): Promise<void> {
  try {
    await connection.run(createRowsViewSql(kind, files));
    await connection.run(createDistinctTableSql(kind, columnsNamedBy(kind, sqlTexts)));
  } catch (error) {
    const reason = reasonOf(error);
    throw new AnalyticsQueryError(`cannot read the ${kind} table's Parquet files: ${reason}`, {
      cause: error,
    });
  }
}

/** The text of one query file, `<queriesDir>/<id>.sql`; throws {@link AnalyticsQueryError} naming the path. */
export async function readQuery(queriesDir: string, id: QueryId): Promise<string> {
  const path = join(queriesDir, `${id}.sql`);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AnalyticsQueryError(`cannot read the query file ${path} for ${id}`, { cause: error });
  }
}

async function runQuery(connection: DuckDBConnection, id: QueryId, sql: string): Promise<QueryResult> {
  let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
  try {
    reader = await connection.runAndReadAll(sql);
  } catch (error) {
    const reason = reasonOf(error);
    throw new AnalyticsQueryError(`query ${id} failed: ${reason}`, { cause: error });
  }
  const columns = reader.columnNames();
  checkColumns(id, columns);
  const rows = reader.getRowObjectsJS().map((row) => toResultRow(id, row));
  return { id, columns, rows };
}

function toResultRow(id: QueryId, row: Record<string, unknown>): ResultRow {
  const out: Record<string, ResultValue> = {};
  for (const [column, value] of Object.entries(row)) out[column] = toResultValue(id, column, value);
  return out;
}

/** Checks a query returned exactly the columns of {@link QUERY_COLUMNS}; throws {@link AnalyticsQueryError}. */
export function checkColumns(id: QueryId, columns: readonly string[]): void {
  const expected = QUERY_COLUMNS[id];
  if (columns.join(',') !== expected.join(',')) {
    throw new AnalyticsQueryError(
      `query ${id} returned the columns ${columns.join(', ')} instead of ${expected.join(', ')}`,
    );
  }
}

function toResultValue(id: QueryId, column: string, value: unknown): ResultValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
  throw new AnalyticsQueryError(`query ${id} returned an unsupported ${typeof value} in column ${column}`);
}

/** The message of a thrown value; DuckDB's native errors may come from another realm than `Error`. */
export function reasonOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error);
}
