/** A table's summary, as `pinlake table info` prints it. */
import { parquetMetadata } from 'hyparquet';
import type { ObjectStore } from '../storage/types';
import { tableKey } from './paths';
import { typeName } from './schema';
import { loadSnapshot } from './snapshot';

/** The summary of a table at its latest version. */
export interface TableInfo {
  version: number;
  numFiles: number;
  numRecords: number;
  partitionColumns: string[];
  schema: { name: string; type: string; nullable: boolean }[];
}

/**
 * Summarises the latest version: files, records (from the add stats; a file without stats has its
 * Parquet footer read), partition columns, and the schema as name/type/nullable.
 */
export async function tableInfo(store: ObjectStore, tablePath: string): Promise<TableInfo> {
  const snapshot = await loadSnapshot(store, tablePath);
  let numRecords = 0;
  for (const file of snapshot.files) {
    if (file.stats && typeof file.stats.numRecords === 'number') {
      numRecords += file.stats.numRecords;
      continue;
    }
    const bytes = await store.get(tableKey(tablePath, file.path));
    if (bytes) {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      numRecords += Number(parquetMetadata(buffer).num_rows);
    }
  }
  return {
    version: snapshot.version,
    numFiles: snapshot.files.length,
    numRecords,
    partitionColumns: [...snapshot.partitionColumns],
    schema: snapshot.schema.fields.map((f) => ({
      name: f.name,
      type: typeName(f.type),
      nullable: f.nullable,
    })),
  };
}
