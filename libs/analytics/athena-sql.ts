/**
 * The nine query files as Athena runs them: unchanged, after the three relations they read (`pin`,
 * `geo`, `user`: one row per post) are defined as common table expressions over the Glue tables of
 * the batch tables. The runner on DuckDB builds the same relations as temporary tables instead.
 */

import { cleanTableName } from '../lake/layout';
import { KINDS, type Kind } from '../records/tables';

/**
 * The `<kind> AS (…)` common table expression of one kind's distinct posts: per `ind`, the row first
 * ingested (smallest `ingested_at`, then smallest `source`; both engines compare strings by code
 * point), with the given columns (`ind` first). Portable SQL: a `ROW_NUMBER()` window, no `QUALIFY`.
 */
function distinctPostsCte(
  kind: Kind,
  columns: readonly string[],
  source = cleanTableName('batch', kind),
): string {
  const list = columns.join(', ');
  return (
    `${kind} AS (\n  SELECT ${list} FROM (\n` +
    `    SELECT ${list}, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS copy_number\n` +
    `    FROM ${source}\n  ) copies\n  WHERE copy_number = 1\n)`
  );
}

/** The comment lines and blank space a query file opens with, and the statement after them. */
function splitLeadingComments(sql: string): { comments: string; statement: string } {
  const match = /^(?:\s*--[^\n]*(?:\n|$))*\s*/.exec(sql);
  const length = match?.[0].length ?? 0;
  return { comments: sql.slice(0, length), statement: sql.slice(length) };
}

/**
 * The statement Athena is given for one query file: its own text, with the distinct-post relations
 * of the kinds in `columnsByKind` added in front of its own `WITH` list (or as a new `WITH` when it has
 * none). The file's text is not otherwise changed.
 */
export function withDistinctPosts(
  querySql: string,
  columnsByKind: Readonly<Partial<Record<Kind, readonly string[]>>>,
  sourceOf: (kind: Kind) => string = (kind) => cleanTableName('batch', kind),
): string {
  const ctes = KINDS.flatMap((kind) => {
    const columns = columnsByKind[kind];
    return columns && new RegExp(`\\b${kind}\\b`, 'i').test(querySql)
      ? [distinctPostsCte(kind, columns, sourceOf(kind))]
      : [];
  });
  const { comments, statement } = splitLeadingComments(querySql);
  if (ctes.length === 0) return querySql;
  const ownWith = /^WITH\s+/i.exec(statement);
  return ownWith
    ? `${comments}WITH ${ctes.join(',\n')},\n${statement.slice(ownWith[0].length)}`
    : `${comments}WITH ${ctes.join(',\n')}\n${statement}`;
}
