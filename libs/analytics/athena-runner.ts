/**
 * The nine questions answered by Amazon Athena over the lake's Glue tables: each query file is
 * started (the distinct-post relations put in front, see athena-sql.ts), polled with backoff until it
 * succeeds, fails or the deadline passes, and its result pages are read and typed from the result
 * metadata. The answers have the shape the DuckDB runner gives.
 */
import { createHash } from 'node:crypto';
import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { KINDS, type Kind } from '../records/tables';
import { pause } from '../retry';
import { withDistinctPosts } from './athena-sql';
import { AnalyticsQueryError } from './errors';
import { QUERY_IDS, type QueryId } from './query-ids';
import {
  checkColumns,
  QUERIES_DIR,
  type QueryResult,
  type ResultRow,
  type ResultValue,
  readQuery,
  reasonOf,
} from './run-queries';
import { columnsNamedBy } from './views';

/** How long to wait for each query, and how often to ask. */
interface AthenaPolling {
  /** First wait after the start, then doubled up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** A query not finished this long after its start fails the run. */
  readonly deadlineMs: number;
}

/** Where and how the queries run on Athena. */
export interface AthenaSettings {
  readonly client: AthenaClient;
  /** The workgroup: its result location, encryption and bytes-scanned limit apply. */
  readonly workgroup: string;
  /** The Glue database holding `batch_pin`, `batch_geo`, `batch_user`. */
  readonly database: string;
  /** The data catalog; `AwsDataCatalog` (Glue) by default. */
  readonly catalog?: string;
  readonly polling?: Partial<AthenaPolling>;
  /** Queries running at once (Athena counts active queries per account); 3 by default. */
  readonly concurrency?: number;
  /** Rows asked for per GetQueryResults call; Athena's maximum, 1000, by default. */
  readonly pageSize?: number;
}

/** Options of {@link runQueriesOnAthena}. */
export interface AthenaRunOptions {
  readonly queriesDir?: string;
  /**
   * Makes the start requests idempotent: the same seed, query and text give the same
   * `ClientRequestToken`, so a retried run gets the queries it already started back.
   */
  readonly requestSeed?: string;
}

/** Defaults: a first look after 250 ms, at most every 5 s, 10 minutes per query (Lambda allows 15). */
const DEFAULT_POLLING: AthenaPolling = { firstDelayMs: 250, maxDelayMs: 5_000, deadlineMs: 600_000 };

const MAX_RESULTS_PER_PAGE = 1000;

/**
 * Answers `ids` on Athena. Throws {@link AnalyticsQueryError} with Athena's own message for a query
 * that fails or is cancelled, naming the query and its execution id; for one still running at the
 * deadline; for unexpected columns or column types; and for a call Athena refuses (access denied…).
 */
export async function runQueriesOnAthena(
  settings: AthenaSettings,
  ids: readonly QueryId[] = QUERY_IDS,
  options: AthenaRunOptions = {},
): Promise<QueryResult[]> {
  const queriesDir = options.queriesDir ?? QUERIES_DIR;
  const texts = await Promise.all(ids.map((id) => readQuery(queriesDir, id)));
  const columnsByKind = Object.fromEntries(
    KINDS.map((kind) => [kind, columnsNamedBy(kind, texts)]),
  ) as Record<Kind, string[]>;
  const polling = { ...DEFAULT_POLLING, ...settings.polling };
  const results: QueryResult[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index]!;
      const sql = withDistinctPosts(texts[index]!, columnsByKind);
      results[index] = await runOne(settings, polling, id, sql, options.requestSeed);
    }
  };
  const workers = Math.max(1, Math.min(settings.concurrency ?? 3, ids.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function runOne(
  settings: AthenaSettings,
  polling: AthenaPolling,
  id: QueryId,
  sql: string,
  requestSeed: string | undefined,
): Promise<QueryResult> {
  const token =
    requestSeed === undefined
      ? undefined
      : createHash('sha256').update(`${requestSeed}\u0000${id}\u0000${sql}`).digest('hex');
  const started = await call(id, 'start', () =>
    settings.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: settings.workgroup,
        QueryExecutionContext: { Database: settings.database, Catalog: settings.catalog ?? 'AwsDataCatalog' },
        ...(token ? { ClientRequestToken: token } : {}),
      }),
    ),
  );
  const executionId = started.QueryExecutionId;
  if (!executionId) throw new AnalyticsQueryError(`query ${id}: Athena returned no query execution id`);
  await waitForSuccess(settings.client, polling, id, executionId);
  return readResults(settings.client, id, executionId, settings.pageSize ?? MAX_RESULTS_PER_PAGE);
}

