import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTable, loadSnapshot, optimize, type Snapshot, writeRows } from '../../../libs/delta';
import { type GeoRow, TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

// tests/helpers/delta_log_replay.py reads our logs with code written from the Delta protocol alone,
// sharing nothing with libs/delta: what we write must satisfy a reader that is not ours.
const REPLAY = join(__dirname, '../../helpers/delta_log_replay.py');

interface Replayed {
  version: number;
  protocol: unknown;
  partitionColumns: string[];
  schema: unknown;
  files: string[];
  numRecords: number;
  txns: Record<string, number>;
}

function replay(tableDir: string): Replayed {
  const result = spawnSync('python3', [REPLAY, tableDir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`independent replay rejected the log:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Replayed;
}

function ours(snapshot: Snapshot): Replayed {
  return {
    version: snapshot.version,
    protocol: snapshot.protocol,
    partitionColumns: [...snapshot.partitionColumns],
    schema: snapshot.schema,
    files: snapshot.files.map((f) => f.path),
    numRecords: snapshot.files.reduce((sum, f) => sum + (f.stats?.numRecords ?? 0), 0),
    txns: { ...snapshot.txns },
  };
}

const geo = (ind: number, country: string | null): GeoRow => ({
  ind,
  country,
  coordinates: [ind % 90, -(ind % 180)],
  timestamp: new Date(Date.UTC(2020, 7, 28, 3, 52, ind % 60)),
  source: `kinesis:streaming-pinlake-geo:shardId-000000000000:${1000 + ind}`,
  ingested_at: new Date(Date.UTC(2026, 10, 22)),
});

describe('Our Delta logs, read by an independent reader', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    dir = await makeTempDir('independent-reader');
    store = new FileStore(dir.path);
  });
  afterEach(() => dir.cleanup());

  it('replays a streaming table with txns, checkpoints and a compaction to the same state as ours', async () => {
    // Prepare: 14 commits (a checkpoint at 10), then OPTIMIZE
    await createTable(store, 'tables/stream/geo', TABLE_COLUMNS.geo);
    for (let i = 0; i < 14; i++) {
      const rows = Array.from({ length: 3 }, (_, j) => geo(i * 3 + j, 'Albania'));
      await writeRows(store, 'tables/stream/geo', TABLE_COLUMNS.geo, rows, {
        txn: {
          appId: `kinesis:streaming-pinlake-geo:shardId-00000000000${i % 2}`,
          version: Math.floor(i / 2) + 1,
        },
        tags: { hwm: String(1000 + i * 3 + 2) },
      });
    }
    await optimize(store, 'tables/stream/geo', { targetSize: 1 << 20 });

    // Act
    const independent = replay(join(dir.path, 'tables/stream/geo'));

    // Assess
    const snapshot = await loadSnapshot(store, 'tables/stream/geo');
    expect(independent).toStrictEqual(ours(snapshot));
    expect(independent.numRecords).toBe(42);
    expect(independent.files).toHaveLength(1);
  });

  it('replays a table partitioned by values that need escaping in paths', async () => {
    // Prepare
    await createTable(store, 'tables/geo-by-country', TABLE_COLUMNS.geo, { partitionColumns: ['country'] });
    const countries = ['Cocos (Keeling) Islands', 'a/b%20c', 'Côte d’Ivoire', null];
    await writeRows(
      store,
      'tables/geo-by-country',
      TABLE_COLUMNS.geo,
      countries.map((c, i) => geo(i, c)),
    );
    await writeRows(store, 'tables/geo-by-country', TABLE_COLUMNS.geo, [geo(9, 'a/b%20c')]);

    // Act
    const independent = replay(join(dir.path, 'tables/geo-by-country'));

    // Assess
    const snapshot = await loadSnapshot(store, 'tables/geo-by-country');
    expect(independent).toStrictEqual(ours(snapshot));
    expect(independent.files).toHaveLength(5);
    expect(independent.numRecords).toBe(5);
  });
});
