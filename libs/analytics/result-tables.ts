/**
 * The analytics result tables (DESIGN §2.2): `tables/analytics/<query id>`, one Delta table per
 * question, replaced whole by each run in one commit, exactly once per run.
 */

import { createTable, loadSnapshot, readRows, replaceRows, TableNotFoundError } from '../delta';
import { resultTablePath } from '../lake/layout';
import type { TableColumn } from '../parquet/schema';
import type { ObjectStore } from '../storage/types';
import { ResultTableError } from './errors';
import { QUERY_COLUMNS, type QueryId } from './query-ids';
import type { QueryResult, ResultRow, ResultValue } from './run-queries';

/** The txn app id every result-table commit records; its version is the run's time in milliseconds. */
export const ANALYTICS_APP_ID = 'batch-analytics';

/** Delta type of every result column (the same name has the same type in every question). */
const COLUMN_TYPES: Readonly<Record<string, TableColumn['type']>> = {
  country: 'string',
  category: 'string',
  poster_name: 'string',
  age_group: 'string',
  post_year: 'integer',
  category_count: 'long',
  follower_count: 'long',
  number_users_joined: 'long',
  median_follower_count: 'double',
};

/**
 * The Delta columns of a question's result table, in query order: counts and follower counts are
 * `long`, years `integer`, medians `double`, names `string`; all nullable.
 */
export function resultColumns(id: QueryId): TableColumn[] {
  return QUERY_COLUMNS[id].map((name) => {
    const type = COLUMN_TYPES[name];
    if (type === undefined) throw new ResultTableError(`result column ${name} of ${id} has no Delta type`);
    return { name, type, nullable: true };
  });
}

/** What writing one result table did: `written` (a new version) or `duplicate` (the run was recorded). */
export interface ResultWrite {
  readonly id: QueryId;
  readonly rows: number;
  readonly status: 'written' | 'duplicate';
  /** The table version holding the run's rows (the version already there for a duplicate). */
  readonly version: number;
}

/**
 * Replaces a result table's content with the run's rows in ONE commit (creating the table first if
 * absent), recording the txn `{ appId: 'batch-analytics', version: runVersion }`: when the table
 * already holds that run or a later one, nothing is written and the status is `duplicate`. Throws
 * {@link ResultTableError} naming the table when the write fails.
 */
export async function writeResultTable(
  store: ObjectStore,
  result: QueryResult,
  runVersion: number,
  now: () => number = Date.now,
): Promise<ResultWrite> {
  const path = resultTablePath(result.id);
  try {
    const columns = resultColumns(result.id);
    await createTable(store, path, columns, {
      name: result.id,
      description: `pinlake analytics: ${result.id}, replaced by every batch-analytics run`,
    });
    const outcome = await replaceRows(store, path, columns, result.rows, {
      txn: { appId: ANALYTICS_APP_ID, version: runVersion },
      now,
    });
    const status = outcome.status === 'committed' ? 'written' : 'duplicate';
    return { id: result.id, rows: result.rows.length, status, version: outcome.version };
  } catch (error) {
    throw new ResultTableError(`cannot write the result table ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** A result table read back: the answer and the run (txn version) that wrote it. */
export interface StoredResult {
  readonly result: QueryResult;
  /** The `batch-analytics` txn version (the run's time in ms), undefined when no run recorded one. */
  readonly runVersion: number | undefined;
}

/**
 * Reads a question's result table at its latest version (rows in file order, which is query order:
 * each run writes one file). Resolves `undefined` when the table does not exist yet; throws
 * {@link ResultTableError} naming the table when it cannot be read.
 */
export async function readResultTable(store: ObjectStore, id: QueryId): Promise<StoredResult | undefined> {
  const path = resultTablePath(id);
  try {
    const snapshot = await loadSnapshot(store, path);
    const rows = await readRows(store, snapshot);
    const columns = snapshot.schema.fields.map((f) => f.name);
    return {
      result: { id, columns, rows: rows.map((row) => toResultRow(row, columns)) },
      runVersion: snapshot.txns[ANALYTICS_APP_ID],
    };
  } catch (error) {
    if (error instanceof TableNotFoundError) return undefined;
    throw new ResultTableError(`cannot read the result table ${path}: ${messageOf(error)}`, { cause: error });
  }
}

function toResultRow(row: Record<string, unknown>, columns: readonly string[]): ResultRow {
  const out: Record<string, ResultValue> = {};
  for (const column of columns) {
    const value = row[column];
    out[column] =
      value === null || value === undefined
        ? null
        : typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
          ? value
          : String(value);
  }
  return out;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
