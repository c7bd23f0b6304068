import { parseActions, serializeActions } from '../../../libs/delta/actions';
import { DeltaLogError } from '../../../libs/delta/errors';
import {
  decodeFilePath,
  encodeFilePath,
  escapePartitionValue,
  parseLogFileName,
} from '../../../libs/delta/paths';
import { assertReadable, assertWritable } from '../../../libs/delta/protocol';
import { parsePartitionValue } from '../../../libs/delta/read';
import {
  columnsFromSchema,
  parseSchemaString,
  schemaFromColumns,
  typeName,
} from '../../../libs/delta/schema';
import { TABLE_COLUMNS } from '../../../libs/records/tables';

describe('commit files', () => {
  test('actions round-trip through the newline-delimited JSON form, unknown actions kept as other', () => {
    // Prepare
    const text =
      '{"commitInfo":{"timestamp":1,"operation":"WRITE"}}\n' +
      '{"add":{"path":"a%20b.parquet","partitionValues":{},"size":3,"modificationTime":4,"dataChange":true}}\n' +
      '{"domainMetadata":{"domain":"x","configuration":"{}","removed":false}}\n';
    // Act
    const actions = parseActions(text, 'v1');
    // Assess
    expect(actions).toStrictEqual([
      { commitInfo: { timestamp: 1, operation: 'WRITE' } },
      { add: { path: 'a%20b.parquet', partitionValues: {}, size: 3, modificationTime: 4, dataChange: true } },
      { other: { domainMetadata: { domain: 'x', configuration: '{}', removed: false } } },
    ]);
    expect(serializeActions(actions)).toBe(text);
  });

  test('a malformed line names the commit and line; two actions for one file are refused', () => {
    // Act
    const bad = () => parseActions('{"add":{"path":"x"}}\n', '00000000000000000007.json');
    const twice = () =>
      serializeActions([{ txn: { appId: 'a', version: 1 } }, { txn: { appId: 'a', version: 2 } }]);
    // Assess
    expect(bad).toThrow(new DeltaLogError('00000000000000000007.json line 1: add has no size'));
    expect(twice).toThrow(DeltaLogError);
  });
});

describe('paths', () => {
  test('log file names classify commits, checkpoints and parts, and ignore crc and temp files', () => {
    // Act
    const names = [
      '00000000000000000010.json',
      '00000000000000000010.checkpoint.parquet',
      '00000000000000000020.checkpoint.0000000001.0000000002.parquet',
      '.00000000000000000010.json.crc',
      '_last_checkpoint',
    ].map(parseLogFileName);
    // Assess
    expect(names).toStrictEqual([
      { kind: 'commit', version: 10, name: '00000000000000000010.json' },
      { kind: 'checkpoint', version: 10, name: '00000000000000000010.checkpoint.parquet', part: 1, parts: 1 },
      {
        kind: 'checkpoint',
        version: 20,
        name: '00000000000000000020.checkpoint.0000000001.0000000002.parquet',
        part: 1,
        parts: 2,
      },
      undefined,
      undefined,
    ]);
  });

  test('partition directories are Hive-escaped, then percent-encoded once in the log, and decode back', () => {
    // Prepare
    const directory = `letter=${escapePartitionValue('/%20%f')}/time=${escapePartitionValue('2020-01-01 08:09:10')}`;
    // Act
    const encoded = encodeFilePath(`${directory}/part-0.parquet`);
    // Assess
    expect(directory).toBe('letter=%2F%2520%25f/time=2020-01-01 08%3A09%3A10');
    expect(encoded).toBe('letter=%252F%252520%2525f/time=2020-01-01%2008%253A09%253A10/part-0.parquet');
    expect(decodeFilePath(encoded)).toBe(`${directory}/part-0.parquet`);
    expect(escapePartitionValue(null)).toBe('__HIVE_DEFAULT_PARTITION__');
  });
});

