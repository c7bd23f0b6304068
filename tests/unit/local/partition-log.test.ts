import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRecordBatch, parseRecordBatch } from '../../../libs/kafka/protocol';
import { DEFAULT_LOG_SETTINGS, PartitionLog } from '../../../local/kafka/partition-log';
import { makeTempDir } from '../../helpers/temp-dir';

let temp: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir('partition-log');
});
afterEach(async () => {
  await temp.cleanup();
});

const batchOf = (
  values: string[],
  timestamp = 1_700_000_000_000,
  producer?: { id: bigint; sequence: number },
) =>
  parseRecordBatch(
    encodeRecordBatch(
      values.map((v) => ({ key: null, value: Buffer.from(v), timestamp })),
      { ...(producer ? { producerId: producer.id, producerEpoch: 0, baseSequence: producer.sequence } : {}) },
    ),
    'test',
  );

const values = (log: PartitionLog, from = 0) =>
  log.read(from, 1_000_000).map((r) => `${r.offset}:${r.value}`);

describe('partition log on disk', () => {
  test('a log opened again on its directory has every record and goes on at the next offset', async () => {
    const dir = join(temp.path, 'p0');
    const first = new PartitionLog('t-0', dir);
    first.append(batchOf(['a', 'b']));
    first.append(batchOf(['c']));
    await first.flushed();
    await first.close();

    const second = new PartitionLog('t-0', dir);
    const offset = second.append(batchOf(['d']));

    expect(offset).toBe(3);
    expect(values(second)).toStrictEqual(['0:a', '1:b', '2:c', '3:d']);
    expect(values(second, 2)).toStrictEqual(['2:c', '3:d']);
    await second.close();
  });

  test('a batch cut short by a crash is dropped on open; the batches before it are kept', async () => {
    const dir = join(temp.path, 'p0');
    const log = new PartitionLog('t-0', dir);
    log.append(batchOf(['a']));
    log.append(batchOf(['b']));
    await log.close();
    const file = join(dir, readdirSync(dir)[0]!);
    const whole = statSync(file).size;
    appendFileSync(file, batchOf(['torn']).bytes.subarray(0, 30));

    const reopened = new PartitionLog('t-0', dir);

    expect(reopened.recoveredBytes).toBe(30);
    expect(statSync(file).size).toBe(whole);
    expect(values(reopened)).toStrictEqual(['0:a', '1:b']);
    expect(reopened.append(batchOf(['c']))).toBe(2);
    await reopened.close();
  });

  test('segments roll at segmentBytes and retention deletes the oldest, never what a group has not committed', async () => {
    const settings = { ...DEFAULT_LOG_SETTINGS, segmentBytes: 200, retentionBytes: 400 };
    const log = new PartitionLog('t-0', join(temp.path, 'p0'), settings);
    for (let i = 0; i < 20; i++) log.append(batchOf([`record-${i}-${'x'.repeat(40)}`]));
    const segments = readdirSync(join(temp.path, 'p0')).length;
    expect(segments).toBeGreaterThan(5);

    log.applyRetention(Date.now(), 3);
    expect(log.startOffset).toBeLessThanOrEqual(3);
    expect(log.applyRetention(Date.now())).toBeGreaterThan(0);

    expect(log.sizeBytes).toBeLessThan(400 + 200);
    expect(log.startOffset).toBeGreaterThan(3);
    expect(log.read(log.startOffset, 100)[0]!.offset).toBe(log.startOffset);
    expect(() => log.read(0, 1)).toThrow(/deleted by retention \(the log starts at \d+\)/);
    expect(log.endOffset).toBe(20);
    await log.close();
  });

  test('an idempotent retry after a restart gets its first offset back, not a duplicate', async () => {
    const dir = join(temp.path, 'p0');
    const log = new PartitionLog('t-0', dir);
    log.append(batchOf(['a'], 1, { id: 1000n, sequence: 0 }));
    log.append(batchOf(['b'], 1, { id: 1000n, sequence: 1 }));
    await log.close();

    const reopened = new PartitionLog('t-0', dir);
    expect(reopened.append(batchOf(['b'], 1, { id: 1000n, sequence: 1 }))).toBe(1);
    expect(reopened.endOffset).toBe(2);
    expect(reopened.maxProducerId()).toBe(1000n);
    await reopened.close();
  });

  test('timestamps are looked up from disk', async () => {
    const log = new PartitionLog('t-0', join(temp.path, 'p0'), {
      ...DEFAULT_LOG_SETTINGS,
      segmentBytes: 150,
    });
    log.append(batchOf(['a'], 100));
    log.append(batchOf(['b'], 300));
    log.append(batchOf(['c'], 200));

    expect(log.offsetForTimestamp(150)?.offset).toBe(1);
    expect(log.maxTimestampRecord()?.offset).toBe(1);
    expect(log.offsetForTimestamp(400)).toBeUndefined();
    await log.close();
  });
});
