import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, setChaos } from '../../../libs/chaos';
import { commitStaged, listStaged, loadSnapshot, SnapshotCache } from '../../../libs/delta';
import { maintainTables } from '../../../libs/maintenance';
import { FileStore, type ObjectStore, StorageError } from '../../../libs/storage';
import { createCommitStagedHandler, writeKinesisBatch } from '../../../libs/stream-to-delta';
import { createLambdaContext } from '../../../local/pollers';
import { makeTempDir } from '../../helpers/temp-dir';
import { kinesisEvent, quietHandler, readTable, scripted, silentLogger, user } from './support';

// Exactly once with group commits (STREAM_COMMIT_MODE=staged, libs/delta/staging.ts) under Lambda's
// failure modes and the committer's, on a real file lake: every test reads the table back through our
// reader and compares its rows' sources with the records sent, each once.
const TABLE = 'tables/stream/user';
const SHARD_0 = 'shardId-000000000000';
const SHARD_1 = 'shardId-000000000001';
const APP_0 = `kinesis:streaming-pinlake-user:${SHARD_0}`;
const BASE = 49656828193450211357423096251247349155938093436617760000n;
const records = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: BASE + BigInt(from + i), data: user(from + i) }));
const usersEvent = (shardId: string, from: number, to: number) =>
  kinesisEvent('user', shardId, records(from, to));
const sourcesOf = (shardId: string, from: number, to: number) =>
  records(from, to).map((r) => `kinesis:streaming-pinlake-user:${shardId}:${r.seq}`);
const sources = async (store: ObjectStore) => (await readTable(store, 'user')).rows.map((r) => r.source);

/** The real file store, with a hook that runs before a manifest is created (to interleave a race). */
class HookedStore extends FileStore {
  beforeManifest: ((key: string) => Promise<void>) | undefined;

  override async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    const hook = this.beforeManifest;
    if (hook && key.includes('/_staging/')) {
      this.beforeManifest = undefined;
      await hook(key);
    }
    return super.putIfAbsent(key, body);
  }
}

