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

/**
 * The `CREATE VIEW` statement that exposes one clean table to the queries under its kind's name.
 *
 * Every column is cast to its contract type (timestamps become UTC `TIMESTAMP`s), so files written
 * with or without UTC-adjusted timestamps, with narrower integers or missing columns
 * (`union_by_name` fills them with nulls) all read alike. With no files
 * the view is empty but still typed, so every query runs and returns no rows.
 */
export function createViewSql(kind: Kind, files: readonly string[]): string {
  const columns = TABLE_COLUMNS[kind];
  const typedNulls = columns.map((c) => `CAST(NULL AS ${SQL_TYPES[c.type]}) AS ${c.name}`).join(', ');
  if (files.length === 0) return `CREATE VIEW ${kind} AS SELECT ${typedNulls} WHERE 1 = 0`;
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
    `CREATE VIEW ${kind} AS SELECT ${casts.join(', ')} FROM (SELECT ${typedNulls} WHERE 1 = 0 ` +
    `UNION ALL BY NAME SELECT * FROM read_parquet([${list}], union_by_name = true)) files`
  );
}
