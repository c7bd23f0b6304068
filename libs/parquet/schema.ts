/**
 * Delta column types ↔ the Parquet schema the lake's files carry (the Delta protocol's "Schema Serialization Format" section):
 * long → INT64, integer → INT32, string → BYTE_ARRAY STRING, timestamp → INT64
 * TIMESTAMP(isAdjustedToUTC=true, MICROS), array<T> → the standard 3-level LIST.
 */
import type { SchemaElement } from 'hyparquet';
import { ParquetSchemaError } from './errors';

/** The primitive Delta types the Parquet module reads and writes. */
export type PrimitiveType =
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'double'
  | 'float'
  | 'boolean'
  | 'string'
  | 'timestamp'
  | 'date';

/** A Delta column type the Parquet module can write: a primitive or an array of one. */
export type TableColumnType = PrimitiveType | `array<${PrimitiveType}>`;

/**
 * One column of a table to write. The clean tables' `Column` (libs/records/tables.ts) is one; a
 * column rebuilt from any Delta schema with these types is another.
 */
export interface TableColumn {
  readonly name: string;
  readonly type: TableColumnType;
  readonly nullable: boolean;
}

/** Every primitive type the encoder writes (arrays of them too). */
export const PRIMITIVE_TYPES: readonly PrimitiveType[] = [
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'boolean',
  'string',
  'timestamp',
  'date',
];

/**
 * The element type of an `array<…>` column, or `undefined` for a primitive column.
 * Throws {@link ParquetSchemaError} for a type this module cannot write.
 */
export function elementTypeOf(column: TableColumn): PrimitiveType | undefined {
  const type: string = column.type;
  const inner = type.startsWith('array<') && type.endsWith('>') ? type.slice(6, -1) : undefined;
  const primitive = inner ?? type;
  if (!(PRIMITIVE_TYPES as readonly string[]).includes(primitive)) {
    throw new ParquetSchemaError(`column ${column.name}: unsupported type ${type}`);
  }
  return inner as PrimitiveType | undefined;
}

function primitiveElement(name: string, type: PrimitiveType, repetition: 'REQUIRED' | 'OPTIONAL') {
  const base = { name, repetition_type: repetition } as const;
  switch (type) {
    case 'long':
      return { ...base, type: 'INT64' } satisfies SchemaElement;
    case 'integer':
      return { ...base, type: 'INT32' } satisfies SchemaElement;
    case 'short':
      return {
        ...base,
        type: 'INT32',
        converted_type: 'INT_16',
        logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true },
      } satisfies SchemaElement;
    case 'byte':
      return {
        ...base,
        type: 'INT32',
        converted_type: 'INT_8',
        logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true },
      } satisfies SchemaElement;
    case 'double':
      return { ...base, type: 'DOUBLE' } satisfies SchemaElement;
    case 'float':
      return { ...base, type: 'FLOAT' } satisfies SchemaElement;
    case 'boolean':
      return { ...base, type: 'BOOLEAN' } satisfies SchemaElement;
    case 'string':
      return {
        ...base,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      } satisfies SchemaElement;
    case 'timestamp':
      // The legacy converted type is written too: older readers only know TIMESTAMP_MICROS, which
      // by definition means UTC-adjusted microseconds.
      return {
        ...base,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      } satisfies SchemaElement;
    case 'date':
      return {
        ...base,
        type: 'INT32',
        converted_type: 'DATE',
        logical_type: { type: 'DATE' },
      } satisfies SchemaElement;
  }
}

/**
 * The explicit Parquet schema (flattened, root first) for the columns, in order. Non-nullable
 * columns are REQUIRED; arrays are `optional group (LIST) { repeated group list { optional T element } }`.
 */
export function parquetSchemaOf(columns: readonly TableColumn[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  for (const column of columns) {
    const repetition = column.nullable ? 'OPTIONAL' : 'REQUIRED';
    const element = elementTypeOf(column);
    if (element === undefined) {
      schema.push(primitiveElement(column.name, column.type as PrimitiveType, repetition));
      continue;
    }
    schema.push(
      {
        name: column.name,
        repetition_type: repetition,
        num_children: 1,
        converted_type: 'LIST',
        logical_type: { type: 'LIST' },
      },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      primitiveElement('element', element, 'OPTIONAL'),
    );
  }
  return schema;
}
