import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchPathError, landMskEvent, runBatchClean } from '../../../libs/batch';
import { rawDataKey, rawIndexKey } from '../../../libs/lake';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { mskEvent, readBatchTable, sourcesOf, user, users } from './support';

// Poison never blocks a path; corruption of the raw landing is reported by name, never absorbed.
let lake: { path: string; cleanup: () => Promise<void> };
let store: FileStore;

beforeEach(async () => {
  lake = await makeTempDir('batch-poison');
  store = new FileStore(lake.path);
});
afterEach(() => lake.cleanup());

const text = async (key: string) => Buffer.from((await store.get(key))!).toString();
const failureOf = (run: Promise<unknown>) =>
  run.then(
    () => 'resolved',
    (error: unknown) => error,
  );

describe('a Kafka record that cannot be read is quarantined and the path goes on', () => {
  it('quarantines records whose Kafka timestamp a date cannot hold, with reason, topic, partition and offset, and cleans the rest', async () => {
    // Prepare
    const records = users(0, 4).map((r, i) => (i === 1 ? { ...r, timestamp: 9e15 } : r));
    const event = mskEvent('user', 0, records);
    (event.records['pinlake.user-0']![2] as { timestamp: unknown }).timestamp = 'soon';
    await landMskEvent(store, event);
    const [landed] = await store.list(rawDataKey('pinlake.user', 0, 0));
    const landedAt = new Date(landed!.lastModified);

    // Act
    const first = await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    const second = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect([first.rowsWritten.user, first.quarantined, second.recordsRead]).toStrictEqual([2, 2, 0]);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual(['0:0', '0:3']);
    const day = landedAt.toISOString().slice(0, 10);
    const quarantined = await Promise.all(
      [1, 2].map(async (offset) => JSON.parse(await text(`quarantine/pinlake.user/${day}/0-${offset}.json`))),
    );
    expect(
      quarantined.map(({ reason, source, received_at }) => ({ reason, source, received_at })),
    ).toStrictEqual([
      {
        reason: 'bad envelope: Kafka timestamp 9000000000000000 of pinlake.user-0 offset 1 is out of range',
        source: 'kafka:pinlake.user:0:1',
        received_at: landedAt.toISOString(),
      },
      {
        reason: 'bad envelope: Kafka timestamp NaN of pinlake.user-0 offset 2 is not a number',
        source: 'kafka:pinlake.user:0:2',
        received_at: landedAt.toISOString(),
      },
    ]);
    expect(JSON.parse(quarantined[0].preview)).toStrictEqual(user(1));
  });

  it('lands the rest of a batch when one record has no usable offset, and quarantines that one', async () => {
    // Prepare
    const event = mskEvent('user', 0, users(0, 3));
    delete (event.records['pinlake.user-0']![1] as { offset?: number }).offset;

    // Act
    const summary = await landMskEvent(store, event);

    // Assess
    expect([summary.records, summary.quarantined, summary.files.map((f) => f.key)]).toStrictEqual([
      2,
      1,
      [rawDataKey('pinlake.user', 0, 0), rawDataKey('pinlake.user', 0, 2)],
    ]);
    const [kept] = await store.list('quarantine/pinlake.user/');
    expect(JSON.parse(await text(kept!.key))).toMatchObject({
      reason: 'bad envelope: offset undefined is not a non-negative integer',
      source: 'kafka:pinlake.user:0:unknown',
    });
  });
});

describe('raw landing files are created once, never overwritten', () => {
  it('refuses other bytes at an existing data or index key, naming it, and writes no data file', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 3)));
    const key = rawDataKey('pinlake.user', 0, 0);
    const before = await text(key);
    const other = mskEvent(
      'user',
      0,
      [0, 1, 2].map((offset) => ({ offset, value: user(100 + offset) })),
    );

    // Act
    const landing = await failureOf(landMskEvent(store, other));
    await store.delete(key);
    const onIndex = await failureOf(landMskEvent(store, other));

    // Assess
    expect([landing, onIndex]).toStrictEqual([
      new BatchPathError(
        `raw file ${key} already holds other bytes than offsets 0..2 of this batch (${before.length} bytes there, ${before.length + 12} here): raw files are never overwritten`,
      ),
      new BatchPathError(
        `raw index ${rawIndexKey('pinlake.user', 0, 0, 2)} already describes other records than offsets 0..2 of this batch: raw files are never overwritten`,
      ),
    ]);
    expect(await store.get(key)).toBeUndefined();
  });

  it('refuses a batch of another length whose first records differ from the file at its start', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 2)));
    const other = mskEvent(
      'user',
      0,
      [0, 1, 2].map((offset) => ({ offset, value: user(200 + offset) })),
    );

    // Act
    const landing = await failureOf(landMskEvent(store, other));

    // Assess
    expect(landing).toBeInstanceOf(BatchPathError);
    expect((landing as Error).message).toMatch(
      /^raw file raw\/topics\/pinlake\.user\/partition=0\/pinlake\.user\+0\+0000000000\.json already holds other bytes than offsets 0\.\.2 of this batch/,
    );
  });

  it('lands only the new tail of a redelivered batch that extends the file at its start', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 2)));

    // Act
    const landing = await landMskEvent(store, mskEvent('user', 0, users(0, 5)));
    const summary = await runBatchClean(store, 'pinlake', { kinds: ['user'] });

    // Assess
    expect(landing.files.map((f) => [f.key, f.startOffset, f.endOffset, f.written])).toStrictEqual([
      [rawDataKey('pinlake.user', 0, 0), 0, 1, false],
      [rawDataKey('pinlake.user', 0, 2), 2, 4, true],
    ]);
    expect(sourcesOf((await readBatchTable(store, 'user')).rows)).toStrictEqual([
      '0:0',
      '0:1',
      '0:2',
      '0:3',
      '0:4',
    ]);
    expect(summary.skipped).toBe(0);
  });
});

