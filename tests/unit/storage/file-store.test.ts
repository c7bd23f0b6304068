import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { describeObjectStoreContract } from './object-store-contract';

describeObjectStoreContract('FileStore', async () => {
  const dir = await makeTempDir('file-store');
  return { store: new FileStore(dir.path), cleanup: dir.cleanup };
});

describe('FileStore', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    dir = await makeTempDir('file-store');
    store = new FileStore(dir.path);
  });
  afterEach(() => dir.cleanup());

  it('writes into a folder removed by someone else since its last write there', async () => {
    // Prepare
    await store.put('tables/t/part-0.parquet', 'zero');
    await rm(join(dir.path, 'tables', 't'), { recursive: true });

    // Act
    await store.put('tables/t/part-1.parquet', 'one');
    const created = await store.putIfAbsent('tables/t/_delta_log/00.json', 'commit');

    // Assess
    expect(Buffer.from((await store.get('tables/t/part-1.parquet'))!).toString()).toBe('one');
    expect(created).toBe(true);
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

  it('leaves its temporary files out of listings and removes them after a lost create', async () => {
    // Prepare
    await store.put('log/00.json', 'first');

    // Act
    const created = await store.putIfAbsent('log/00.json', 'second');
    const listed = await store.list('log/');

    // Assess
    expect(created).toBe(false);
    expect(listed.map((o) => o.key)).toStrictEqual(['log/00.json']);
    expect(await readdir(join(dir.path, 'log'))).toStrictEqual(['00.json']);
  });

  it('accepts a file:// URI as its root and reports it back as one', () => {
    // Act
    const fromUri = new FileStore(`file://${dir.path}`);

    // Assess
    expect(fromUri.root).toBe(dir.path);
    expect(fromUri.uri).toBe(`file://${dir.path}`);
  });
});
