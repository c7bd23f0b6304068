import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { BatchPathError, landMskEvent, runBatchClean } from '../../../libs/batch';
import { ChaosError, setChaos } from '../../../libs/chaos';
import { loadSnapshot } from '../../../libs/delta';
import { rawDataKey } from '../../../libs/lake';
import { cleanRecord, MAX_RECORD_BYTES } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { mskEvent, readBatchTable, sourcesOf, user, users } from './support';

let lake: { path: string; cleanup: () => Promise<void> };
let store: FileStore;

beforeEach(async () => {
  lake = await makeTempDir('batch-clean');
  store = new FileStore(lake.path);
});
afterEach(async () => {
  setChaos(undefined);
  await lake.cleanup();
});

/** The txn actions of every commit of the user table, in order. */
async function txnsByCommit(): Promise<Record<string, number>[]> {
  const snapshot = await loadSnapshot(store, 'tables/batch/user');
  const commits = [];
  for (let v = 0; v <= snapshot.version; v++) {
    const name = `${String(v).padStart(20, '0')}.json`;
    const text = await readFile(join(lake.path, 'tables/batch/user/_delta_log', name), 'utf8');
    const txns = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((action) => action.txn)
      .map((action) => [action.txn.appId, action.txn.version]);
    commits.push(Object.fromEntries(txns));
  }
  return commits;
}

