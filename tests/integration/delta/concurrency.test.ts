import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commit } from '../../../libs/delta/commit';
import { ConcurrentTransactionError } from '../../../libs/delta/errors';
import { readCommit } from '../../../libs/delta/log';
import { vacuum } from '../../../libs/delta/maintenance';
import { readRows } from '../../../libs/delta/read';
import { ReplayState, snapshotOf } from '../../../libs/delta/replay';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { createTable, writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import { makeTempDir } from '../../helpers/temp-dir';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');
const WORKER = join(__dirname, 'append-worker.ts');
const columns = TABLE_COLUMNS.user;

function startWorker(root: string, id: number, commits: number, env: Record<string, string> = {}) {
  return run(
    process.execPath,
    [join(ROOT, 'bin/run-ts.js'), WORKER, root, 'tables/user', String(id), String(commits)],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
    },
  );
}

let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-concurrency');
  store = new FileStore(temp.path);
  await createTable(store, 'tables/user', columns);
});
afterEach(() => temp.cleanup());

test('8 writer processes appending 50 commits each lose no commit, leave versions 0..400 contiguous, and versions load as their JSON replay', async () => {
  // Act
  await Promise.all(Array.from({ length: 8 }, (_, id) => startWorker(temp.path, id, 50)));
  // Assess
  const log = (await readdir(join(temp.path, 'tables/user/_delta_log')))
    .filter((n) => n.endsWith('.json'))
    .sort();
  expect(log).toStrictEqual(Array.from({ length: 401 }, (_, v) => `${String(v).padStart(20, '0')}.json`));
  const snapshot = await loadSnapshot(store, 'tables/user');
  expect(snapshot.version).toBe(400);
  expect(snapshot.txns).toStrictEqual(
    Object.fromEntries(Array.from({ length: 8 }, (_, id) => [`writer-${id}`, 50])),
  );
  const inds = (await readRows(store, snapshot)).map((r) => r.ind as number).sort((a, b) => a - b);
  expect(inds).toStrictEqual(
    Array.from({ length: 8 }, (_, id) => Array.from({ length: 50 }, (_, i) => id * 1000 + i + 1)).flat(),
  );
  // Versions on both sides of every checkpoint, and the last ones, load as the JSON commits replayed
  // one by one (every version of a smaller table is compared in tests/unit/delta/writer.test.ts).
  const replay = new ReplayState();
  for (let version = 0; version <= 400; version++) {
    replay.apply(await readCommit(store, 'tables/user', version), version);
    if (version % 10 !== 0 && version % 10 !== 9 && version < 396) continue;
    const loaded = await loadSnapshot(store, 'tables/user', { version });
    const expected = snapshotOf('tables/user', replay.clone());
    expect([loaded.version, loaded.txns, loaded.files.map((f) => [f.path, f.size, f.stats])]).toStrictEqual([
      expected.version,
      expected.txns,
      expected.files.map((f) => [f.path, f.size, f.stats]),
    ]);
  }
}, 60_000);

test('a writer killed between the upload and the commit leaves no visible row, and vacuum later removes its file', async () => {
  // Prepare
  await writeRows(store, 'tables/user', columns, [
    { ind: 1, user_name: 'kept', age: 30, date_joined: null, source: 's', ingested_at: new Date(0) },
  ]);
  // Act
  const crashed = await startWorker(temp.path, 7, 1, { CRASH_AFTER_UPLOAD: '1' }).catch(
    (e: { code: number }) => e,
  );
  const snapshot = await loadSnapshot(store, 'tables/user');
  const dataFiles = (await readdir(join(temp.path, 'tables/user'))).filter((n) => n.endsWith('.parquet'));
  const young = await vacuum(store, 'tables/user');
  const swept = await vacuum(store, 'tables/user', { retentionHours: 0, now: () => Date.now() + 1000 });
  // Assess
  expect((crashed as { code: number }).code).toBe(3);
  expect(snapshot.version).toBe(1);
  expect((await readRows(store, snapshot)).map((r) => r.ind)).toStrictEqual([1]);
  expect(dataFiles).toHaveLength(2);
  const orphan = dataFiles.find((n) => n !== snapshot.files[0]!.path);
  expect(young).toStrictEqual({ deleted: [], dryRun: false, keptYoung: 1 });
  expect(swept).toStrictEqual({ deleted: [orphan], dryRun: false, keptYoung: 0 });
  expect((await readdir(join(temp.path, 'tables/user'))).filter((n) => n.endsWith('.parquet'))).toStrictEqual(
    [snapshot.files[0]!.path],
  );
});

test('two writers racing with the same app id and version resolve to exactly one commit', async () => {
  // Prepare
  const snapshot = await loadSnapshot(store, 'tables/user');
  const txns = [{ appId: 'shard-1', version: 5 }];
  // Act
  const results = await Promise.all([
    commit(store, 'tables/user', [], { snapshot, txns }),
    commit(store, 'tables/user', [], { snapshot, txns }),
  ]);
  // Assess
  expect(results.map((r) => r.status).sort()).toStrictEqual(['committed', 'duplicate']);
  const after = await loadSnapshot(store, 'tables/user');
  expect(after.version).toBe(1);
  expect(after.txns).toStrictEqual({ 'shard-1': 5 });
});

test('a racing writer that recorded the same app id at another version fails with ConcurrentTransactionError', async () => {
  // Prepare
  const snapshot = await loadSnapshot(store, 'tables/user');
  await commit(store, 'tables/user', [], { snapshot, txns: [{ appId: 'shard-1', version: 4 }] });
  // Act
  const loser = commit(store, 'tables/user', [], { snapshot, txns: [{ appId: 'shard-1', version: 5 }] });
  // Assess
  await expect(loser).rejects.toThrow(ConcurrentTransactionError);
  expect((await loadSnapshot(store, 'tables/user')).version).toBe(1);
});