describe('schemas', () => {
  test('the clean geo columns become the Spark schema with an array of doubles, and back', () => {
    // Act
    const schema = schemaFromColumns(TABLE_COLUMNS.geo);
    // Assess
    expect(schema.fields[2]).toStrictEqual({
      name: 'coordinates',
      type: { type: 'array', elementType: 'double', containsNull: true },
      nullable: true,
      metadata: {},
    });
    expect(columnsFromSchema(schema)).toStrictEqual(TABLE_COLUMNS.geo);
  });

  test('Spark schema strings with nested structs, maps, arrays and decimals parse', () => {
    // Prepare
    const schemaString = JSON.stringify({
      type: 'struct',
      fields: [
        { name: 'price', type: 'decimal(10,2)', nullable: true, metadata: {} },
        {
          name: 'props',
          type: { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: false },
          nullable: true,
          metadata: {},
        },
        {
          name: 'nested',
          type: {
            type: 'struct',
            fields: [
              {
                name: 'xs',
                type: { type: 'array', elementType: 'date', containsNull: true },
                nullable: false,
                metadata: { comment: 'c' },
              },
            ],
          },
          nullable: true,
          metadata: {},
        },
      ],
    });
    // Act
    const schema = parseSchemaString(schemaString);
    // Assess
    expect(schema.fields.map((f) => typeName(f.type))).toStrictEqual([
      'decimal(10,2)',
      'map<string,long>',
      'struct<xs:array<date>>',
    ]);
    expect(() => columnsFromSchema(schema)).toThrow(
      'column price has type decimal(10,2), which pinlake cannot write',
    );
    expect(() => parseSchemaString('{"type":"struct","fields":[{"name":"a","type":"uuid"}]}')).toThrow(
      'unknown type "uuid" at schema.a',
    );
  });
});

describe('partition values', () => {
  test('are typed by the schema, with null, empty and the Hive default as null', () => {
    // Act
    const values = [
      parsePartitionValue('42', 'long', 'f'),
      parsePartitionValue('9007199254740993', 'long', 'f'),
      parsePartitionValue('1970-01-02', 'date', 'f'),
      parsePartitionValue('2021-10-01 08:09:20.5', 'timestamp', 'f'),
      parsePartitionValue('2021-10-01T08:09:20.000000Z', 'timestamp', 'f'),
      parsePartitionValue('true', 'boolean', 'f'),
      parsePartitionValue('ab', 'binary', 'f'),
      parsePartitionValue('', 'string', 'f'),
      parsePartitionValue(null, 'integer', 'f'),
      parsePartitionValue('__HIVE_DEFAULT_PARTITION__', 'date', 'f'),
    ];
    // Assess
    expect(values).toStrictEqual([
      42,
      9007199254740993n,
      new Date('1970-01-02T00:00:00Z'),
      new Date('2021-10-01T08:09:20.500Z'),
      new Date('2021-10-01T08:09:20Z'),
      true,
      new Uint8Array([97, 98]),
      null,
      null,
      null,
    ]);
    expect(() => parsePartitionValue('x', 'long', 'part=x/f.parquet')).toThrow(
      'partition value "x" of part=x/f.parquet is not a valid "long"',
    );
  });
});

describe('protocol', () => {
  test('reader 1 / writer 2 tables are readable and writable; newer readers and unknown features are refused', () => {
    // Act + Assess
    expect(() => assertWritable({ minReaderVersion: 1, minWriterVersion: 2 }, 't')).not.toThrow();
    expect(() => assertReadable({ minReaderVersion: 2, minWriterVersion: 5 }, 't')).toThrow(
      'table t needs Delta reader version 2; pinlake reads version 1',
    );
    expect(() =>
      assertReadable({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'] }, 't'),
    ).toThrow(
      'table t needs Delta reader version 3 (reader features: deletionVectors); pinlake reads version 1',
    );
    expect(() => assertReadable({ minReaderVersion: 1, minWriterVersion: 4 }, 't')).not.toThrow();
    expect(() => assertWritable({ minReaderVersion: 1, minWriterVersion: 4 }, 't')).toThrow(
      'table t needs Delta writer version 4; pinlake writes version 2',
    );
  });
});
