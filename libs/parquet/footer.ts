/**
 * The Parquet footer: FileMetaData in the Thrift compact protocol (schema, row groups with their
 * column chunks and statistics, key-value metadata, created_by, column orders).
 */
import type { SchemaElement } from 'hyparquet';
import type { ByteSink } from './byte-sink';
import type { ChunkWriter } from './page-writer';
import { ThriftType, ThriftWriter } from './thrift';

/** Min, max (PLAIN bytes, omitted when not exact) and null count of a column chunk. */
interface ChunkStatistics {
  readonly nullCount: number;
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}

/** A column chunk as the footer describes it. */
export interface FooterChunk {
  readonly path: readonly string[];
  readonly type: number;
  readonly writer: ChunkWriter;
  readonly statistics: ChunkStatistics | undefined;
}

/** A row group as the footer describes it. */
export interface FooterRowGroup {
  readonly numRows: number;
  readonly chunks: readonly FooterChunk[];
}

const PHYSICAL: Record<string, number> = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
};
const REPETITION: Record<string, number> = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 };
const CONVERTED: Record<string, number> = {
  UTF8: 0,
  LIST: 3,
  DATE: 6,
  TIMESTAMP_MILLIS: 9,
  TIMESTAMP_MICROS: 10,
  INT_8: 15,
  INT_16: 16,
};
const TIME_UNIT: Record<string, number> = { MILLIS: 1, MICROS: 2, NANOS: 3 };

function writeLogicalType(thrift: ThriftWriter, logical: NonNullable<SchemaElement['logical_type']>): void {
  thrift.struct(10);
  switch (logical.type) {
    case 'STRING':
      thrift.emptyStruct(1);
      break;
    case 'LIST':
      thrift.emptyStruct(3);
      break;
    case 'DATE':
      thrift.emptyStruct(6);
      break;
    case 'TIMESTAMP':
      thrift.struct(8);
      thrift.bool(1, logical.isAdjustedToUTC);
      thrift.struct(2);
      thrift.emptyStruct(TIME_UNIT[logical.unit]!);
      thrift.end();
      thrift.end();
      break;
    case 'INTEGER':
      thrift.struct(10);
      thrift.byte(1, logical.bitWidth);
      thrift.bool(2, logical.isSigned);
      thrift.end();
      break;
    default:
      throw new Error(`the Parquet writer has no logical type ${logical.type}`);
  }
  thrift.end();
}

function writeSchemaElement(thrift: ThriftWriter, element: SchemaElement): void {
  thrift.element();
  if (element.type !== undefined) thrift.i32(1, PHYSICAL[element.type]!);
  if (element.repetition_type !== undefined) thrift.i32(3, REPETITION[element.repetition_type]!);
  thrift.string(4, element.name);
  if (element.num_children !== undefined) thrift.i32(5, element.num_children);
  if (element.converted_type !== undefined) thrift.i32(6, CONVERTED[element.converted_type]!);
  if (element.logical_type !== undefined) writeLogicalType(thrift, element.logical_type);
  thrift.end();
}

function writeChunk(thrift: ThriftWriter, chunk: FooterChunk): void {
  const { writer, statistics } = chunk;
  thrift.element();
  thrift.i64(2, writer.start);
  thrift.struct(3);
  thrift.i32(1, chunk.type);
  thrift.list(2, ThriftType.I32, writer.encodings.size);
  for (const encoding of [...writer.encodings].sort((a, b) => a - b)) thrift.i32Element(encoding);
  thrift.list(3, ThriftType.Binary, chunk.path.length);
  for (const part of chunk.path) thrift.stringElement(part);
  thrift.i32(4, writer.codec);
  thrift.i64(5, writer.numValues);
  thrift.i64(6, writer.uncompressedSize);
  thrift.i64(7, writer.compressedSize);
  thrift.i64(9, writer.dataPageOffset);
  if (writer.dictionaryPageOffset !== undefined) thrift.i64(11, writer.dictionaryPageOffset);
  if (statistics) {
    thrift.struct(12);
    thrift.i64(3, statistics.nullCount);
    if (statistics.max && statistics.min) {
      thrift.binary(5, statistics.max);
      thrift.binary(6, statistics.min);
    }
    thrift.end();
  }
  thrift.end();
  thrift.end();
}

/** Writes FileMetaData (version 1: V1 data pages) for the schema and row groups. */
export function writeFooter(
  out: ByteSink,
  schema: readonly SchemaElement[],
  rowGroups: readonly FooterRowGroup[],
  metadata: Readonly<Record<string, string>> | undefined,
  createdBy: string,
): void {
  const thrift = new ThriftWriter(out);
  thrift.i32(1, 1);
  thrift.list(2, ThriftType.Struct, schema.length);
  for (const element of schema) writeSchemaElement(thrift, element);
  thrift.i64(
    3,
    rowGroups.reduce((sum, group) => sum + group.numRows, 0),
  );
  thrift.list(4, ThriftType.Struct, rowGroups.length);
  rowGroups.forEach((group, ordinal) => {
    thrift.element();
    thrift.list(1, ThriftType.Struct, group.chunks.length);
    for (const chunk of group.chunks) writeChunk(thrift, chunk);
    const first = group.chunks[0]?.writer;
    thrift.i64(
      2,
      sumOf(group.chunks, (c) => c.writer.uncompressedSize),
    );
    thrift.i64(3, group.numRows);
    if (first) thrift.i64(5, first.start);
    thrift.i64(
      6,
      sumOf(group.chunks, (c) => c.writer.compressedSize),
    );
    thrift.i16(7, ordinal);
    thrift.end();
  });
  const entries = Object.entries(metadata ?? {});
  if (entries.length > 0) {
    thrift.list(5, ThriftType.Struct, entries.length);
    for (const [key, value] of entries) {
      thrift.element();
      thrift.string(1, key);
      thrift.string(2, value);
      thrift.end();
    }
  }
  thrift.string(6, createdBy);
  const leaves = rowGroups[0]?.chunks.length ?? schema.filter((element) => element.type !== undefined).length;
  thrift.list(7, ThriftType.Struct, leaves);
  for (let i = 0; i < leaves; i++) {
    thrift.element();
    thrift.emptyStruct(1);
    thrift.end();
  }
  thrift.end();
}

function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  let sum = 0;
  for (const item of items) sum += value(item);
  return sum;
}
