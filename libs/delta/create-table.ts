/** Creating a table: version 0 with protocol (1,2) and the metaData, idempotently. */
import { randomUUID } from 'node:crypto';
import type { TableColumn } from '../parquet/schema';
import type { ObjectStore } from '../storage/types';
import { DEFAULT_PROTOCOL, type Metadata, serializeActions } from './actions';
import { ENGINE_INFO } from './commit';
import { SchemaMismatchError, TableNotFoundError } from './errors';
import { commitFileName, tableKey } from './paths';
import type { Snapshot } from './replay';
import { parseSchemaString, schemaFromColumns, schemaToString } from './schema';
import { loadSnapshot } from './snapshot';

/** Options of {@link createTable}. */
export interface CreateTableOptions {
  partitionColumns?: readonly string[];
  /** Table properties, e.g. `{ 'delta.deletedFileRetentionDuration': 'interval 1 day' }`. */
  configuration?: Record<string, string>;
  name?: string;
  description?: string;
}

/**
 * Creates the table (version 0: protocol (1,2), metaData, commitInfo) unless it exists. Idempotent: an
 * existing table with the same columns and partitioning is returned as is; another schema throws a
 * `SchemaMismatchError` naming the table.
 */
export async function createTable(
  store: ObjectStore,
  tablePath: string,
  columns: readonly TableColumn[],
  options: CreateTableOptions = {},
): Promise<Snapshot> {
  const schemaString = schemaToString(schemaFromColumns(columns));
  const partitionColumns = [...(options.partitionColumns ?? [])];
  const existing = await loadSnapshot(store, tablePath).catch((error: unknown) => {
    if (error instanceof TableNotFoundError) return undefined;
    throw error;
  });
  if (!existing) {
    const metaData: Metadata = {
      id: randomUUID(),
      ...(options.name ? { name: options.name } : {}),
      ...(options.description ? { description: options.description } : {}),
      format: { provider: 'parquet', options: {} },
      schemaString,
      partitionColumns,
      configuration: options.configuration ?? {},
      createdTime: Date.now(),
    };
    const body = serializeActions([
      {
        commitInfo: {
          timestamp: Date.now(),
          operation: 'CREATE TABLE',
          operationParameters: { partitionBy: JSON.stringify(partitionColumns) },
          isBlindAppend: true,
          engineInfo: ENGINE_INFO,
        },
      },
      { protocol: DEFAULT_PROTOCOL },
      { metaData },
    ]);
    await store.putIfAbsent(tableKey(tablePath, commitFileName(0)), body);
  }
  const snapshot = existing ?? (await loadSnapshot(store, tablePath));
  const sameSchema =
    JSON.stringify(parseSchemaString(snapshot.metadata.schemaString)) ===
    JSON.stringify(parseSchemaString(schemaString));
  if (!sameSchema || JSON.stringify(snapshot.partitionColumns) !== JSON.stringify(partitionColumns)) {
    throw new SchemaMismatchError(
      `table ${tablePath || store.uri} already exists with another schema or partitioning than the one requested`,
    );
  }
  return snapshot;
}
