import { loadSnapshot } from '../../../libs/delta/snapshot';
import { SnapshotCache } from '../../../libs/delta/snapshot-cache';
import { type AppendOptions, appendFiles, createTable, writeRows } from '../../../libs/delta/write';
import { encodeTable } from '../../../libs/parquet/encode';
import { TABLE_COLUMNS, type UserRow } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import type { ListOptions, ObjectStore } from '../../../libs/storage/types';
import { makeTempDir } from '../../helpers/temp-dir';

const columns = TABLE_COLUMNS.user;
const user = (ind: number): UserRow => ({
  ind,
  user_name: `user ${ind}`,
  age: 30,
  date_joined: new Date(Date.UTC(2016, 0, 1)),
  source: `kinesis:s:shardId-0:${ind}`,
  ingested_at: new Date(Date.UTC(2024, 0, 1)),
});

/** The file store, counting requests by kind and the commits that found their version taken. */
class CountingStore implements ObjectStore {
  gets: string[] = [];
  lists: string[] = [];
  lostRaces = 0;
  constructor(private readonly inner: FileStore) {}
  get uri() {
    return this.inner.uri;
  }
  get(key: string) {
    this.gets.push(key);
    return this.inner.get(key);
  }
  put(key: string, body: Uint8Array | string) {
    return this.inner.put(key, body);
  }
  async putIfAbsent(key: string, body: Uint8Array | string) {
    const created = await this.inner.putIfAbsent(key, body);
    if (!created && key.includes('_delta_log/')) this.lostRaces++;
    return created;
  }
  list(prefix: string, options?: ListOptions) {
    this.lists.push(prefix);
    return this.inner.list(prefix, options);
  }
  listFolders(prefix: string) {
    return this.inner.listFolders(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}

let temp: { path: string; cleanup: () => Promise<void> };
let files: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('snapshot-cache');
  files = new FileStore(temp.path);
  await createTable(files, 't', columns);
});
afterEach(() => temp.cleanup());

describe('SnapshotCache', () => {
  test('a warm cache sees a commit another writer made, reading only that commit', async () => {
    // Prepare: this container has seen version 1; another container commits version 2
    const store = new CountingStore(files);
    const cache = new SnapshotCache();
    await writeRows(files, 't', columns, [user(1)], { txn: { appId: 'a', version: 1 } });
    expect((await cache.latest(store, 't')).version).toBe(1);
    await writeRows(files, 't', columns, [user(2)], { txn: { appId: 'b', version: 1 } });
    store.gets = [];
    store.lists = [];

    // Act
    const snapshot = await cache.latest(store, 't');

    // Assess
    expect(snapshot.version).toBe(2);
    expect(snapshot.txns).toStrictEqual({ a: 1, b: 1 });
    expect(snapshot.files).toHaveLength(2);
    expect(store.lists).toStrictEqual(['t/_delta_log/']);
    expect(store.gets).toStrictEqual(['t/_delta_log/00000000000000000002.json']);
  });

  test('a warm cache with nothing new costs one LIST and no read', async () => {
    // Prepare
    const store = new CountingStore(files);
    const cache = new SnapshotCache();
    await writeRows(files, 't', columns, [user(1)]);
    await cache.latest(store, 't');
    store.gets = [];
    store.lists = [];

    // Act
    const snapshot = await cache.latest(store, 't');

    // Assess
    expect(snapshot.version).toBe(1);
    expect(store.lists).toHaveLength(1);
    expect(store.gets).toStrictEqual([]);
  });

  test('equals a snapshot loaded from scratch after commits and a checkpoint', async () => {
    // Prepare: 12 commits (a checkpoint at 10), seen by the cache at 3, 7 and the end
    const cache = new SnapshotCache();
    for (let i = 1; i <= 12; i++) {
      await writeRows(files, 't', columns, [user(i)], { txn: { appId: `w${i % 3}`, version: i } });
      if (i === 3 || i === 7) await cache.latest(files, 't');
    }

    // Act
    const warm = await cache.latest(files, 't');
    const cold = await loadSnapshot(files, 't');

    // Assess
    expect(warm.version).toBe(12);
    expect(warm.txns).toStrictEqual(cold.txns);
    expect(warm.files.map((f) => f.path)).toStrictEqual(cold.files.map((f) => f.path));
  });

  test('a commit from a stale cached snapshot loses the race, reads the winner and lands at the next version', async () => {
    // Prepare: the cache holds version 1; another writer commits version 2 meanwhile
    const store = new CountingStore(files);
    const cache = new SnapshotCache();
    await writeRows(files, 't', columns, [user(1)]);
    const stale = await cache.latest(store, 't');
    await writeRows(files, 't', columns, [user(2)], { txn: { appId: 'other', version: 1 } });
    const file = encodeTable(columns, [user(3)]);

    // Act
    const result = await appendFiles(store, 't', [file], {
      snapshot: stale,
      txn: { appId: 'mine', version: 1 },
    });

    // Assess
    expect(result.status).toBe('committed');
    expect(result.status === 'committed' && result.version).toBe(3);
    expect(store.lostRaces).toBe(1);
    expect((await loadSnapshot(files, 't')).txns).toStrictEqual({ other: 1, mine: 1 });
  });

  test('a stale snapshot whose own app id moved on is refused, not committed twice', async () => {
    // Prepare: the cache holds the shard at version 1; another invocation of it commits version 2
    const cache = new SnapshotCache();
    await writeRows(files, 't', columns, [user(1)], { txn: { appId: 'shard', version: 1 } });
    const stale = await cache.latest(files, 't');
    await writeRows(files, 't', columns, [user(2)], { txn: { appId: 'shard', version: 2 } });
    const options: AppendOptions = { snapshot: stale, txn: { appId: 'shard', version: 2 } };

    // Act
    const result = await appendFiles(files, 't', [encodeTable(columns, [user(2)])], options);

    // Assess
    expect(result).toStrictEqual({ status: 'duplicate', version: 2, appId: 'shard', recordedVersion: 2 });
    expect((await loadSnapshot(files, 't')).files).toHaveLength(2);
  });

  test('twelve concurrent writers with warm caches all commit, with lost races retried', async () => {
    // Prepare
    const store = new CountingStore(files);
    const writers = Array.from({ length: 12 }, (_, i) => ({ id: i, cache: new SnapshotCache() }));

    // Act: three rounds, every writer at once
    for (let round = 1; round <= 3; round++) {
      await Promise.all(
        writers.map(async ({ id, cache }) => {
          const snapshot = await cache.latest(store, 't');
          const result = await appendFiles(store, 't', [encodeTable(columns, [user(id * 10 + round)])], {
            snapshot,
            txn: { appId: `shard-${id}`, version: round },
          });
          if (result.status === 'committed') cache.remember(store, result.snapshot);
        }),
      );
    }

    // Assess
    const final = await loadSnapshot(files, 't');
    expect(final.version).toBe(36);
    expect(Object.values(final.txns)).toStrictEqual(Array(12).fill(3));
    expect(final.files).toHaveLength(36);
    expect(store.lostRaces).toBeGreaterThan(0);
  });
});
