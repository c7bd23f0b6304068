/**
 * The Delta (Spark SQL) schema: the `schemaString` of `metaData`, parsed into types, and built from the
 * clean tables' `Column[]`. Pure.
 */
import { PRIMITIVE_TYPES, type TableColumn, type TableColumnType } from '../parquet/schema';
import { DeltaLogError } from './errors';

/** A primitive type name: `string`, `long`, `integer`, `timestamp`, `decimal(10,2)`, … */
type PrimitiveType = string;

/** An `array<elementType>`. */
interface ArrayType {
  type: 'array';
  elementType: DataType;
  containsNull: boolean;
}

/** A `map<keyType, valueType>`. */
interface MapType {
  type: 'map';
  keyType: DataType;
  valueType: DataType;
  valueContainsNull: boolean;
}

/** A `struct` of named fields (the table schema itself is one). */
export interface StructType {
  type: 'struct';
  fields: StructField[];
}

/** One field of a struct. */
interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

/** Any Delta data type. */
export type DataType = PrimitiveType | ArrayType | MapType | StructType;

const PRIMITIVES = new Set([
  'string',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'double',
  'boolean',
  'binary',
  'date',
  'timestamp',
  'timestamp_ntz',
]);
const DECIMAL_RE = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/**
 * Parses a `schemaString` (Spark JSON schema, including nested structs, arrays, maps and decimals).
 * Throws a `DeltaLogError` on anything that is not a valid schema.
 */
export function parseSchemaString(schemaString: string): StructType {
  let json: unknown;
  try {
    json = JSON.parse(schemaString);
  } catch (error) {
    throw new DeltaLogError('metaData.schemaString is not JSON', { cause: error });
  }
  const type = parseType(json, 'schema');
  if (typeof type === 'string' || type.type !== 'struct')
    throw new DeltaLogError('the table schema is not a struct');
  return type;
}

function parseType(json: unknown, where: string): DataType {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json) || DECIMAL_RE.test(json)) return json;
    throw new DeltaLogError(`unknown type "${json}" at ${where}`);
  }
  if (typeof json !== 'object' || json === null) throw new DeltaLogError(`invalid type at ${where}`);
  const t = json as Record<string, unknown>;
  switch (t.type) {
    case 'array':
      return {
        type: 'array',
        elementType: parseType(t.elementType, `${where}[]`),
        containsNull: t.containsNull !== false,
      };
    case 'map':
      return {
        type: 'map',
        keyType: parseType(t.keyType, `${where}.key`),
        valueType: parseType(t.valueType, `${where}.value`),
        valueContainsNull: t.valueContainsNull !== false,
      };
    case 'struct': {
      if (!Array.isArray(t.fields)) throw new DeltaLogError(`struct without fields at ${where}`);
      return {
        type: 'struct',
        fields: t.fields.map((f: Record<string, unknown>) => {
          if (typeof f?.name !== 'string') throw new DeltaLogError(`field without a name at ${where}`);
          return {
            name: f.name,
            type: parseType(f.type, `${where}.${f.name}`),
            nullable: f.nullable !== false,
            metadata: (f.metadata as Record<string, unknown>) ?? {},
          };
        }),
      };
    }
    default:
      throw new DeltaLogError(`invalid type at ${where}`);
  }
}

/** The Delta type of a column type (`array<double>` becomes an array of nullable doubles). */
function columnDataType(type: TableColumnType): DataType {
  const element = /^array<(.+)>$/.exec(type);
  return element ? { type: 'array', elementType: element[1]!, containsNull: true } : type;
}

/** Builds the table schema from columns (the clean tables' `Column[]` or any `TableColumn[]`), in order. */
export function schemaFromColumns(columns: readonly TableColumn[]): StructType {
  return {
    type: 'struct',
    fields: columns.map((c) => ({
      name: c.name,
      type: columnDataType(c.type),
      nullable: c.nullable,
      metadata: {},
    })),
  };
}

/** Serializes a schema as `metaData.schemaString` (the exact JSON form Spark writes). */
export function schemaToString(schema: StructType): string {
  return JSON.stringify(schema);
}

/** A type's name in Spark SQL's DDL form: `long`, `array<double>`, `map<string,long>`, `struct<a:long>`. */
export function typeName(type: DataType): string {
  if (typeof type === 'string') return type;
  if (type.type === 'array') return `array<${typeName(type.elementType)}>`;
  if (type.type === 'map') return `map<${typeName(type.keyType)},${typeName(type.valueType)}>`;
  return `struct<${type.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
}

/**
 * The writable columns of a schema (primitives and arrays of primitives, what libs/parquet encodes), or
 * throws a `DeltaLogError` naming the first field of another type.
 */
export function columnsFromSchema(schema: StructType): TableColumn[] {
  const allowed = new Set<string>([...PRIMITIVE_TYPES, ...PRIMITIVE_TYPES.map((t) => `array<${t}>`)]);
  return schema.fields.map((f) => {
    const name = typeName(f.type);
    if (!allowed.has(name))
      throw new DeltaLogError(`column ${f.name} has type ${name}, which pinlake cannot write`);
    return { name: f.name, type: name as TableColumnType, nullable: f.nullable };
  });
}
