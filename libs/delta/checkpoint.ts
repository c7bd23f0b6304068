/**
 * Checkpoints: the table state at a version as one Parquet file in the protocol's checkpoint schema
 * (one row per action; columns txn, add, remove, metaData, protocol), written with hyparquet-writer
 * and read with hyparquet. Pure: bytes in, bytes out.
 */
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import type { Action, AddFile, Metadata, Protocol, RemoveFile, Txn } from './actions';
import { DeltaLogError } from './errors';

type Element = SchemaElement;
const str = (name: string, required = false): Element => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: required ? 'REQUIRED' : 'OPTIONAL',
});
const int64 = (name: string): Element => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' });
const int32 = (name: string): Element => ({ name, type: 'INT32', repetition_type: 'OPTIONAL' });
const bool = (name: string): Element => ({ name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' });
const struct = (name: string, children: Element[][]): Element[] => [
  { name, repetition_type: 'OPTIONAL', num_children: children.length },
  ...children.flat(),
];
const stringMap = (name: string): Element[] => [
  { name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'MAP' },
  { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
  str('key', true),
  str('value'),
];
const stringList = (name: string): Element[] => [
  { name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  str('element'),
];

const TOP_LEVEL = ['txn', 'add', 'remove', 'metaData', 'protocol'] as const;

/** The Parquet schema of the checkpoints this library writes (Spark's layout, without deletion vectors). */
const CHECKPOINT_SCHEMA: Element[] = [
  { name: 'spark_schema', num_children: TOP_LEVEL.length },
  ...struct('txn', [[str('appId')], [int64('version')], [int64('lastUpdated')]]),
  ...struct('add', [
    [str('path')],
    stringMap('partitionValues'),
    [int64('size')],
    [int64('modificationTime')],
    [bool('dataChange')],
    stringMap('tags'),
    [str('stats')],
  ]),
  ...struct('remove', [
    [str('path')],
    [int64('deletionTimestamp')],
    [bool('dataChange')],
    [bool('extendedFileMetadata')],
    stringMap('partitionValues'),
    [int64('size')],
  ]),
  ...struct('metaData', [
    [str('id')],
    [str('name')],
    [str('description')],
    struct('format', [[str('provider')], stringMap('options')]),
    [str('schemaString')],
    stringList('partitionColumns'),
    stringMap('configuration'),
    [int64('createdTime')],
  ]),
  ...struct('protocol', [
    [int32('minReaderVersion')],
    [int32('minWriterVersion')],
    stringList('readerFeatures'),
    stringList('writerFeatures'),
  ]),
];

const big = (n: number | undefined | null): bigint | null =>
  n === undefined || n === null ? null : BigInt(n);

function checkpointRow(action: Action): Record<(typeof TOP_LEVEL)[number], unknown> {
  const row: Record<(typeof TOP_LEVEL)[number], unknown> = {
    txn: null,
    add: null,
    remove: null,
    metaData: null,
    protocol: null,
  };
  if ('txn' in action) {
    const { appId, version, lastUpdated } = action.txn;
    row.txn = { appId, version: big(version), lastUpdated: big(lastUpdated) };
  } else if ('add' in action) {
    const a = action.add;
    row.add = {
      path: a.path,
      partitionValues: a.partitionValues,
      size: big(a.size),
      modificationTime: big(a.modificationTime),
      dataChange: a.dataChange,
      tags: a.tags ?? null,
      stats: a.stats ?? null,
    };
  } else if ('remove' in action) {
    const r = action.remove;
    row.remove = {
      path: r.path,
      deletionTimestamp: big(r.deletionTimestamp),
      dataChange: r.dataChange,
      extendedFileMetadata: r.extendedFileMetadata ?? null,
      partitionValues: r.partitionValues ?? null,
      size: big(r.size),
    };
  } else if ('metaData' in action) {
    const m = action.metaData;
    row.metaData = {
      id: m.id,
      name: m.name ?? null,
      description: m.description ?? null,
      format: m.format,
      schemaString: m.schemaString,
      partitionColumns: m.partitionColumns,
      configuration: m.configuration,
      createdTime: big(m.createdTime),
    };
  } else if ('protocol' in action) {
    const p = action.protocol;
    row.protocol = {
      minReaderVersion: p.minReaderVersion,
      minWriterVersion: p.minWriterVersion,
      readerFeatures: p.readerFeatures ?? null,
      writerFeatures: p.writerFeatures ?? null,
    };
  }
  return row;
}

/**
 * Encodes checkpoint actions (protocol, metaData, txn, add, remove; anything else is skipped) as a
 * snappy Parquet checkpoint file.
 */
export function encodeCheckpoint(actions: readonly Action[]): Uint8Array {
  const rows = actions
    .filter((a) => 'txn' in a || 'add' in a || 'remove' in a || 'metaData' in a || 'protocol' in a)
    .map(checkpointRow);
  const buffer = parquetWriteBuffer({
    columnData: TOP_LEVEL.map((name) => ({ name, data: rows.map((r) => r[name]) })),
    schema: CHECKPOINT_SCHEMA,
    statistics: false,
    createdBy: 'pinlake',
  });
  return new Uint8Array(buffer);
}

const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : typeof v === 'bigint' ? Number(v) : (v as number);

function stripNulls<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

/**
 * Decodes a checkpoint file (ours, or Spark's and delta-rs's, which carry extra columns) into actions.
 * Throws a `DeltaLogError` naming `source` when the bytes are not a readable checkpoint.
 */
export async function decodeCheckpoint(bytes: Uint8Array, source: string): Promise<Action[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file, utf8: false })) as Record<string, unknown>[];
  } catch (error) {
    throw new DeltaLogError(`cannot read checkpoint ${source}`, { cause: error });
  }
  const actions: Action[] = [];
  for (const row of rows) {
    const txn = row.txn as Record<string, unknown> | null | undefined;
    const add = row.add as Record<string, unknown> | null | undefined;
    const remove = row.remove as Record<string, unknown> | null | undefined;
    const metaData = row.metaData as Record<string, unknown> | null | undefined;
    const protocol = row.protocol as Record<string, unknown> | null | undefined;
    if (txn?.appId != null) {
      actions.push({
        txn: stripNulls({
          appId: txn.appId,
          version: num(txn.version),
          lastUpdated: num(txn.lastUpdated),
        }) as Txn,
      });
    } else if (add?.path != null) {
      actions.push({
        add: stripNulls({
          path: add.path,
          partitionValues: add.partitionValues ?? {},
          size: num(add.size),
          modificationTime: num(add.modificationTime),
          dataChange: add.dataChange ?? false,
          stats: add.stats,
          tags: add.tags,
        }) as AddFile,
      });
    } else if (remove?.path != null) {
      actions.push({
        remove: stripNulls({
          path: remove.path,
          deletionTimestamp: num(remove.deletionTimestamp),
          dataChange: remove.dataChange ?? false,
          extendedFileMetadata: remove.extendedFileMetadata,
          partitionValues: remove.partitionValues,
          size: num(remove.size),
        }) as RemoveFile,
      });
    } else if (metaData?.id != null) {
      const format = (metaData.format as Metadata['format'] | null) ?? { provider: 'parquet', options: {} };
      actions.push({
        metaData: stripNulls({
          id: metaData.id,
          name: metaData.name,
          description: metaData.description,
          format: { provider: format.provider, options: format.options ?? {} },
          schemaString: metaData.schemaString,
          partitionColumns: metaData.partitionColumns ?? [],
          configuration: metaData.configuration ?? {},
          createdTime: num(metaData.createdTime),
        }) as Metadata,
      });
    } else if (protocol?.minReaderVersion != null) {
      actions.push({
        protocol: stripNulls({
          minReaderVersion: num(protocol.minReaderVersion),
          minWriterVersion: num(protocol.minWriterVersion),
          readerFeatures: protocol.readerFeatures,
          writerFeatures: protocol.writerFeatures,
        }) as Protocol,
      });
    }
  }
  return actions;
}
