import { parquetMetadata } from 'hyparquet';
import { decodeTable, encodeTable, type TableColumn } from '../../../libs/parquet';

const COLUMNS: TableColumn[] = [
  { name: 'id', type: 'long', nullable: false },
  { name: 'text', type: 'string', nullable: true },
];

/**
 * Distinct strings of one length that differ only at character 3, which the dictionary's sampled hash
 * does not read: every one of them hashes alike, so only the full comparison tells them apart.
 */
const lookalike = (n: number) => `aaa${String.fromCharCode(0x4e00 + n)}${'b'.repeat(96)}`;

const rowsOf = (distinct: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: i, text: i % 9 === 0 ? null : lookalike(i % distinct) }));

const usesDictionary = (bytes: Uint8Array) =>
  parquetMetadata(bytes.buffer as ArrayBuffer).row_groups[0]!.columns[1]!.meta_data!.encodings.includes(
    'RLE_DICTIONARY',
  );

describe('the dictionary of a string column, given values whose sampled hashes collide', () => {
  it('keeps every colliding value its own entry', async () => {
    // Prepare
    const rows = rowsOf(40, 5_000);

    // Act
    const { bytes } = encodeTable(COLUMNS, rows);

    // Assess
    expect(usesDictionary(bytes)).toBe(true);
    expect(await decodeTable(bytes)).toStrictEqual(rows);
  });

  it('gives the dictionary up for PLAIN when collisions would make lookups slow, losing nothing', async () => {
    // Prepare: 300 values that all probe the same run of slots
    const rows = rowsOf(300, 5_000);

    // Act
    const { bytes } = encodeTable(COLUMNS, rows);

    // Assess
    expect(usesDictionary(bytes)).toBe(false);
    expect(await decodeTable(bytes)).toStrictEqual(rows);
  });
});
