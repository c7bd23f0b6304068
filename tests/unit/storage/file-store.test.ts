import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

describe('FileStore', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    dir = await makeTempDir('file-store');
    store = new FileStore(dir.path);
  });
  afterEach(() => dir.cleanup());

  it('returns undefined for a missing key and the bytes for a written one', async () => {
    // Prepare
    await store.put('a/b/c.json', '{"x":1}');

    // Act
    const missing = await store.get('a/b/none.json');
    const found = await store.get('a/b/c.json');

    // Assess
    expect(missing).toBeUndefined();
    expect(Buffer.from(found!).toString()).toBe('{"x":1}');
  });

  it('lets exactly one of many concurrent putIfAbsent calls create a key', async () => {
    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.putIfAbsent('log/00.json', `writer ${i}`)),
    );

    // Assess
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(Buffer.from((await store.get('log/00.json'))!).toString()).toBe(`writer ${winner}`);
  });

  it('lists keys under a prefix in key order, leaving out temporary files and other prefixes', async () => {
    // Prepare
    await store.put('t/_delta_log/00000000000000000001.json', '1');
    await store.put('t/_delta_log/00000000000000000000.json', '0');
    await store.put('t/part-1.parquet', 'p');
    await store.put('u/_delta_log/00000000000000000000.json', 'u');

    // Act
    const keys = (await store.list('t/_delta_log/')).map((o) => o.key);
    const partial = (await store.list('t/part')).map((o) => o.key);

    // Assess
    expect(keys).toStrictEqual([
      't/_delta_log/00000000000000000000.json',
      't/_delta_log/00000000000000000001.json',
    ]);
    expect(partial).toStrictEqual(['t/part-1.parquet']);
  });

  it('deletes a key, and deleting a missing key is not an error', async () => {
    // Prepare
    await store.put('x.json', 'x');

    // Act
    await store.delete('x.json');
    await store.delete('never.json');

    // Assess
    expect(await store.get('x.json')).toBeUndefined();
  });
});
