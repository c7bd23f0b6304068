import { ParquetEncodeError } from './errors';

/**
 * The encoder's errors: a value that does not fit its column is reported with the column, the row
 * and, when given, the file.
 */

/** What a column needs to name itself in an error. */
interface Named {
  readonly name: string;
}

/** A short description of a value that did not fit, e.g. `string "7"` or `an invalid Date`. */
export function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'bigint') return `${value}n`;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** Throws the {@link ParquetEncodeError} for a row; `where` is `` or ` for <file>`. */
export function fail(column: Named, row: number, message: string, where: string): never {
  throw new ParquetEncodeError(`column ${column.name}, row ${row}: ${message}${where}`);
}

/** Throws for a value that does not fit; `element` names the array element when there is one. */
export function failValue(
  column: Named,
  row: number,
  expected: string,
  value: unknown,
  where: string,
  element?: number,
): never {
  const at = element === undefined ? '' : `element ${element}: `;
  return fail(column, row, `${at}expected ${expected}, got ${describe(value)}`, where);
}