describe('batch-clean checks each raw file against its index and fails loudly', () => {
  beforeEach(async () => {
    await landMskEvent(store, mskEvent('user', 0, users(0, 3)));
    await landMskEvent(store, mskEvent('user', 0, users(3, 3)));
    await landMskEvent(store, mskEvent('user', 0, users(6, 3)));
  });
  const clean = () => failureOf(runBatchClean(store, 'pinlake', { kinds: ['user'] }));

  it('names a file altered without a change of length (its SHA-256 differs)', async () => {
    // Prepare
    const key = rawDataKey('pinlake.user', 0, 3);
    await store.put(key, (await text(key)).replace('Number3', 'Number9'));

    // Act
    const failure = await clean();

    // Assess
    expect(failure).toStrictEqual(
      new BatchPathError(
        `raw file ${key} does not match its index ${rawIndexKey('pinlake.user', 0, 3, 5)}: same length, other bytes (SHA-256 differs); the file was altered`,
      ),
    );
    await expect(store.list('tables/batch/user/_delta_log/00000000000000000001.json')).resolves.toStrictEqual(
      [],
    );
  });

  it('names a file whose index gives a record a negative length, even when the lengths add up', async () => {
    // Prepare: the first two records' lengths moved by more than the first holds.
    const indexKey = rawIndexKey('pinlake.user', 0, 3, 5);
    const index = JSON.parse(await text(indexKey)) as { lengths: number[]; bytes: number };
    const [first, second] = index.lengths as [number, number];
    index.lengths[0] = -1;
    index.lengths[1] = first + second + 1;
    await store.put(indexKey, JSON.stringify(index));

    // Act
    const failure = await clean();

    // Assess
    expect(failure).toStrictEqual(
      new BatchPathError(
        `raw file ${rawDataKey('pinlake.user', 0, 3)} is ${index.bytes} bytes and matches none of its index objects ` +
          `(${indexKey} says ${index.bytes} bytes): the file was cut short, grown or altered`,
      ),
    );
  });

  it('names a file over 2 GiB, which it does not read as records', async () => {
    // Prepare: a store that answers with 2 GiB for one file (never written, so it takes no pages); such a
    // file cannot be landed on this machine's disk for a test.
    const key = rawDataKey('pinlake.user', 0, 3);
    const huge = Buffer.allocUnsafeSlow(2 ** 31);
    const hugeFile = Object.assign(Object.create(store) as FileStore, {
      get: (k: string) => (k === key ? Promise.resolve(huge) : store.get(k)),
    });

    // Act
    const failure = await failureOf(runBatchClean(hugeFile, 'pinlake', { kinds: ['user'] }));

    // Assess
    expect(failure).toStrictEqual(
      new BatchPathError(
        `raw file ${key} is 2147483648 bytes: batch-clean reads files of at most 2147483647`,
      ),
    );
  });

  it('names a deleted file by the index that says what it held', async () => {
    // Prepare
    await store.delete(rawDataKey('pinlake.user', 0, 3));

    // Act
    const failure = await clean();

    // Assess
    expect(failure).toStrictEqual(
      new BatchPathError(
        `raw file ${rawDataKey('pinlake.user', 0, 3)} is missing: its index ${rawIndexKey('pinlake.user', 0, 3, 5)} says it holds offsets 3..5, not cleaned yet`,
      ),
    );
  });

  it('names a file whose index was lost', async () => {
    // Prepare
    await store.delete(rawIndexKey('pinlake.user', 0, 6, 8));

    // Act
    const failure = await clean();

    // Assess
    expect((failure as Error).message).toBe(
      `raw file ${rawDataKey('pinlake.user', 0, 6)} has no index object under raw/_index/pinlake.user/partition=0/ although the rest of its partition has: its index was lost, so its records cannot be checked`,
    );
  });

  it('names a gap when a file and its index are both gone', async () => {
    // Prepare
    await store.delete(rawDataKey('pinlake.user', 0, 3));
    await store.delete(rawIndexKey('pinlake.user', 0, 3, 5));

    // Act
    const failure = await clean();

    // Assess
    expect(failure).toStrictEqual(
      new BatchPathError(
        `raw landing of pinlake.user-0 has a gap: offsets 3..5 are in no raw file (after ${rawDataKey('pinlake.user', 0, 0)}, before ${rawDataKey('pinlake.user', 0, 6)})`,
      ),
    );
  });

  it('names offsets that went backwards: the landing ends before what the table already holds', async () => {
    // Prepare: everything cleaned, then the topic recreated (its landing starts over).
    await runBatchClean(store, 'pinlake', { kinds: ['user'] });
    await rm(join(lake.path, 'raw'), { recursive: true });
    await landMskEvent(store, mskEvent('user', 0, users(0, 2)));

    // Act
    const failure = await clean();

    // Assess
    expect(failure).toStrictEqual(
      new BatchPathError(
        'offsets went backwards in pinlake.user-0: tables/batch holds offsets up to 8, but the raw landing ends at offset 1',
      ),
    );
  });
});
