import { parquetReadObjects } from 'hyparquet';
import { decodeTable, encodeTable } from '../../../libs/parquet';
import { ByteSink } from '../../../libs/parquet/byte-sink';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { PIN_ROWS } from './clean-rows';

// Enough rows that every text column outgrows 64 KiB, so its sinks come from and go back to the pool.
const manyPins = (count: number, salt: string) =>
  Array.from({ length: count }, (_, i) => {
    const row = PIN_ROWS[i % PIN_ROWS.length]!;
    return { ...row, ind: i, unique_id: `${salt}-${i}`, source: `kafka:pinlake.pin:0:${salt}${i}` };
  });

describe('Parquet writer buffers reused from file to file', () => {
  it('leaves a finished file untouched while later files are written into the buffers it gave back', async () => {
    // Prepare
    const firstRows = manyPins(4000, 'first');
    const first = encodeTable(TABLE_COLUMNS.pin, firstRows).bytes;
    const snapshot = Buffer.from(first);

    // Act
    const secondRows = manyPins(6000, 'second');
    const second = encodeTable(TABLE_COLUMNS.pin, secondRows).bytes;

    // Assess
    // Compared with equals(): a deep equality over every byte of a large file is slow.
    expect(Buffer.from(first).equals(snapshot)).toBe(true);
    expect(await decodeTable(first)).toStrictEqual(firstRows);
    expect(await decodeTable(second)).toStrictEqual(secondRows);
  });

  it('writes the same bytes for the same rows whatever the reused buffers held before', async () => {
    // Prepare
    const rows = manyPins(3000, 'same');
    const before = Buffer.from(encodeTable(TABLE_COLUMNS.pin, rows).bytes);
    encodeTable(TABLE_COLUMNS.pin, manyPins(5000, 'garbage-that-fills-the-pool'));

    // Act
    const after = Buffer.from(encodeTable(TABLE_COLUMNS.pin, rows).bytes);

    // Assess
    expect(after.equals(before)).toBe(true);
    const read = await parquetReadObjects({
      file: after.buffer.slice(after.byteOffset, after.byteOffset + after.byteLength),
    });
    expect(read).toHaveLength(rows.length);
  });

  it('empties a released sink and lets the next sink of that size write over the storage from the start', () => {
    // Prepare
    const a = new ByteSink(1 << 16);
    a.utf8('a'.repeat(70_000));
    a.release();

    // Act
    const b = new ByteSink(1 << 17);
    b.utf8('hello');

    // Assess
    expect([a.length, a.bytes.length]).toStrictEqual([0, 0]);
    expect(Buffer.from(b.view()).toString()).toBe('hello');
  });
});
