import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { optimize, planCompaction, vacuum } from '../../../libs/delta/maintenance';
import { readRows } from '../../../libs/delta/read';
import type { ActiveFile } from '../../../libs/delta/replay';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { maxTagValue, mergeTags } from '../../../libs/delta/tags';
import { createTable, replaceRows, writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS, type UserRow } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import { makeTempDir } from '../../helpers/temp-dir';

const columns = TABLE_COLUMNS.user;
const user = (ind: number): UserRow => ({
  ind,
  user_name: `user ${ind}`,
  age: ind,
  date_joined: null,
  source: `kinesis:s:shardId-0:${ind}`,
  ingested_at: new Date(Date.UTC(2024, 0, 1, 0, 0, ind)),
});
const HWM = 'pinlake.kinesis.shardId-000000000000';

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-maintenance');
  store = new FileStore(temp.path);
  await createTable(store, 't', columns);
});
afterEach(() => temp.cleanup());

describe('mergeTags', () => {
  test('keeps the maximum of integer tags compared as big integers, and the newest value otherwise', () => {
    // Prepare
    const files: { tags: Record<string, string> }[] = [
      { tags: { [HWM]: '49590338271490256608559692538361571095921575989136588898', note: 'old' } },
      { tags: { [HWM]: '49590338271490256608559692540925702759324208523137515618', other: '7' } },
      { tags: { [HWM]: '9', note: 'new' } },
    ];
    // Act
    const merged = mergeTags(files);
    // Assess
    expect(merged).toStrictEqual({
      [HWM]: '49590338271490256608559692540925702759324208523137515618',
      note: 'new',
      other: '7',
    });
  });
});

describe('planCompaction', () => {
  test('bins small files per partition up to the target size and leaves big or lone files alone', () => {
    // Prepare
    const file = (path: string, size: number, part: string): ActiveFile => ({
      path,
      partitionValues: { p: part },
      size,
      modificationTime: Number(path.slice(1)),
      stats: undefined,
      tags: {},
      add: { path, partitionValues: { p: part }, size, modificationTime: 0, dataChange: true },
    });
    const files = [
      file('f1', 40, 'a'),
      file('f2', 40, 'a'),
      file('f3', 40, 'a'),
      file('f4', 500, 'a'),
      file('f5', 10, 'b'),
      file('f6', 10, 'c'),
    ];
    // Act
    const bins = planCompaction(files, 100);
    // Assess
    expect(bins.map((b) => b.map((f) => f.path))).toStrictEqual([['f1', 'f2']]);
  });
});

describe('planCompaction with a minimum file size', () => {
  test('leaves files at or above minFileSize alone, so a file just under the target is not rewritten again', () => {
    // Prepare
    const file = (path: string, size: number): ActiveFile => ({
      path,
      partitionValues: {},
      size,
      modificationTime: Number(path.slice(1)),
      stats: undefined,
      tags: {},
      add: { path, partitionValues: {}, size, modificationTime: 0, dataChange: true },
    });
    const files = [file('f1', 90), file('f2', 5), file('f3', 5), file('f4', 49)];
    // Act
    const withDefault = planCompaction(files, 100);
    const withHalf = planCompaction(files, 100, 50);
    // Assess
    expect(withDefault.map((b) => b.map((f) => f.path))).toStrictEqual([['f1', 'f2', 'f3']]);
    expect(withHalf.map((b) => b.map((f) => f.path))).toStrictEqual([['f2', 'f3', 'f4']]);
  });
});

describe('optimize', () => {
  test('rewrites small files into one, keeping every row, the txns and the high-water tag maximum', async () => {
    // Prepare
    const seqs = [
      '100000000000000000000000000000000000001',
      '99999999999999999999999999',
      '100000000000000000000000000000000000007',
    ];
    for (let i = 0; i < 3; i++) {
      await writeRows(store, 't', columns, [user(2 * i + 1), user(2 * i + 2)], {
        txn: { appId: 'stream-shard-0', version: i + 1 },
        tags: { [HWM]: seqs[i]! },
      });
    }
    const before = await loadSnapshot(store, 't');
    // Act
    const result = await optimize(store, 't', { targetSize: 1024 * 1024 });
    // Assess
    const after = await loadSnapshot(store, 't');
    expect(result).toStrictEqual({ version: 4, filesRemoved: 3, filesAdded: 1, rowsRewritten: 6 });
    expect(after.files).toHaveLength(1);
    expect(after.files[0]!.tags).toStrictEqual({ [HWM]: '100000000000000000000000000000000000007' });
    expect(maxTagValue(before, HWM)).toBe('100000000000000000000000000000000000007');
    expect(maxTagValue(after, HWM)).toBe('100000000000000000000000000000000000007');
    expect(after.files[0]!.add.dataChange).toBe(false);
    expect(after.files[0]!.stats?.numRecords).toBe(6);
    expect(after.txns).toStrictEqual(before.txns);
    const byInd = (rows: Record<string, unknown>[]) =>
      rows.sort((a, b) => (a.ind as number) - (b.ind as number));
    expect(byInd(await readRows(store, after))).toStrictEqual(byInd(await readRows(store, before)));
    expect(byInd(await readRows(store, after))).toStrictEqual([1, 2, 3, 4, 5, 6].map(user));
    expect(after.tombstones.map((t) => t.remove.dataChange)).toStrictEqual([false, false, false]);
  });

  test('does nothing when no partition has two small files', async () => {
    // Prepare
    await writeRows(store, 't', columns, [user(1)]);
    // Act
    const result = await optimize(store, 't');
    // Assess
    expect(result).toStrictEqual({ version: undefined, filesRemoved: 0, filesAdded: 0, rowsRewritten: 0 });
    expect((await loadSnapshot(store, 't')).version).toBe(1);
  });
});

describe('vacuum', () => {
  test('keeps tombstoned files within the retention and deletes them after it, with a dry run first', async () => {
    // Prepare
    await writeRows(store, 't', columns, [user(1)]);
    const old = (await loadSnapshot(store, 't')).files[0]!.path;
    const removedAt = Date.now();
    await replaceRows(store, 't', columns, [user(2)], { now: () => removedAt });
    const live = (await loadSnapshot(store, 't')).files[0]!.path;
    const hours = 3_600_000;
    // Act
    const within = await vacuum(store, 't', { retentionHours: 1, now: () => removedAt + hours / 2 });
    const dryRun = await vacuum(store, 't', {
      retentionHours: 1,
      now: () => removedAt + 2 * hours,
      dryRun: true,
    });
    const afterDryRun = (await readdir(join(temp.path, 't'))).filter((n) => n.endsWith('.parquet')).sort();
    const swept = await vacuum(store, 't', { retentionHours: 1, now: () => removedAt + 2 * hours });
    // Assess
    expect(within).toStrictEqual({ deleted: [], dryRun: false, keptYoung: 0 });
    expect(dryRun).toStrictEqual({ deleted: [old], dryRun: true, keptYoung: 0 });
    expect(afterDryRun).toStrictEqual([old, live].sort());
    expect(swept).toStrictEqual({ deleted: [old], dryRun: false, keptYoung: 0 });
    expect((await readdir(join(temp.path, 't'))).filter((n) => n.endsWith('.parquet'))).toStrictEqual([live]);
    expect(await readRows(store, await loadSnapshot(store, 't'))).toStrictEqual([user(2)]);
  });
});
