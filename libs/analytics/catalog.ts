/**
 * The lake as tables of the AWS Glue Data Catalog: one native Delta Lake table per clean table and per
 * result table, which Athena (engine v3) reads from the Delta log, and the DDL that registers an
 * existing lake by hand (`pinlake catalog`).
 *
 * Athena needs only the table's location and `table_type` = `DELTA`; the schema comes from the Delta
 * log, and a `CREATE EXTERNAL TABLE` for a Delta table may carry nothing else (Amazon Athena User
 * Guide, "Get started with Delta Lake tables").
 */

import { cleanTableName, cleanTablePath, resultTablePath, TABLE_FAMILIES } from '../lake/layout';
import { KINDS, TABLE_COLUMNS } from '../records/tables';
import { CatalogError } from './errors';
import { QUERY_IDS, type QueryId } from './query-ids';
import { resultColumns } from './result-tables';

/** One lake table as the Glue Data Catalog names it. */
export interface CatalogTable {
  /** The Glue table name: `batch_pin`, `stream_geo`, `analytics_top_category_by_country`. */
  readonly name: string;
  /** The table's key prefix in the lake: `tables/batch/pin`. */
  readonly path: string;
  /** Its columns with Hive/Glue types (`bigint`, `int`, `string`, `timestamp`, `array<double>`, `double`). */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

const GLUE_TYPES: Readonly<Record<string, string>> = {
  long: 'bigint',
  integer: 'int',
  string: 'string',
  timestamp: 'timestamp',
  'array<double>': 'array<double>',
  double: 'double',
};

const glueType = (deltaType: string): string => {
  const type = GLUE_TYPES[deltaType];
  if (type === undefined) throw new Error(`no Glue type for the Delta type ${deltaType}`);
  return type;
};

/** The Glue table of a result table: `analytics_<query id>`. */
function resultTableName(id: QueryId): string {
  return `analytics_${id}`;
}

/** Every table of the lake, in catalog order: stream, batch, then the nine result tables. */
export function catalogTables(): CatalogTable[] {
  const clean = TABLE_FAMILIES.flatMap((family) =>
    KINDS.map((kind) => ({
      name: cleanTableName(family, kind),
      path: cleanTablePath(family, kind),
      columns: TABLE_COLUMNS[kind].map((c) => ({ name: c.name, type: glueType(c.type) })),
    })),
  );
  const results = QUERY_IDS.map((id) => ({
    name: resultTableName(id),
    path: resultTablePath(id),
    columns: resultColumns(id).map((c) => ({ name: c.name, type: glueType(c.type) })),
  }));
  return [...clean, ...results];
}

/** What {@link catalogDdl} registers. */
export interface CatalogDdlOptions {
  /** The lake: `s3://bucket` or `s3://bucket/prefix`. */
  readonly lakeUri: string;
  /** The Glue database to create the tables in. */
  readonly database: string;
}

/**
 * The Athena DDL that registers a lake in the Glue Data Catalog: `CREATE DATABASE IF NOT EXISTS`,
 * then one `CREATE EXTERNAL TABLE IF NOT EXISTS … LOCATION '<lake>/<path>/' TBLPROPERTIES
 * ('table_type' = 'DELTA')` per table, one statement per line (Athena runs one statement per query).
 * Throws {@link CatalogError} for a lake that is not on S3 or a database name Athena would reject.
 */
export function catalogDdl(options: CatalogDdlOptions): string[] {
  const match = /^s3:\/\/([^/']+)(\/[^']*)?$/.exec(options.lakeUri);
  if (!match) throw new CatalogError(`Athena reads lakes on S3; ${options.lakeUri} is not an s3:// URI`);
  if (!/^[a-z0-9_]{1,255}$/.test(options.database)) {
    throw new CatalogError(
      `the Glue database name ${options.database} must be lowercase letters, digits and "_" for Athena`,
    );
  }
  const root = `s3://${match[1]}${(match[2] ?? '').replace(/\/+$/, '')}`;
  return [
    `CREATE DATABASE IF NOT EXISTS ${options.database}`,
    ...catalogTables().map(
      (table) =>
        `CREATE EXTERNAL TABLE IF NOT EXISTS ${options.database}.${table.name} ` +
        `LOCATION '${root}/${table.path}/' TBLPROPERTIES ('table_type' = 'DELTA')`,
    ),
  ];
}
