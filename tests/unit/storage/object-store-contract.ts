import type { ObjectStore } from '../../../libs/storage';

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

/** Listing features a stand-in lacks, so the contract leaves them to tests against S3's reply shapes. */
export interface StandInGaps {
  /** `MaxKeys` below the number of keys (s3rver 3.7 answers InternalError). */
  readonly limitedListing?: boolean;
  /**
   * Folders that hold only folders, or sit beside objects (s3rver 3.7 lists a folder only when an
   * object sits directly in it, and none when objects sit beside them).
   */
  readonly nestedFolders?: boolean;
}

/**
 * The behaviour every ObjectStore must share, run against each implementation. `open` gives a
 * fresh, empty store for every test and a cleanup for afterwards.
 */
export function describeObjectStoreContract(
  name: string,
  open: () => Promise<{ store: ObjectStore; cleanup: () => Promise<void> }>,
  gaps: StandInGaps = {},
): void {
  describe(`${name} (ObjectStore contract)`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(() => cleanup());

    it('returns undefined for a missing key', async () => {
      // Act
      const missing = await store.get('a/b/none.json');

      // Assess
      expect(missing).toBeUndefined();
    });

    it('gives back the exact bytes put, for binary and text bodies', async () => {
      // Prepare
      const binary = new Uint8Array([0, 1, 2, 253, 254, 255]);

      // Act
      await store.put('data/part-1.parquet', binary);
      await store.put('log/00.json', '{"add":{"path":"ü 🎉"}}\n');

      // Assess
      expect(Buffer.from((await store.get('data/part-1.parquet'))!)).toStrictEqual(Buffer.from(binary));
      expect(text(await store.get('log/00.json'))).toBe('{"add":{"path":"ü 🎉"}}\n');
    });

    it('replaces an object on a second put', async () => {
      // Prepare
      await store.put('x.json', 'first');

      // Act
      await store.put('x.json', 'second');

      // Assess
      expect(text(await store.get('x.json'))).toBe('second');
    });

    it('creates a key once with putIfAbsent and never overwrites it', async () => {
      // Act
      const first = await store.putIfAbsent('t/_delta_log/00000000000000000000.json', 'winner');
      const second = await store.putIfAbsent('t/_delta_log/00000000000000000000.json', 'loser');

      // Assess
      expect([first, second]).toStrictEqual([true, false]);
      expect(text(await store.get('t/_delta_log/00000000000000000000.json'))).toBe('winner');
    });

    it('lists keys under a prefix in key order with their sizes, leaving out other prefixes', async () => {
      // Prepare
      await store.put('t/_delta_log/00000000000000000001.json', '1');
      await store.put('t/_delta_log/00000000000000000000.json', '00');
      await store.put('t/part-1.parquet', 'ppp');
      await store.put('t/sub/dir/deep.parquet', 'dddd');
      await store.put('u/_delta_log/00000000000000000000.json', 'u');
      await store.put('tt.json', 'not under t/');

      // Act
      const log = await store.list('t/_delta_log/');
      const table = await store.list('t/');
      const partial = await store.list('t/part');

      // Assess
      expect(log.map(({ key, size }) => ({ key, size }))).toStrictEqual([
        { key: 't/_delta_log/00000000000000000000.json', size: 2 },
        { key: 't/_delta_log/00000000000000000001.json', size: 1 },
      ]);
      expect(table.map((o) => o.key)).toStrictEqual([
        't/_delta_log/00000000000000000000.json',
        't/_delta_log/00000000000000000001.json',
        't/part-1.parquet',
        't/sub/dir/deep.parquet',
      ]);
      expect(partial.map((o) => o.key)).toStrictEqual(['t/part-1.parquet']);
    });

    it('lists after a key and at most a number of keys, in key order', async () => {
      // Prepare
      for (const version of [0, 1, 2, 3, 4])
        await store.put(`p/_delta_log/${'0'.repeat(19)}${version}.json`, 'v');

      // Act
      const after = await store.list('p/_delta_log/', { startAfter: `p/_delta_log/${'0'.repeat(19)}1.json` });
      const firstTwo = gaps.limitedListing ? undefined : await store.list('p/_delta_log/', { limit: 2 });

      // Assess
      const versionOf = (key: string) => Number(key.slice(-6, -5));
      expect(after.map((o) => versionOf(o.key))).toStrictEqual([2, 3, 4]);
      if (firstTwo !== undefined) expect(firstTwo.map((o) => versionOf(o.key))).toStrictEqual([0, 1]);
    });

    it('lists the folders one level below a prefix without listing what is inside them', async () => {
      // Prepare
      await store.put('tables/batch/pin/_delta_log/00000000000000000000.json', '0');
      await store.put('tables/batch/pin/part-1.parquet', 'p');
      await store.put('tables/stream/geo/_delta_log/00000000000000000000.json', '0');
      if (gaps.nestedFolders) {
        await store.put('tables/batch/marker.json', 'm');
        await store.put('tables/stream/marker.json', 'm');
      } else await store.put('tables/readme.txt', 'not a folder');

      // Act
      const families = await store.listFolders('tables/');
      const batch = await store.listFolders('tables/batch/');
      const none = await store.listFolders('nothing/');

      // Assess
      expect([families, batch, none]).toStrictEqual([
        ['tables/batch/', 'tables/stream/'],
        ['tables/batch/pin/'],
        [],
      ]);
    });

    it('stamps listed objects with a modification time close to now', async () => {
      // Prepare
      const before = Date.now();
      await store.put('stamp.json', 's');

      // Act
      const [info] = await store.list('stamp');

      // Assess
      expect(Math.abs(info!.lastModified - before)).toBeLessThan(60_000);
    });

    it('lists nothing for a prefix with no objects', async () => {
      // Act
      const none = await store.list('nothing/here/');

      // Assess
      expect(none).toStrictEqual([]);
    });

    it('deletes a key, and deleting a missing key is not an error', async () => {
      // Prepare
      await store.put('x.json', 'x');

      // Act
      await store.delete('x.json');
      await store.delete('never.json');

      // Assess
      expect(await store.get('x.json')).toBeUndefined();
      expect(await store.list('x')).toStrictEqual([]);
    });
  });
}