describe('stream-to-delta exactly once with group commits (staged mode)', () => {
  let lake: { path: string; cleanup: () => Promise<void> };
  let store: HookedStore;
  let handler: ReturnType<typeof quietHandler>;

  beforeEach(async () => {
    lake = await makeTempDir('s2d-staged');
    store = new HookedStore(lake.path);
    handler = quietHandler(store, undefined, 'staged');
  });

  afterEach(async () => {
    setChaos(undefined);
    await lake.cleanup();
  });

  const commit = () => commitStaged(store, TABLE);
  const staged = async () =>
    (await listStaged(store, TABLE)).map((e) => `${e.appId.split(':')[2]}/${e.version}`);
  const dataFiles = async () =>
    (await readdir(join(lake.path, TABLE))).filter((f) => f.endsWith('.parquet')).length;

  it('stages a batch without a commit; one committer commit makes both shards visible and empties the staging', async () => {
    // Prepare
    const outcome = await writeKinesisBatch(usersEvent(SHARD_0, 1, 5), {
      store,
      pipelineId: 'pinlake',
      commitMode: 'staged',
    });
    await handler(usersEvent(SHARD_0, 6, 8));
    await handler(usersEvent(SHARD_1, 1, 4));
    const before = await readTable(store, 'user');
    const stagedBefore = await staged();

    // Act
    const cycle = await commit();

    // Assess
    expect([outcome.status, outcome.rowsWritten, outcome.version]).toStrictEqual(['staged', 5, undefined]);
    expect(before).toStrictEqual({ version: 1, rows: [] });
    expect(stagedBefore).toStrictEqual([`${SHARD_0}/1`, `${SHARD_0}/2`, `${SHARD_1}/1`]);
    expect(cycle).toStrictEqual({ version: 2, manifests: 3, files: 3, rows: 12, deleted: 3, waiting: 0 });
    expect(await staged()).toStrictEqual([]);
    expect((await loadSnapshot(store, TABLE)).txns).toStrictEqual({
      [APP_0]: 2,
      [`kinesis:streaming-pinlake-user:${SHARD_1}`]: 1,
    });
    expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 8), ...sourcesOf(SHARD_1, 1, 4)]);
  });

  it('drops a redelivered batch while it is staged and after it is committed, and writes the new part of an overlapping one', async () => {
    // Prepare
    await handler(usersEvent(SHARD_0, 1, 10));

    // Act
    const whileStaged = await writeKinesisBatch(usersEvent(SHARD_0, 1, 10), {
      store,
      pipelineId: 'pinlake',
      commitMode: 'staged',
    });
    await handler(usersEvent(SHARD_0, 6, 15));
    await commit();
    const afterCommit = await writeKinesisBatch(usersEvent(SHARD_0, 1, 15), {
      store,
      pipelineId: 'pinlake',
      commitMode: 'staged',
    });
    await commit();

    // Assess
    expect([whileStaged.status, whileStaged.skipped]).toStrictEqual(['nothing-new', 10]);
    expect([afterCommit.status, afterCommit.skipped]).toStrictEqual(['nothing-new', 15]);
    expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 15));
  });

  it('stages the batch once when the first delivery crashes after the Parquet upload, before the manifest', async () => {
    // Prepare
    setChaos(0.5, scripted([0]));

    // Act
    const crashed = handler(usersEvent(SHARD_0, 1, 5));
    await expect(crashed).rejects.toStrictEqual(new ChaosError('stream-to-delta:after-upload'));
    const stagedAfterCrash = await staged();
    const response = await handler(usersEvent(SHARD_0, 1, 5));
    await commit();

    // Assess
    expect(stagedAfterCrash).toStrictEqual([]);
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 5));
    expect(await dataFiles()).toBe(2); // the crashed upload is an orphan until vacuum
  });

  it.each([
    ['after the manifest', 'stream-to-delta:after-stage', [0.9, 0]],
    ['before the reply', 'stream-to-delta:before-reply', [0.9, 0.9, 0]],
  ])(
    'stages the batch once when the first delivery crashes %s (the retry finds it)',
    async (_when, step, randoms) => {
      // Prepare
      setChaos(0.5, scripted(randoms));

      // Act
      await expect(handler(usersEvent(SHARD_0, 1, 5))).rejects.toStrictEqual(new ChaosError(step));
      const retry = await writeKinesisBatch(usersEvent(SHARD_0, 1, 5), {
        store,
        pipelineId: 'pinlake',
        commitMode: 'staged',
      });
      await commit();

      // Assess
      expect(retry.status).toBe('nothing-new');
      expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 5));
      expect(await dataFiles()).toBe(1);
    },
  );

  it('writes each record once when two invocations of the same shard race with overlapping batches', async () => {
    // Prepare
    await handler(usersEvent(SHARD_0, 1, 2));

    // Act
    const responses = await Promise.all([
      handler(usersEvent(SHARD_0, 1, 10)),
      handler(usersEvent(SHARD_0, 3, 6)),
      handler(usersEvent(SHARD_0, 1, 14)),
    ]);
    await commit();

    // Assess
    expect(responses).toStrictEqual(Array(3).fill({ batchItemFailures: [] }));
    expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 14));
  });

  it('stages again when its manifest key was staged, committed and deleted by others after it read the table', async () => {
    // Prepare: the first invocation reads the table (nothing staged), then, before it creates manifest 1,
    // a second invocation of the shard stages 1–10 as version 1 and the committer commits and deletes it.
    const second = quietHandler(new FileStore(lake.path), undefined, 'staged');
    store.beforeManifest = async () => {
      await second(usersEvent(SHARD_0, 1, 10));
      await commitStaged(new FileStore(lake.path), TABLE);
    };

    // Act: the first creates the free key 1 again; it must not count on a manifest the committer drops
    const response = await handler(usersEvent(SHARD_0, 1, 14));
    const cycle = await commit();

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(cycle).toStrictEqual({ version: 3, manifests: 1, files: 1, rows: 4, deleted: 2, waiting: 0 });
    expect((await loadSnapshot(store, TABLE)).txns).toStrictEqual({ [APP_0]: 2 });
    expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 14));
  });

  it('deletes the manifests a committer killed between its commit and its deletes left, and commits nothing twice', async () => {
    // Prepare
    await handler(usersEvent(SHARD_0, 1, 5));
    await handler(usersEvent(SHARD_1, 1, 5));
    const committer = createCommitStagedHandler({ store, logger: silentLogger(), commitMode: 'staged' });
    const context = createLambdaContext({ functionName: 'commit-staged', timeoutMs: 60_000 });
    setChaos(0.5, scripted([0]));

    // Act: killed after its commit; then a redelivery overlapping what it committed, with new records
    const killed = committer({ untilIdle: true }, context);
    await expect(killed).rejects.toStrictEqual(new ChaosError('commit-staged:after-commit'));
    const left = await staged();
    await handler(usersEvent(SHARD_0, 1, 9));
    const next = await commit();
    const again = await commit();

    // Assess
    expect(left).toStrictEqual([`${SHARD_0}/1`, `${SHARD_1}/1`]);
    expect(next).toStrictEqual({ version: 3, manifests: 1, files: 1, rows: 4, deleted: 3, waiting: 0 });
    expect(again).toStrictEqual({
      version: undefined,
      manifests: 0,
      files: 0,
      rows: 0,
      deleted: 0,
      waiting: 0,
    });
    expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 9), ...sourcesOf(SHARD_1, 1, 5)]);
  });

  it('commits every staged batch once when two committers race, round after round, with writers staging meanwhile', async () => {
    // Prepare
    const shards = [SHARD_0, SHARD_1, 'shardId-000000000002', 'shardId-000000000003'];
    const committers = [new SnapshotCache(), new SnapshotCache()];

    // Act
    for (let round = 0; round < 6; round++) {
      const writes = shards.map((shard) => handler(usersEvent(shard, round * 5 + 1, round * 5 + 5)));
      await Promise.all([
        ...writes,
        ...committers.map((snapshots) => commitStaged(new FileStore(lake.path), TABLE, { snapshots })),
      ]);
    }
    await commit();

    // Assess
    expect(await staged()).toStrictEqual([]);
    const snapshot = await loadSnapshot(store, TABLE);
    expect(snapshot.txns).toStrictEqual(
      Object.fromEntries(shards.map((shard) => [`kinesis:streaming-pinlake-user:${shard}`, 6])),
    );
    expect(await sources(store)).toStrictEqual(shards.flatMap((shard) => sourcesOf(shard, 1, 30)));
  });

  it('commits at most maxManifests batches a cycle and the rest in the next cycles, in order', async () => {
    // Prepare
    for (let i = 0; i < 3; i++) await handler(usersEvent(SHARD_0, i * 2 + 1, i * 2 + 2));
    await handler(usersEvent(SHARD_1, 1, 2));

    // Act
    const cycles = [];
    for (let i = 0; i < 3; i++) cycles.push(await commitStaged(store, TABLE, { maxManifests: 2 }));

    // Assess
    expect(cycles).toStrictEqual([
      { version: 2, manifests: 2, files: 2, rows: 4, deleted: 2, waiting: 2 },
      { version: 3, manifests: 2, files: 2, rows: 4, deleted: 2, waiting: 0 },
      { version: undefined, manifests: 0, files: 0, rows: 0, deleted: 0, waiting: 0 },
    ]);
    expect((await loadSnapshot(store, TABLE)).txns).toStrictEqual({
      [APP_0]: 3,
      [`kinesis:streaming-pinlake-user:${SHARD_1}`]: 1,
    });
    expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 6), ...sourcesOf(SHARD_1, 1, 2)]);
  });

  it('waits at a gap: a version staged after a missing one is committed only with it', async () => {
    // Prepare: versions 1 and 2 of shard 0 staged, then manifest 1 taken away (as if its create had
    // not landed yet), and version 1 of shard 1
    await handler(usersEvent(SHARD_0, 1, 5));
    await handler(usersEvent(SHARD_0, 6, 10));
    await handler(usersEvent(SHARD_1, 1, 3));
    const [first] = await listStaged(store, TABLE, APP_0);
    const manifest = (await store.get(first!.key))!;
    await store.delete(first!.key);

    // Act
    const atGap = await commit();
    const rowsAtGap = await sources(store);
    await store.putIfAbsent(first!.key, manifest);
    const afterGap = await commit();

    // Assess
    expect(atGap).toStrictEqual({ version: 2, manifests: 1, files: 1, rows: 3, deleted: 1, waiting: 1 });
    expect(rowsAtGap).toStrictEqual(sourcesOf(SHARD_1, 1, 3));
    expect(afterGap).toStrictEqual({ version: 3, manifests: 2, files: 2, rows: 10, deleted: 2, waiting: 0 });
    expect((await loadSnapshot(store, TABLE)).txns[APP_0]).toBe(2);
    expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 10), ...sourcesOf(SHARD_1, 1, 3)]);
  });

  describe('with the small files of a group merged before the commit', () => {
    const merge = { belowBytes: 1 << 20, targetBytes: 1 << 30, maxBytes: 1 << 30 };
    const tag = (shard: string) => `pinlake.kinesis.streaming-pinlake-user.${shard}.hwm`;

    it('commits three batches of two shards as one file that keeps each high-water mark, so redeliveries stay dropped', async () => {
      // Prepare
      const batches = [usersEvent(SHARD_0, 1, 5), usersEvent(SHARD_1, 1, 4), usersEvent(SHARD_0, 6, 9)];
      for (const batch of batches) await handler(batch);

      // Act
      const cycle = await commitStaged(store, TABLE, { merge });
      const again = [];
      for (const batch of batches) {
        again.push(
          (await writeKinesisBatch(batch, { store, pipelineId: 'pinlake', commitMode: 'staged' })).status,
        );
      }
      await handler(usersEvent(SHARD_1, 3, 7));
      const next = await commitStaged(store, TABLE, { merge });

      // Assess
      expect(cycle).toStrictEqual({ version: 2, manifests: 3, files: 1, rows: 13, deleted: 3, waiting: 0 });
      expect(again).toStrictEqual(['nothing-new', 'nothing-new', 'nothing-new']);
      expect(next).toStrictEqual({ version: 3, manifests: 1, files: 1, rows: 3, deleted: 1, waiting: 0 });
      const snapshot = await loadSnapshot(store, TABLE);
      const tags = snapshot.files.map((f) => f.tags);
      expect(tags.sort((a, b) => Object.keys(b).length - Object.keys(a).length)).toStrictEqual([
        { [tag(SHARD_0)]: String(BASE + 9n), [tag(SHARD_1)]: String(BASE + 4n) },
        { [tag(SHARD_1)]: String(BASE + 7n) },
      ]);
      expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 9), ...sourcesOf(SHARD_1, 1, 7)]);
    });

    it('writes each row once when the commit after the merge fails and when two merging committers race', async () => {
      // Prepare
      for (const shard of [SHARD_0, SHARD_1]) await handler(usersEvent(shard, 1, 3));
      const failing = new (class extends FileStore {
        override putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
          if (key.includes('/_delta_log/')) return Promise.reject(new StorageError(`injected: ${key}`));
          return super.putIfAbsent(key, body);
        }
      })(lake.path);

      // Act
      const failed = commitStaged(failing, TABLE, { merge });
      await expect(failed).rejects.toThrow(StorageError);
      for (const shard of [SHARD_0, SHARD_1]) await handler(usersEvent(shard, 4, 6));
      const racing = await Promise.all([
        commitStaged(new FileStore(lake.path), TABLE, { merge, snapshots: new SnapshotCache() }),
        commitStaged(new FileStore(lake.path), TABLE, { merge, snapshots: new SnapshotCache() }),
      ]);
      await commitStaged(store, TABLE, { merge });

      // Assess
      expect(racing.filter((r) => r.version !== undefined).length).toBeGreaterThan(0);
      expect(await staged()).toStrictEqual([]);
      expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 6), ...sourcesOf(SHARD_1, 1, 6)]);
    });
  });

  it('keeps staged files and manifests through compaction and a vacuum with no retention; an upload never staged is vacuumed', async () => {
    // Prepare: two committed batches (to compact), one staged, one upload whose manifest was never made
    await handler(usersEvent(SHARD_0, 1, 4));
    await handler(usersEvent(SHARD_1, 1, 4));
    await commit();
    await handler(usersEvent(SHARD_0, 5, 8));
    setChaos(0.5, scripted([0]));
    await expect(handler(usersEvent(SHARD_1, 5, 8))).rejects.toThrow(ChaosError);
    setChaos(undefined);
    const stagedBefore = await staged();

    // Act
    const [upkeep] = await maintainTables(store, { prefix: 'tables/stream/', retentionHours: 0 });
    const stagedAfterUpkeep = await staged();
    const rowsAfterUpkeep = await sources(store);
    await handler(usersEvent(SHARD_1, 5, 8));
    await commit();

    // Assess
    expect(stagedBefore).toStrictEqual([`${SHARD_0}/2`]);
    expect([upkeep?.filesCompacted, upkeep?.filesVacuumed]).toStrictEqual([2, 3]);
    expect(stagedAfterUpkeep).toStrictEqual(stagedBefore);
    expect(rowsAfterUpkeep).toStrictEqual([...sourcesOf(SHARD_0, 1, 4), ...sourcesOf(SHARD_1, 1, 4)]);
    expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 8), ...sourcesOf(SHARD_1, 1, 8)]);
  });

  describe('switching modes while a deploy rolls out (old and new code take turns on a shard)', () => {
    it('a direct invocation after a staged one of its shard commits the staged batch with its own, each row once', async () => {
      // Prepare: the staged code stages a batch of shard 0; the direct code takes the next batch
      const direct = quietHandler(store);
      await handler(usersEvent(SHARD_0, 1, 4));
      await handler(usersEvent(SHARD_1, 1, 3));

      // Act
      await direct(usersEvent(SHARD_0, 5, 7));
      const afterDirect = await sources(store);
      const cycle = await commit();

      // Assess: shard 0's staged batch is in the direct commit; the committer then commits shard 1's
      expect(afterDirect).toStrictEqual(sourcesOf(SHARD_0, 1, 7));
      expect(cycle.manifests).toBe(1);
      expect(await sources(store)).toStrictEqual([...sourcesOf(SHARD_0, 1, 7), ...sourcesOf(SHARD_1, 1, 3)]);
      expect(await staged()).toStrictEqual([]);
      expect((await loadSnapshot(store, TABLE)).txns[APP_0]).toBe(2);
    });

    it('a redelivered staged batch taken by the direct code is dropped, and the next one kept', async () => {
      // Prepare: staged, then Lambda delivers the same records again to the direct code, then more
      const direct = quietHandler(store);
      await handler(usersEvent(SHARD_0, 1, 4));

      // Act
      await direct(usersEvent(SHARD_0, 1, 6));
      await commit();
      await direct(usersEvent(SHARD_0, 5, 9));

      // Assess
      expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 9));
      expect(await staged()).toStrictEqual([]);
    });

    it('a staged invocation after a direct one counts the direct commit', async () => {
      // Prepare
      const direct = quietHandler(store);
      await direct(usersEvent(SHARD_0, 1, 3));

      // Act
      await handler(usersEvent(SHARD_0, 3, 6));
      await commit();

      // Assess
      expect(await sources(store)).toStrictEqual(sourcesOf(SHARD_0, 1, 6));
      expect((await loadSnapshot(store, TABLE)).txns[APP_0]).toBe(2);
    });
  });
});
