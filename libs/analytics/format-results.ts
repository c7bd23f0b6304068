/**
 * Query results as text for a terminal or another program: aligned tables, JSON and CSV
 * (`pinlake query`).
 */
import type { QueryResult, ResultValue } from './run-queries';

/** The output formats of {@link formatResults}. */
export const RESULT_FORMATS = ['table', 'json', 'csv'] as const;

/** One output format. */
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** Whether a string names one of the {@link RESULT_FORMATS}. */
export function isResultFormat(value: string): value is ResultFormat {
  return (RESULT_FORMATS as readonly string[]).includes(value);
}

const isNumeric = (value: ResultValue): value is number | bigint =>
  typeof value === 'number' || typeof value === 'bigint';

/** A number with `,` between thousands and its fraction kept as is: `1234567.5` → `1,234,567.5`. */
export function groupThousands(value: number | bigint): string {
  const [whole = '', fraction] = String(value).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/**
 * One result as an aligned table: a header, a rule, one line per row; numbers right-aligned with
 * thousands separators, text left-aligned (tabs and line breaks shown as spaces), null as an empty
 * cell, `(no rows)` under the rule when empty.
 */
function formatTable(result: QueryResult): string {
  const cells = result.rows.map((row) =>
    result.columns.map((column) => {
      const value = row[column] ?? null;
      // Line breaks and tabs would break the alignment; the other formats keep them.
      return value === null ? '' : isNumeric(value) ? groupThousands(value) : value.replace(/[\t\n\r]/g, ' ');
    }),
  );
  const numeric = result.columns.map((column) => result.rows.some((row) => isNumeric(row[column] ?? null)));
  const widths = result.columns.map((column, i) =>
    Math.max(column.length, ...cells.map((line) => [...(line[i] ?? '')].length)),
  );
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(widths[i]! - [...text].length);
    return numeric[i] ? `${fill}${text}` : `${text}${fill}`;
  };
  const line = (texts: readonly string[]) => texts.map(pad).join('  ').replace(/\s+$/, '');
  const lines = [line(result.columns), widths.map((w) => '-'.repeat(w)).join('  ')];
  if (cells.length === 0) lines.push('(no rows)');
  for (const texts of cells) lines.push(line(texts));
  return `${lines.join('\n')}\n`;
}

/** A CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break. */
function csvField(value: ResultValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One result as CSV: a header line, then one line per row; null is an empty field. */
function formatCsv(result: QueryResult): string {
  const lines = [result.columns.map(csvField).join(',')];
  for (const row of result.rows) lines.push(result.columns.map((c) => csvField(row[c] ?? null)).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Results in a format. JSON is one object keyed by query id, each with its rows (longs beyond 2^53
 * as strings). Table and CSV print one result as is, and several each under a `# <id>` line,
 * separated by a blank line.
 */
export function formatResults(results: readonly QueryResult[], format: ResultFormat): string {
  if (format === 'json') {
    const byId = Object.fromEntries(results.map((r) => [r.id, r.rows]));
    return `${JSON.stringify(byId, (_, value) => (typeof value === 'bigint' ? String(value) : value), 2)}\n`;
  }
  const one = format === 'csv' ? formatCsv : formatTable;
  if (results.length === 1) return one(results[0]!);
  return results.map((r) => `# ${r.id}\n${one(r)}`).join('\n');
}
