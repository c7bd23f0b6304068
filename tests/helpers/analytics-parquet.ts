// Writes clean rows as Parquet files exactly as the lake's writers do (libs/parquet), for the
// analytics tests.
import { writeFile } from 'node:fs/promises';
import { encodeTable } from '../../libs/parquet';
import { type Kind, type RowOf, TABLE_COLUMNS } from '../../libs/records/tables';

/** Writes each `{ path, kind, rows }` as one Parquet file with the clean table's columns and types. */
export async function writeCleanParquet<K extends Kind>(
  files: readonly { path: string; kind: K; rows: readonly RowOf[K][] }[],
): Promise<void> {
  for (const { path, kind, rows } of files) {
    await writeFile(path, encodeTable(TABLE_COLUMNS[kind], rows, { file: path }).bytes);
  }
}
