/**
 * Runs one statement as Athena would over native Delta tables, with DuckDB: each Glue table the
 * statement names becomes a view over the active files of its Delta table (read through the caller's
 * view of the lake, so S3 permissions apply), typed from the Delta schema, in a schema named after
 * the Glue database; timestamps are UTC, as Athena reads Delta timestamps.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadSnapshot, type Snapshot, TableNotFoundError } from '../../libs/delta';
import type { DataType } from '../../libs/delta/schema';
import { PinlakeError } from '../../libs/errors';
import type { ObjectStore } from '../../libs/storage';

/** A table the statement reads: its name in the query and its Delta table in the lake. */
export interface TableSource {
  readonly name: string;
  /** The table's key prefix in the lake (`tables/batch/pin`). */
  readonly path: string;
}

/** A finished statement: column names and Athena types, rows as strings (undefined for null). */
export interface StatementResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (string | undefined)[][];
  /** Bytes of the data files the statement's tables hold. */
  readonly scannedBytes: number;
}

/** A statement Athena would refuse or fail, with the message it would give. */
export class StatementError extends PinlakeError {
  override readonly name: string = 'StatementError';
  override readonly code: string = 'STATEMENT';

  constructor(
    message: string,
    readonly state: 'FAILED' | 'CANCELLED' = 'FAILED',
  ) {
    super(message);
  }
}

const DUCKDB_TYPES: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  long: 'BIGINT',
  integer: 'INTEGER',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamp_ntz: 'TIMESTAMP',
};

function duckdbType(type: DataType): string {
  if (typeof type === 'string') {
    const found = DUCKDB_TYPES[type];
    if (found) return found;
    if (type.startsWith('decimal')) return type.toUpperCase();
  } else if (type.type === 'array') {
    return `${duckdbType(type.elementType)}[]`;
  }
  throw new StatementError(`the stand-in cannot read the Delta type ${JSON.stringify(type)}`);
}

const ATHENA_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: 'varchar',
  BIGINT: 'bigint',
  INTEGER: 'integer',
  SMALLINT: 'smallint',
  TINYINT: 'tinyint',
  DOUBLE: 'double',
  FLOAT: 'real',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
};

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The typed view of one Delta table: the active files, every column cast to its Delta type. */
function viewSql(qualified: string, snapshot: Snapshot, files: readonly string[]): string {
  const fields = snapshot.schema.fields;
  const typedNulls = fields
    .map((f) => `CAST(NULL AS ${duckdbType(f.type)}) AS ${quoteIdent(f.name)}`)
    .join(', ');
  if (files.length === 0) return `CREATE VIEW ${qualified} AS SELECT ${typedNulls} WHERE 1 = 0`;
  const casts = fields.map((f) => {
    const name = quoteIdent(f.name);
    // A UTC-adjusted Parquet timestamp reads as TIMESTAMPTZ; its epoch microseconds are the UTC time.
    return f.type === 'timestamp'
      ? `make_timestamp(epoch_us(${name})) AS ${name}`
      : `CAST(${name} AS ${duckdbType(f.type)}) AS ${name}`;
  });
  return (
    `CREATE VIEW ${qualified} AS SELECT ${casts.join(', ')} FROM (SELECT ${typedNulls} WHERE 1 = 0 ` +
    `UNION ALL BY NAME SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}], union_by_name = true)) files`
  );
}

/**
 * Runs `sql` in a schema named `database` holding a view per table of `tables`, read from `lake` (the
 * caller's view of it: a denied read fails the statement with Athena's kind of message). Throws
 * {@link StatementError} for a bytes-scanned limit exceeded (CANCELLED) or any failure (FAILED).
 */
export async function executeStatement(options: {
  readonly lake: ObjectStore;
  /** The lake's folder when it is a `file://` lake: its data files are then read in place. */
  readonly localRoot: string | undefined;
  readonly lakeUri: string;
  readonly database: string;
  readonly tables: readonly TableSource[];
  readonly sql: string;
  readonly bytesScannedCutoff: number | undefined;
}): Promise<StatementResult> {
  const { lake } = options;
  const loaded: { source: TableSource; snapshot: Snapshot | undefined }[] = [];
  for (const source of options.tables) {
    try {
      loaded.push({ source, snapshot: await loadSnapshot(lake, source.path) });
    } catch (error) {
      if (error instanceof TableNotFoundError) {
        // Athena fails a query over a Delta table whose log is absent.
        throw new StatementError(
          `HIVE_METASTORE_ERROR: no Delta transaction log at ${options.lakeUri}/${source.path}`,
        );
      }
      throw new StatementError(
        `Permission denied on S3 path: ${options.lakeUri}/${source.path}: ${(error as Error).message}`,
      );
    }
  }
  const scannedBytes = loaded.reduce(
    (sum, { snapshot }) => sum + (snapshot?.files ?? []).reduce((s, f) => s + f.size, 0),
    0,
  );
  if (options.bytesScannedCutoff !== undefined && scannedBytes > options.bytesScannedCutoff) {
    throw new StatementError('Query cancelled! : Bytes scanned limit was exceeded', 'CANCELLED');
  }
  const temp = options.localRoot !== undefined ? undefined : await mkdtemp(join(tmpdir(), 'pinlake-athena-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      await connection.run(`CREATE SCHEMA ${quoteIdent(options.database)}`);
      let n = 0;
      for (const { source, snapshot } of loaded) {
        const files: string[] = [];
        for (const file of snapshot?.files ?? []) {
          const key = `${source.path}/${file.path}`;
          // Every data file is read with the caller's permissions (s3:GetObject), as Athena reads it.
          const bytes = await lake.get(key).catch((error: Error) => {
            throw new StatementError(
              `Permission denied on S3 path: ${options.lakeUri}/${key}: ${error.message}`,
            );
          });
          if (bytes === undefined) throw new StatementError(`HIVE_CANNOT_OPEN_SPLIT: ${key} is missing`);
          if (options.localRoot !== undefined) {
            files.push(join(options.localRoot, ...key.split('/')));
          } else {
            const path = join(temp!, `${n++}.parquet`);
            await writeFile(path, bytes);
            files.push(path);
          }
        }
        const qualified = `${quoteIdent(options.database)}.${quoteIdent(source.name)}`;
        await connection.run(
          snapshot ? viewSql(qualified, snapshot, files) : `CREATE VIEW ${qualified} AS SELECT 1 WHERE 1 = 0`,
        );
      }
      await connection.run(`SET schema = ${quoteLiteral(options.database)}`);
      let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
      try {
        reader = await connection.runAndReadAll(options.sql);
      } catch (error) {
        const message =
          typeof error === 'object' && error !== null && 'message' in error
            ? String(error.message)
            : String(error);
        throw new StatementError(message);
      }
      const columns = reader.columnNames().map((name, index) => {
        const type = String(reader.columnTypes()[index]);
        return { name, type: ATHENA_TYPES[type] ?? type.toLowerCase() };
      });
      const rows = reader
        .getRowsJS()
        .map((row) =>
          row.map((value) => (value === null || value === undefined ? undefined : String(value))),
        );
      return { columns, rows, scannedBytes };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}
