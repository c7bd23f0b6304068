import { join } from 'node:path';
import { runAnalytics } from '../../../libs/analytics';
import { writeRows } from '../../../libs/delta';
import {
  cleanTablePath,
  ensureCleanTable,
  onFailureKey,
  readLakeInventory,
  writeQuarantine,
} from '../../../libs/lake';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from '../analytics/batch-lake';

describe('Function: readLakeInventory()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let lake = 0;

  beforeAll(async () => {
    dir = await makeTempDir('lake-inventory');
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  const freshStore = () => {
    lake += 1;
    return new FileStore(join(dir.path, `lake-${lake}`));
  };

  it('counts rows and the latest ingest per clean table, and quarantined records per origin', async () => {
    // Prepare
    const store = freshStore();
    const tables = cleanPosts({ posts: 40, seed: 5, poolSize: 100 });
    await ensureCleanTable(store, 'stream', 'geo');
    await writeRows(store, cleanTablePath('stream', 'geo'), TABLE_COLUMNS.geo, tables.geo.slice(0, 30));
    await writeRows(store, cleanTablePath('stream', 'geo'), TABLE_COLUMNS.geo, tables.geo.slice(30));
    await ensureCleanTable(store, 'stream', 'user');
    const quarantined = (origin: string, name: string) => ({
      origin,
      name,
      reason: 'not JSON: Unexpected token',
      source: `${origin}:${name}`,
      receivedAt: new Date('2026-03-01T10:00:00Z'),
      bytes: new TextEncoder().encode('{oops'),
    });
    await writeQuarantine(store, [
      quarantined('streaming-pinlake-pin', 'a'),
      quarantined('streaming-pinlake-pin', 'b'),
      quarantined('pinlake.user', 'c'),
    ]);
    await store.put(onFailureKey('stream-to-delta', new Date('2026-03-01T10:00:00Z'), 'shard-1-2'), '{}\n');

    // Act
    const inventory = await readLakeInventory(store);

    // Assess
    expect(inventory).toStrictEqual({
      tables: {
        'batch/pin': 0,
        'batch/geo': 0,
        'batch/user': 0,
        'stream/pin': 0,
        'stream/geo': 40,
        'stream/user': 0,
      },
      freshness: {
        'batch/pin': null,
        'batch/geo': null,
        'batch/user': null,
        'stream/pin': null,
        'stream/geo': new Date('2024-06-01T00:00:39.000Z'),
        'stream/user': null,
      },
      quarantined: { 'pinlake.user': 1, 'streaming-pinlake-pin': 2 },
      onFailure: 1,
    });
  });

  it('counts the result tables present, by their label, when asked to', async () => {
    // Prepare
    const store = freshStore();
    const posts = cleanPosts({ posts: 120, seed: 3, poolSize: 100 });
    await writeBatchTables(store, posts);
    await runAnalytics(store, { now: new Date('2026-03-01T02:30:00Z'), threads: 1 });

    // Act
    const without = await readLakeInventory(store);
    const withResults = await readLakeInventory(store, { resultTables: true });

    // Assess
    expect(Object.keys(without.tables)).toHaveLength(6);
    expect(without.tables['batch/pin']).toBe(posts.pin.length);
    const results = Object.keys(withResults.tables).filter((label) => label.startsWith('analytics/'));
    expect(results).toHaveLength(9);
    expect(results).toStrictEqual([...results].sort());
    expect(withResults.tables['analytics/top_category_by_country']).toBeGreaterThan(0);
    expect(Object.keys(withResults.freshness)).toHaveLength(6);
  });
});
