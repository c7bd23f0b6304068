import type { ObjectStore } from '../../../libs/storage';

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

/**
 * The behaviour every ObjectStore must share, run against each implementation. `open` gives a
 * fresh, empty store for every test and a cleanup for afterwards.
 */
export function describeObjectStoreContract(
  name: string,
  open: () => Promise<{ store: ObjectStore; cleanup: () => Promise<void> }>,
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
