/**
 * Rows → Parquet column arrays, validating each value and gathering Delta stats in the same pass.
 * Values arrive in their JavaScript form (number or bigint, string, Date, array, null) and leave in
 * the physical form hyparquet-writer writes without further conversion (bigint for INT64).
 */
import { elementTypeOf, type PrimitiveType, type TableColumn } from './schema';
import { StringBounds, statValueOf } from './stats';

/** Raised when a row does not fit the table; the message names the column and the row. */
export class ParquetEncodeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ParquetEncodeError';
  }
}

/** One column ready for hyparquet-writer, with its stats. */
export interface BuiltColumn {
  readonly data: unknown[];
  readonly nullCount: number;
  readonly min: unknown;
  readonly max: unknown;
  /** True when a NaN was seen: Spark orders NaN above every number, so no bound is exact. */
  readonly hasNaN: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT_RANGES: Record<'integer' | 'short' | 'byte', readonly [number, number]> = {
  integer: [-2_147_483_648, 2_147_483_647],
  short: [-32_768, 32_767],
  byte: [-128, 127],
};
const DAY_MS = 86_400_000;

/** Marks a value the type cannot take; the caller adds the column and row to the message. */
class BadValue {
  constructor(readonly expected: string) {}
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'bigint') return `${value}n`;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** Converts one non-null value to its physical Parquet form, or returns a {@link BadValue}. */
function physicalOf(type: PrimitiveType, value: unknown): unknown {
  switch (type) {
    case 'long':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value;
      return new BadValue('a long (a safe integer or an int64 bigint)');
    case 'integer':
    case 'short':
    case 'byte': {
      const n = typeof value === 'bigint' ? Number(value) : value;
      const [low, high] = INT_RANGES[type];
      if (typeof n === 'number' && Number.isInteger(n) && n >= low && n <= high) return n;
      return new BadValue(`an ${type} in [${low}, ${high}]`);
    }
    case 'double':
      return typeof value === 'number' ? value : new BadValue('a number');
    case 'float':
      return typeof value === 'number' ? Math.fround(value) : new BadValue('a number');
    case 'boolean':
      return typeof value === 'boolean' ? value : new BadValue('a boolean');
    case 'string':
      return typeof value === 'string' ? value : new BadValue('a string');
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : Number.NaN;
      return Number.isNaN(ms) ? new BadValue('a valid Date') : BigInt(ms) * 1000n;
    }
    case 'date': {
      const ms = value instanceof Date ? value.getTime() : Number.NaN;
      return Number.isNaN(ms) ? new BadValue('a valid Date') : Math.floor(ms / DAY_MS);
    }
  }
}

/** Where the rows are going, for error messages: `` or ` for <file>`. */
type Where = string;

function fail(column: TableColumn, row: number, message: string, where: Where): never {
  throw new ParquetEncodeError(`column ${column.name}, row ${row}: ${message}${where}`);
}

function buildPrimitive(
  column: TableColumn,
  type: PrimitiveType,
  rows: readonly object[],
  where: Where,
): BuiltColumn {
  const { name, nullable } = column;
  const data = new Array<unknown>(rows.length);
  const strings = type === 'string' ? new StringBounds() : undefined;
  let nullCount = 0;
  let min: unknown;
  let max: unknown;
  let hasNaN = false;
  for (let i = 0; i < rows.length; i++) {
    const value = (rows[i] as Record<string, unknown>)[name];
    if (value === null || value === undefined) {
      if (!nullable) fail(column, i, 'null in a non-nullable column', where);
      data[i] = null;
      nullCount++;
      continue;
    }
    const physical = physicalOf(type, value);
    if (physical instanceof BadValue)
      fail(column, i, `expected ${physical.expected}, got ${describe(value)}`, where);
    data[i] = physical;
    if (strings) strings.add(physical as string);
    else if (typeof physical === 'number' && Number.isNaN(physical)) hasNaN = true;
    else if (min === undefined) {
      min = physical;
      max = physical;
    } else if ((physical as number) < (min as number)) min = physical;
    else if ((physical as number) > (max as number)) max = physical;
  }
  if (strings) return { data, nullCount, min: strings.min, max: strings.max, hasNaN };
  return { data, nullCount, min, max, hasNaN };
}

function buildArray(
  column: TableColumn,
  element: PrimitiveType,
  rows: readonly object[],
  where: Where,
): BuiltColumn {
  const { name, nullable } = column;
  const data = new Array<unknown>(rows.length);
  let nullCount = 0;
  for (let i = 0; i < rows.length; i++) {
    const value = (rows[i] as Record<string, unknown>)[name];
    if (value === null || value === undefined) {
      if (!nullable) fail(column, i, 'null in a non-nullable column', where);
      data[i] = null;
      nullCount++;
      continue;
    }
    if (!Array.isArray(value)) fail(column, i, `expected an array or null, got ${describe(value)}`, where);
    const out = new Array<unknown>(value.length);
    for (let j = 0; j < value.length; j++) {
      const item: unknown = value[j];
      if (item === null || item === undefined) {
        out[j] = null;
        continue;
      }
      const physical = physicalOf(element, item);
      if (physical instanceof BadValue) {
        fail(column, i, `element ${j}: expected ${physical.expected}, got ${describe(item)}`, where);
      }
      out[j] = physical;
    }
    data[i] = out;
  }
  return { data, nullCount, min: undefined, max: undefined, hasNaN: false };
}

/**
 * Builds one column from the rows: physical values for hyparquet-writer, null count and the
 * physical min/max (primitives only). Throws {@link ParquetEncodeError} naming the column and row.
 */
export function buildColumn(column: TableColumn, rows: readonly object[], file?: string): BuiltColumn {
  const element = elementTypeOf(column);
  const where = file ? ` for ${file}` : '';
  return element === undefined
    ? buildPrimitive(column, column.type as PrimitiveType, rows, where)
    : buildArray(column, element, rows, where);
}

/** The Delta stats bounds of a built primitive column, each left out when it cannot be exact. */
export function boundsOf(
  column: TableColumn,
  built: BuiltColumn,
): { min: ReturnType<typeof statValueOf>; max: ReturnType<typeof statValueOf> } {
  const element = elementTypeOf(column);
  if (element !== undefined || built.min === undefined || built.hasNaN)
    return { min: undefined, max: undefined };
  const type = column.type as PrimitiveType;
  return { min: statValueOf(type, built.min, 'min'), max: statValueOf(type, built.max, 'max') };
}
