/**
 * Helpers of the batch-path unit tests: MSK events built from values, a user record, and a batch table
 * read back sorted by source.
 */
import type { MSKEvent } from 'aws-lambda';
import { loadSnapshot, readRows, type TableRow } from '../../../libs/delta';
import type { Kind } from '../../../libs/records';
import type { ObjectStore } from '../../../libs/storage';

/** One record of a test MSK event: its offset and value (an object is sent as JSON). */
export interface TestKafkaRecord {
  readonly offset: number;
  readonly value: unknown;
  /** CreateTime, ms (default 1763806530000 + offset). */
  readonly timestamp?: number;
}

/** An MSK event of one partition of `pinlake.<kind>`, as Lambda builds it. */
export function mskEvent(kind: Kind, partition: number, records: readonly TestKafkaRecord[]): MSKEvent {
  const topic = `pinlake.${kind}`;
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/pinlake-msk/abc',
    bootstrapServers: 'b-1.pinlake:9098',
    records: {
      [`${topic}-${partition}`]: records.map((r) => ({
        topic,
        partition,
        offset: r.offset,
        timestamp: r.timestamp ?? 1763806530000 + r.offset,
        timestampType: 'CREATE_TIME',
        key: '',
        value: (Buffer.isBuffer(r.value) ? r.value : Buffer.from(JSON.stringify(r.value))).toString('base64'),
        headers: [],
      })),
    },
  };
}

/** A user record (the smallest kind) with id `ind`. */
export const user = (ind: number) => ({
  ind,
  first_name: 'Ada',
  last_name: `Number${ind}`,
  age: 30,
  date_joined: '2016-01-02 03:04:05',
});

/** `count` user records from offset `from` on. */
export const users = (from: number, count: number): TestKafkaRecord[] =>
  Array.from({ length: count }, (_, i) => ({ offset: from + i, value: user(from + i) }));

/** The rows of `tables/batch/<kind>`, sorted by source offset, and the table version. */
export async function readBatchTable(
  store: ObjectStore,
  kind: Kind,
): Promise<{ version: number; rows: TableRow[] }> {
  const snapshot = await loadSnapshot(store, `tables/batch/${kind}`);
  const rows = await readRows(store, snapshot);
  const offset = (row: TableRow) => Number(String(row.source).split(':').at(-1));
  const partition = (row: TableRow) => Number(String(row.source).split(':').at(-2));
  rows.sort((a, b) => partition(a) - partition(b) || offset(a) - offset(b));
  return { version: snapshot.version, rows };
}

/** The sources of the rows, e.g. `0:12` for partition 0 offset 12. */
export const sourcesOf = (rows: readonly TableRow[]) =>
  rows.map((row) => String(row.source).split(':').slice(-2).join(':'));
