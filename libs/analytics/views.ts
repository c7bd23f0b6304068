import { type ColumnType, type Kind, TABLE_COLUMNS } from '../records/tables';

/** The Parquet files of each clean table the queries read (local paths). */
export interface TableFiles {
  readonly pin: readonly string[];
  readonly geo: readonly string[];
  readonly user: readonly string[];
}

const SQL_TYPES: { readonly [T in ColumnType]: string } = {
  long: 'BIGINT',
  integer: 'INTEGER',
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  'array<double>': 'DOUBLE[]',
};

const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The name of the view over every row of a table's files, duplicates included: `pin_rows`. */
export const rowsViewName = (kind: Kind): string => `${kind}_rows`;

/**
 * The `CREATE VIEW <kind>_rows` statement: every row of one clean table's files, duplicates included.
 *
 * Every column is cast to its contract type (timestamps become UTC `TIMESTAMP`s), so files written
 * with or without UTC-adjusted timestamps, with narrower integers or missing columns
 * (`union_by_name` fills them with nulls) all read alike. With no files
 * the view is empty but still typed, so every query runs and returns no rows.
 */
export function createRowsViewSql(kind: Kind, files: readonly string[]): string {
  const columns = TABLE_COLUMNS[kind];
  const view = rowsViewName(kind);
  const typedNulls = columns.map((c) => `CAST(NULL AS ${SQL_TYPES[c.type]}) AS ${c.name}`).join(', ');
  if (files.length === 0) return `CREATE VIEW ${view} AS SELECT ${typedNulls} WHERE 1 = 0`;
  const casts = columns.map((c) =>
    // A UTC-adjusted Parquet timestamp reads as TIMESTAMPTZ; CAST would convert it through ICU's
    // calendar (30 times slower), while its epoch microseconds are already the UTC wall time.
    c.type === 'timestamp'
      ? `make_timestamp(epoch_us(${c.name})) AS ${c.name}`
      : `CAST(${c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`,
  );
  const list = files.map(quoteLiteral).join(', ');
  // The empty typed row set supplies, as nulls, any column that no file has.
  return (
    `CREATE VIEW ${view} AS SELECT ${casts.join(', ')} FROM (SELECT ${typedNulls} WHERE 1 = 0 ` +
    `UNION ALL BY NAME SELECT * FROM read_parquet([${list}], union_by_name = true)) files`
  );
}

/**
 * The columns of `kind` that the query texts name (as whole words), `ind` always first: what the
 * distinct-post table has to carry. Wide text columns no query reads (title, description…) stay in
 * the Parquet files, so deduplicating a million posts holds only a few narrow columns in memory.
 */
export function columnsNamedBy(kind: Kind, sqlTexts: readonly string[]): string[] {
  const text = sqlTexts.join('\n');
  return TABLE_COLUMNS[kind]
    .map((c) => c.name)
    .filter((name) => name === 'ind' || new RegExp(`\\b${name}\\b`, 'i').test(text));
}

/**
 * The `CREATE TEMP TABLE <kind>` statement: one row per distinct post (`ind`), the first ingested
 * (smallest `ingested_at`, then smallest `source` in binary order), with the given columns (`ind`
 * first). Built once per run, so the query files read already-distinct tables under the plain names
 * `pin`, `geo`, `user`. `arg_min` over a (ingested_at, source) struct keeps the row in one hash
 * aggregation, three times faster than a `ROW_NUMBER()` window over a million rows.
 */
export function createDistinctTableSql(kind: Kind, columns: readonly string[]): string {
  const kept = columns.filter((c) => c !== 'ind');
  const rows = rowsViewName(kind);
  if (kept.length === 0) return `CREATE TEMP TABLE ${kind} AS SELECT DISTINCT ind FROM ${rows}`;
  return (
    `CREATE TEMP TABLE ${kind} AS SELECT ind, ${kept.map((c) => `first_row.${c} AS ${c}`).join(', ')} ` +
    `FROM (SELECT ind, arg_min(struct_pack(${kept.join(', ')}), struct_pack(ingested_at, source)) AS first_row ` +
    `FROM ${rows} GROUP BY ind) distinct_posts`
  );
}