async function waitForSuccess(
  client: AthenaClient,
  polling: AthenaPolling,
  id: QueryId,
  executionId: string,
): Promise<void> {
  const deadline = Date.now() + polling.deadlineMs;
  let delay = polling.firstDelayMs;
  for (;;) {
    await pause(Math.max(0, Math.min(delay, deadline - Date.now())));
    const reply = await call(id, 'poll', () =>
      client.send(new GetQueryExecutionCommand({ QueryExecutionId: executionId })),
    );
    const execution: QueryExecution | undefined = reply.QueryExecution;
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') return;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason =
        execution?.Status?.AthenaError?.ErrorMessage ??
        execution?.Status?.StateChangeReason ??
        'no reason given';
      throw new AnalyticsQueryError(
        `query ${id} ${state.toLowerCase()} on Athena (${executionId}): ${reason}`,
      );
    }
    if (Date.now() >= deadline) {
      throw new AnalyticsQueryError(
        `query ${id} did not finish on Athena within ${Math.round(polling.deadlineMs / 1000)} s ` +
          `(${executionId}, still ${state ?? 'unknown'})`,
      );
    }
    delay = Math.min(delay * 2, polling.maxDelayMs);
  }
}

async function readResults(
  client: AthenaClient,
  id: QueryId,
  executionId: string,
  pageSize: number,
): Promise<QueryResult> {
  let columns: ColumnInfo[] | undefined;
  const rows: ResultRow[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await call(id, 'read results', () =>
      client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: executionId,
          MaxResults: pageSize,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const names = columns.map((c) => c.Name ?? '');
    let pageRows = page.ResultSet?.Rows ?? [];
    if (first) {
      // The first row of the first page of a SELECT is the header (the column labels).
      checkColumns(id, names);
      const header = (pageRows[0]?.Data ?? []).map((d) => d.VarCharValue);
      if (header.join(',') !== names.join(',')) {
        throw new AnalyticsQueryError(
          `query ${id}: Athena's first result row is not the header (${header.join(', ')})`,
        );
      }
      pageRows = pageRows.slice(1);
      first = false;
    }
    for (const row of pageRows) {
      const data = row.Data ?? [];
      const out: Record<string, ResultValue> = {};
      columns.forEach((column, index) => {
        out[names[index]!] = typedValue(id, column, data[index]?.VarCharValue);
      });
      rows.push(out);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { id, columns: (columns ?? []).map((c) => c.Name ?? ''), rows };
}

/**
 * A result cell typed from the column's Athena type: every value arrives as a string, a null as no
 * value at all. Integers become numbers (bigints beyond 2^53), doubles numbers, strings stay.
 */
function typedValue(id: QueryId, column: ColumnInfo, text: string | undefined): ResultValue {
  if (text === undefined) return null;
  switch (column.Type) {
    case 'varchar':
    case 'char':
    case 'string':
      return text;
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint': {
      if (!/^-?\d+$/.test(text)) break;
      const value = BigInt(text);
      const asNumber = Number(value);
      return Number.isSafeInteger(asNumber) ? asNumber : value;
    }
    case 'double':
    case 'float':
    case 'real': {
      const value = Number(text);
      if (!Number.isNaN(value) || text === 'NaN') return value;
      break;
    }
    default:
      throw new AnalyticsQueryError(
        `query ${id} returned the unsupported Athena type ${column.Type} in ${column.Name}`,
      );
  }
  throw new AnalyticsQueryError(
    `query ${id} returned ${JSON.stringify(text)} in ${column.Name}, not a ${column.Type}`,
  );
}

async function call<T>(id: QueryId, step: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AnalyticsQueryError(`query ${id}: Athena refused to ${step}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
}