describe('batch-clean', () => {
  it('commits a large backlog in chunks, each recording the last offset it includes per partition', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 14)));
    await landMskEvent(store, mskEvent('user', 1, users(100, 6)));

    // Act
    const summary = await runBatchClean(store, 'pinlake', { chunkRecords: 8, kinds: ['user'] });

    // Assess
    expect(await txnsByCommit()).toStrictEqual([
      {},
      { 'kafka:pinlake.user:0': 13 },
      { 'kafka:pinlake.user:1': 105 },
    ]);
    expect([summary.commits, summary.recordsRead, summary.rowsWritten.user]).toStrictEqual([2, 20, 20]);
    const { rows } = await readBatchTable(store, 'user');
    expect(sourcesOf(rows)).toStrictEqual([
      ...Array.from({ length: 14 }, (_, i) => `0:${i}`),
      ...Array.from({ length: 6 }, (_, i) => `1:${100 + i}`),
    ]);
  });

  it('reads only what is new on the next run, and nothing at all when nothing is', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 5)));
    await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    await landMskEvent(store, mskEvent('user', 0, users(5, 3)));

    // Act
    const second = await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    const third = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect([second.recordsRead, second.skipped, second.partitions[0]?.files]).toStrictEqual([3, 0, 1]);
    expect([third.recordsRead, third.commits, third.partitions[0]?.files]).toStrictEqual([0, 0, 0]);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual(
      Array.from({ length: 8 }, (_, i) => `0:${i}`),
    );
  });

  it('writes each record once when it crashes after the upload or after the commit and runs again', async () => {
    // Prepare
    for (const from of [0, 4, 8]) await landMskEvent(store, mskEvent('user', 0, users(from, 4)));
    const steps: string[] = [];
    let draws = 0;
    // Chunks of two files: fail the first upload, then the first commit's reply; the rest goes through.
    setChaos(0.5, () => ([0, 2].includes(draws++) ? 0 : 1));

    // Act
    for (let run = 0; run < 5; run++) {
      try {
        await runBatchClean(store, 'pinlake', { chunkRecords: 5, kinds: ['user'] });
        break;
      } catch (error) {
        if (!(error instanceof ChaosError)) throw error;
        steps.push(error.step);
      }
    }

    // Assess
    expect(steps).toStrictEqual(['batch-clean:after-upload', 'batch-clean:after-commit']);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual(
      Array.from({ length: 12 }, (_, i) => `0:${i}`),
    );
    const dataFiles = await store.list('tables/batch/user/part-');
    const snapshot = await loadSnapshot(store, 'tables/batch/user');
    expect([dataFiles.length, snapshot.files.length]).toStrictEqual([3, 2]);
  });

  it('names a later corrupt file after committing the chunks before it, and commits nothing past them', async () => {
    // Prepare: chunks of one file; the third file cut short.
    for (const from of [0, 4, 8]) await landMskEvent(store, mskEvent('user', 0, users(from, 4)));
    const key = rawDataKey('pinlake.user', 0, 8);
    const whole = (await store.get(key))!;
    await store.put(key, whole.subarray(0, whole.length - 1));

    // Act
    const error = await runBatchClean(store, 'pinlake', { chunkRecords: 4, kinds: ['user'] }).catch((e) => e);
    const commits = await txnsByCommit();

    // Assess
    expect(error).toBeInstanceOf(BatchPathError);
    expect(commits).toStrictEqual([{}, { 'kafka:pinlake.user:0': 3 }, { 'kafka:pinlake.user:0': 7 }]);
  });

  it('reports a failed commit, not the corrupt file after it, and the rerun writes each record once', async () => {
    // Prepare: the second commit fails after its upload; the file after it is cut short.
    for (const from of [0, 4, 8]) await landMskEvent(store, mskEvent('user', 0, users(from, 4)));
    const key = rawDataKey('pinlake.user', 0, 8);
    const whole = (await store.get(key))!;
    await store.put(key, whole.subarray(0, whole.length - 1));
    let draws = 0;
    setChaos(0.5, () => (draws++ === 2 ? 0 : 1));

    // Act
    const error = await runBatchClean(store, 'pinlake', { chunkRecords: 4, kinds: ['user'] }).catch((e) => e);
    setChaos(undefined);
    await store.put(key, whole);
    const rerun = await runBatchClean(store, 'pinlake', { chunkRecords: 4, kinds: ['user'] });

    // Assess
    expect([error.constructor.name, error.step]).toStrictEqual(['ChaosError', 'batch-clean:after-upload']);
    expect(rerun.recordsRead).toBe(8);
    expect(await txnsByCommit()).toStrictEqual([
      {},
      { 'kafka:pinlake.user:0': 3 },
      { 'kafka:pinlake.user:0': 7 },
      { 'kafka:pinlake.user:0': 11 },
    ]);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual(
      Array.from({ length: 12 }, (_, i) => `0:${i}`),
    );
  });

  it("names a later partition's broken landing after the commits of the partitions before it", async () => {
    // Prepare: partition 0 whole; partition 1's second file deleted (its index says what it held).
    await landMskEvent(store, mskEvent('user', 0, users(0, 4)));
    await landMskEvent(store, mskEvent('user', 1, users(0, 4)));
    await landMskEvent(store, mskEvent('user', 1, users(4, 4)));
    await store.delete(rawDataKey('pinlake.user', 1, 4));

    // Act
    const error = await runBatchClean(store, 'pinlake', { chunkRecords: 4, kinds: ['user'] }).catch((e) => e);

    // Assess
    expect(error).toStrictEqual(
      new BatchPathError(
        `raw file ${rawDataKey('pinlake.user', 1, 4)} is missing: its index ` +
          'raw/_index/pinlake.user/partition=1/0000000004-0000000007.json says it holds offsets 4..7, not cleaned yet',
      ),
    );
    expect(await txnsByCommit()).toStrictEqual([{}, { 'kafka:pinlake.user:0': 3 }]);
  });

  it('reads ahead no more raw bytes at once than readAheadBytes allows, one file at least, across partitions', async () => {
    // Prepare: 3 files in partition 0 and 3 in partition 1; a store that notes the raw bytes being read.
    for (const partition of [0, 1]) {
      for (const from of [0, 5, 10]) await landMskEvent(store, mskEvent('user', partition, users(from, 5)));
    }
    const sizes = new Map((await store.list('raw/topics/')).map((o) => [o.key, o.size]));
    const fileSize = Math.max(...sizes.values());
    let reading = 0;
    let most = 0;
    const get = store.get.bind(store);
    store.get = async (key: string) => {
      const size = sizes.get(key) ?? 0;
      reading += size;
      most = Math.max(most, reading);
      try {
        return await get(key);
      } finally {
        reading -= size;
      }
    };

    // Act
    const tight = await runBatchClean(store, 'pinlake', { kinds: ['user'], readAheadBytes: 1 });
    const tightMost = most;
    for (const object of await store.list('tables/')) await store.delete(object.key);
    most = 0;
    const two = await runBatchClean(store, 'pinlake', { kinds: ['user'], readAheadBytes: 2 * fileSize });

    // Assess
    expect([tight.recordsRead, two.recordsRead]).toStrictEqual([30, 30]);
    expect(tightMost).toBeLessThanOrEqual(fileSize);
    expect(most).toBeGreaterThan(fileSize);
    expect(most).toBeLessThanOrEqual(2 * fileSize);
  });

  it('writes each record once when two runs race for the same partitions', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 30)));
    await landMskEvent(store, mskEvent('user', 1, users(0, 30)));

    // Act
    const runs = await Promise.all([
      runBatchClean(store, 'pinlake', { chunkRecords: 7, kinds: ['user'] }),
      runBatchClean(store, 'pinlake', { chunkRecords: 7, kinds: ['user'] }),
    ]);

    // Assess
    expect(runs[0]!.rowsWritten.user + runs[1]!.rowsWritten.user).toBe(60);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual([
      ...Array.from({ length: 30 }, (_, i) => `0:${i}`),
      ...Array.from({ length: 30 }, (_, i) => `1:${i}`),
    ]);
  });

  it('fails naming a raw file cut short, commits nothing past it, and goes on once it is whole again', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 4)));
    await landMskEvent(store, mskEvent('user', 0, users(4, 4)));
    const key = rawDataKey('pinlake.user', 0, 4);
    const whole = (await store.get(key))!;
    await store.put(key, whole.subarray(0, whole.length - 10));

    // Act
    const during = await runBatchClean(store, 'pinlake', { kinds: ['user'] }).catch((e: unknown) => e);
    await store.put(key, whole);
    const after = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect(during).toStrictEqual(
      new BatchPathError(
        `raw file ${key} is ${whole.length - 10} bytes and matches none of its index objects ` +
          `(raw/_index/pinlake.user/partition=0/0000000004-0000000007.json says ${whole.length} bytes): ` +
          'the file was cut short, grown or altered',
      ),
    );
    expect(after.partitions).toStrictEqual([
      {
        topic: 'pinlake.user',
        partition: 0,
        fromOffset: 0,
        toOffset: 7,
        records: 8,
        files: 2,
        pending: false,
      },
    ]);
  });

  it('splits files with no index at newlines and stamps them with their landing time', async () => {
    // Prepare
    await store.put(
      rawDataKey('pinlake.user', 0, 20),
      `${JSON.stringify(user(1))}\n${JSON.stringify(user(2))}\n`,
    );
    const [landed] = await store.list('raw/topics/');

    // Act
    await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    const ingestedAt = new Date(landed!.lastModified);
    const expected = [1, 2].map((ind, i) => {
      const cleaned = cleanRecord('user', Buffer.from(JSON.stringify(user(ind))), {
        source: `kafka:pinlake.user:0:${20 + i}`,
        ingestedAt,
      });
      return cleaned.ok ? { ...cleaned.row } : cleaned;
    });
    expect((await readBatchTable(store, 'user')).rows).toStrictEqual(expected);
  });

  it('keeps a value holding newline bytes whole, by the lengths in its index', async () => {
    // Prepare
    const pretty = Buffer.from(JSON.stringify(user(9), null, 2));
    await landMskEvent(
      store,
      mskEvent('user', 0, [
        { offset: 0, value: pretty },
        { offset: 1, value: user(10) },
      ]),
    );

    // Act
    const summary = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect([summary.rowsWritten.user, summary.quarantined]).toStrictEqual([2, 0]);
    const { rows } = await readBatchTable(store, 'user');
    expect(rows.map((row) => row.user_name)).toStrictEqual(['Ada Number9', 'Ada Number10']);
  });

  it('moves past a chunk of records that are all quarantined with a commit that adds no file', async () => {
    // Prepare
    await landMskEvent(
      store,
      mskEvent('user', 0, [
        { offset: 0, value: 'text' },
        { offset: 1, value: [1] },
      ]),
    );

    // Act
    const first = await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    const second = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect([first.quarantined, first.commits, second.recordsRead]).toStrictEqual([2, 1, 0]);
    expect(await txnsByCommit()).toStrictEqual([{}, { 'kafka:pinlake.user:0': 1 }]);
    expect((await store.list('quarantine/pinlake.user/')).map((o) => o.key)).toStrictEqual([
      'quarantine/pinlake.user/2025-11-22/0-0.json',
      'quarantine/pinlake.user/2025-11-22/0-1.json',
    ]);
  });

  it('cleans every record exactly as its own bytes clean, whatever they hold, and quarantines the rest by reason', async () => {
    // Prepare: text beyond ASCII, a byte-order mark, invalid UTF-8, a value too large to read, not JSON.
    const values = [
      Buffer.from(JSON.stringify({ ...user(0), first_name: 'Zoë', last_name: 'Ångström 🧭' })),
      Buffer.from(JSON.stringify(user(1))),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(user(2)))]),
      Buffer.concat([
        Buffer.from('{"ind":3,"first_name":"Ada","last_name":"bad '),
        Buffer.from([0xff, 0x22, 0x7d]),
      ]),
      Buffer.from(JSON.stringify({ ...user(4), last_name: 'x'.repeat(MAX_RECORD_BYTES) })),
      Buffer.from([0x7b, 0xfe, 0x7d]),
      Buffer.from(JSON.stringify({ ...user(6), first_name: '名前' })),
    ];
    await landMskEvent(
      store,
      mskEvent(
        'user',
        0,
        values.map((value, offset) => ({ offset, value })),
      ),
    );

    // Act
    const summary = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    const cleaned = values.map((bytes, offset) =>
      cleanRecord('user', bytes, {
        source: `kafka:pinlake.user:0:${offset}`,
        ingestedAt: new Date(1763806530000 + offset),
      }),
    );
    const { rows } = await readBatchTable(store, 'user');
    expect(rows).toStrictEqual(cleaned.flatMap((result) => (result.ok ? [{ ...result.row }] : [])));
    expect(rows.map((row) => row.user_name)).toStrictEqual([
      'Zoë Ångström 🧭',
      'Ada Number1',
      'Ada Number2',
      'Ada bad \ufffd',
      '名前 Number6',
    ]);
    const quarantined = await store.list('quarantine/pinlake.user/');
    const reasons = await Promise.all(
      quarantined.map(async (o) => JSON.parse((await store.get(o.key))!.toString()).reason as string),
    );
    expect(reasons).toStrictEqual(cleaned.flatMap((result) => (result.ok ? [] : [result.reason])));
    expect(reasons.map((reason) => reason.split(':')[0])).toStrictEqual(['too large', 'not JSON']);
    expect([summary.rowsWritten.user, summary.quarantined]).toStrictEqual([5, 2]);
  });

  it('drops the records an earlier commit holds from a redelivered file that overlaps it', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 6)));
    await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    await landMskEvent(store, mskEvent('user', 0, users(3, 7)));

    // Act
    const again = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect([again.skipped, again.recordsRead, again.partitions[0]?.fromOffset]).toStrictEqual([3, 4, 6]);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual(
      Array.from({ length: 10 }, (_, i) => `0:${i}`),
    );
  });

  it('writes source DELTA_BYTE_ARRAY across partitions, read back whole by DuckDB, in the stats and the quarantine', async () => {
    // Prepare: two partitions in one chunk, offsets of several lengths, one record that is not JSON.
    await landMskEvent(store, mskEvent('user', 0, users(998, 4)));
    await landMskEvent(
      store,
      mskEvent('user', 1, [...users(7, 2), { offset: 9, value: Buffer.from('{oops') }]),
    );

    // Act
    const summary = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    const expected = ['0:998', '0:999', '0:1000', '0:1001', '1:7', '1:8'].map(
      (s) => `kafka:pinlake.user:${s}`,
    );
    const snapshot = await loadSnapshot(store, 'tables/batch/user');
    const [file] = snapshot.files;
    const path = join(lake.path, 'tables/batch/user', file!.path);
    const bytes = await readFile(path);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const source = meta.row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema[0] === 'source');
    expect(source!.meta_data!.encodings).toContain('DELTA_BYTE_ARRAY');
    const duck = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await duck.connect();
    try {
      const read = await connection.runAndReadAll(`SELECT source FROM read_parquet('${path}')`);
      expect(read.getRowObjectsJson().map((row) => row.source)).toStrictEqual(expected);
    } finally {
      connection.closeSync();
      duck.closeSync();
    }
    expect([file!.stats?.minValues?.source, file!.stats?.maxValues?.source]).toStrictEqual([
      'kafka:pinlake.user:0:1000',
      'kafka:pinlake.user:1:8',
    ]);
    expect(summary.quarantined).toBe(1);
    const [quarantined] = await store.list('quarantine/pinlake.user/');
    const entry = JSON.parse(Buffer.from((await store.get(quarantined!.key))!).toString('utf8'));
    expect([entry.source, entry.received_at]).toStrictEqual([
      'kafka:pinlake.user:1:9',
      new Date(1763806530000 + 9).toISOString(),
    ]);
  });

  it('cleans a file larger than a slice into whole, ordered rows, also from the middle of it', async () => {
    // Prepare: offsets 0..999 cleaned; then a redelivery from 500 on, one file of ~2.9 MB (cleaned in
    // slices of ~1 MiB) whose first 500 records the table holds already.
    const padded = (offset: number) => ({
      offset,
      value: { ...user(offset), last_name: `N${offset}`.padEnd(300, 'x') },
    });
    await landMskEvent(
      store,
      mskEvent(
        'user',
        0,
        Array.from({ length: 1_000 }, (_, i) => padded(i)),
      ),
    );
    await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    await landMskEvent(
      store,
      mskEvent(
        'user',
        0,
        Array.from({ length: 7_500 }, (_, i) => padded(500 + i)),
      ),
    );
    const [file] = await store.list(rawDataKey('pinlake.user', 0, 500));

    // Act
    const summary = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect(file!.size).toBeGreaterThan(2.5 * 2 ** 20);
    expect([summary.skipped, summary.recordsRead, summary.commits]).toStrictEqual([500, 7_000, 1]);
    expect((await txnsByCommit()).at(-1)).toStrictEqual({ 'kafka:pinlake.user:0': 7_999 });
    const { rows } = await readBatchTable(store, 'user');
    expect(sourcesOf(rows)).toStrictEqual(Array.from({ length: 8_000 }, (_, i) => `0:${i}`));
    expect(rows.map((row) => row.user_name)).toStrictEqual(
      Array.from({ length: 8_000 }, (_, i) => `Ada ${`N${i}`.padEnd(300, 'x')}`),
    );
  });
});
