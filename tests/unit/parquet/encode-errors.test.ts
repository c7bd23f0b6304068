import {
  encodeTable,
  ParquetEncodeError,
  ParquetSchemaError,
  type TableColumn,
  TableWriter,
} from '../../../libs/parquet';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { USER_ROWS } from './clean-rows';

describe('encodeTable refusing rows that do not fit', () => {
  it.each([
    ['a null in a non-nullable column', { ind: null }, 'column ind, row 1: null in a non-nullable column'],
    [
      'a fractional long',
      { ind: 1.5 },
      'column ind, row 1: expected a long (a safe integer or an int64 bigint), got number 1.5',
    ],
    [
      'a string where a long belongs',
      { ind: '7' },
      'column ind, row 1: expected a long (a safe integer or an int64 bigint), got string "7"',
    ],
    [
      'an integer beyond int32',
      { age: 2 ** 31 },
      'column age, row 1: expected an integer in [-2147483648, 2147483647], got number 2147483648',
    ],
    [
      'an invalid Date',
      { date_joined: new Date('nope') },
      'column date_joined, row 1: expected a valid Date, got an invalid Date',
    ],
    [
      'a timestamp given as text',
      { ingested_at: '2024-01-01' },
      'column ingested_at, row 1: expected a valid Date, got string "2024-01-01"',
    ],
  ])('names the column and row for %s', (_, change, message) => {
    // Prepare
    const rows = [USER_ROWS[0]!, { ...USER_ROWS[0]!, ...change }];

    // Act
    const attempt = () =>
      encodeTable(TABLE_COLUMNS.user, rows, { file: 'tables/stream/user/part-1.parquet' });

    // Assess
    expect(attempt).toThrow(new ParquetEncodeError(`${message} for tables/stream/user/part-1.parquet`));
  });

  it('names the element of an array that is not a number', () => {
    // Prepare
    const rows = [{ ind: 1, coordinates: [1, 'north'], source: 's', ingested_at: new Date(0) }];

    // Act
    const attempt = () => encodeTable(TABLE_COLUMNS.geo, rows);

    // Assess
    expect(attempt).toThrow(
      new ParquetEncodeError('column coordinates, row 0: element 1: expected a number, got string "north"'),
    );
  });

  it('refuses rows and a second finish once the file is finished, naming the file', () => {
    // Prepare
    const writer = new TableWriter(TABLE_COLUMNS.user, { file: 'tables/stream/user/part-2.parquet' });
    writer.append(USER_ROWS[0]!);
    writer.finish();

    // Act
    const append = () => writer.append(USER_ROWS[1]!);
    const finish = () => writer.finish();

    // Assess
    const error = new ParquetEncodeError(
      'the Parquet file is finished already for tables/stream/user/part-2.parquet',
    );
    expect(append).toThrow(error);
    expect(finish).toThrow(error);
  });

  it('refuses a column type it has no Parquet mapping for', () => {
    // Prepare
    const columns = [{ name: 'm', type: 'map<string,string>', nullable: true }] as unknown as TableColumn[];

    // Act
    const attempt = () => encodeTable(columns, [{ m: null }]);

    // Assess
    expect(attempt).toThrow(new ParquetSchemaError('column m: unsupported type map<string,string>'));
  });
});
