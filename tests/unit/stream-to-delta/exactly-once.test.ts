import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, setChaos } from '../../../libs/chaos';
import { loadSnapshot, optimize } from '../../../libs/delta';
import { maintainTables } from '../../../libs/maintenance';
import { FileStore } from '../../../libs/storage';
import { KinesisBatchError, writeKinesisBatch } from '../../../libs/stream-to-delta';
import { makeTempDir } from '../../helpers/temp-dir';
import { FaultyStore, kinesisEvent, quietHandler, readTable, scripted, user } from './support';

// Exactly once under Lambda's failure modes (DESIGN §2.4), on a real file lake in a temp dir.
const SHARD_0 = 'shardId-000000000000';
const SHARD_1 = 'shardId-000000000001';
// Sequence numbers longer than any JavaScript number, as Kinesis gives them.
const BASE = 49656828193450211357423096251247349155938093436617760000n;
const records = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: BASE + BigInt(from + i), data: user(from + i) }));
const usersEvent = (shardId: string, from: number, to: number) =>
  kinesisEvent('user', shardId, records(from, to));
const sources = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r.source);
const sourcesOf = (shardId: string, from: number, to: number) =>
  records(from, to).map((r) => `kinesis:streaming-pinlake-user:${shardId}:${r.seq}`);

describe('stream-to-delta exactly once', () => {
  let lake: { path: string; cleanup: () => Promise<void> };
  let store: FileStore;

  beforeEach(async () => {
    lake = await makeTempDir('s2d-exactly-once');
    store = new FileStore(lake.path);
  });

  afterEach(async () => {
    setChaos(undefined);
    await lake.cleanup();
  });

  const dataFiles = async () =>
    (await readdir(join(lake.path, 'tables/stream/user'))).filter((f) => f.endsWith('.parquet')).length;

  it('writes each record once when writers leave checkpoints to upkeep and every batch comes again after it', async () => {
    // Prepare: ten batches on one shard, the writer never checkpointing (a table bigger than its limit)
    const deps = { store, pipelineId: 'pinlake', checkpointMaxFiles: 0 };
    const batches = Array.from({ length: 10 }, (_, i) => usersEvent(SHARD_0, 10 * i + 1, 10 * i + 10));
    for (const batch of batches) await writeKinesisBatch(batch, deps);
    const log = () => readdir(join(lake.path, 'tables/stream/user/_delta_log'));
    const checkpointsBefore = (await log()).filter((f) => f.includes('checkpoint'));

    // Act: maintain-tables checkpoints the table, then Lambda delivers every batch again
    const [upkeep] = await maintainTables(store, { prefix: 'tables/stream/' });
    const again = [];
    for (const batch of batches) again.push((await writeKinesisBatch(batch, deps)).status);

    // Assess
    expect(checkpointsBefore).toStrictEqual([]);
    expect(upkeep?.checkpointed).toBe(11); // after its compaction commit (version 11)
    expect((await loadSnapshot(store, 'tables/stream/user')).checkpointVersion).toBe(11);
    expect(again).toStrictEqual(Array(10).fill('nothing-new'));
    const table = await readTable(store, 'user');
    expect(table.version).toBe(11);
    expect(sources(table.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 100));
  });

  it('changes nothing when the same batch is delivered five more times', async () => {
    // Prepare
    const handler = quietHandler(store);
    await handler(usersEvent(SHARD_0, 1, 20));
    const before = await readTable(store, 'user');

    // Act
    const responses = [];
    for (let i = 0; i < 5; i++) responses.push(await handler(usersEvent(SHARD_0, 1, 20)));

    // Assess
    expect(responses).toStrictEqual(Array(5).fill({ batchItemFailures: [] }));
    expect(await readTable(store, 'user')).toStrictEqual(before);
    expect(before.version).toBe(1);
    expect(sources(before.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 20));
  });

  it('drops the records at or below the high-water mark and writes the rest of an overlapping batch', async () => {
    // Prepare
    const handler = quietHandler(store);
    await handler(usersEvent(SHARD_0, 1, 10));

    // Act
    const response = await handler(usersEvent(SHARD_0, 6, 15));

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const table = await readTable(store, 'user');
    expect(table.version).toBe(2);
    expect(sources(table.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 15));
  });

  it('writes the batch once when the first delivery crashes after the Parquet upload', async () => {
    // Prepare
    const handler = quietHandler(store);
    setChaos(0.5, scripted([0]));

    // Act
    const crashed = handler(usersEvent(SHARD_0, 1, 5));
    await expect(crashed).rejects.toStrictEqual(new ChaosError('stream-to-delta:after-upload'));
    const versionAfterCrash = (await loadSnapshot(store, 'tables/stream/user')).version;
    const response = await handler(usersEvent(SHARD_0, 1, 5));

    // Assess
    expect(versionAfterCrash).toBe(0);
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const table = await readTable(store, 'user');
    expect(table.version).toBe(1);
    expect(sources(table.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 5));
    expect(await dataFiles()).toBe(2); // the crashed upload stays unreferenced until vacuum
  });

  it.each([
    ['after the commit', 'stream-to-delta:after-commit', [0.9, 0]],
    ['before the reply', 'stream-to-delta:before-reply', [0.9, 0.9, 0]],
  ])('writes the batch once when the first delivery crashes %s', async (_when, step, randoms) => {
    // Prepare
    const handler = quietHandler(store);
    setChaos(0.5, scripted(randoms));

    // Act
    await expect(handler(usersEvent(SHARD_0, 1, 5))).rejects.toStrictEqual(new ChaosError(step));
    const response = await handler(usersEvent(SHARD_0, 1, 5));

    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const table = await readTable(store, 'user');
    expect(table.version).toBe(1);
    expect(sources(table.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 5));
    expect(await dataFiles()).toBe(1);
  });

  it('reports the first record not yet committed when the lake fails, and the retry from there completes', async () => {
    // Prepare
    const faulty = new FaultyStore(store);
    const handler = quietHandler(faulty);
    await handler(usersEvent(SHARD_0, 1, 3));
    faulty.failPut = (key) => key.endsWith('.parquet');

    // Act
    const failed = await handler(usersEvent(SHARD_0, 2, 6));
    faulty.failPut = () => false;
    const retried = await handler(usersEvent(SHARD_0, 4, 6));

    // Assess
    expect(failed).toStrictEqual({ batchItemFailures: [{ itemIdentifier: String(BASE + 4n) }] });
    expect(retried).toStrictEqual({ batchItemFailures: [] });
    const table = await readTable(store, 'user');
    expect(table.version).toBe(2);
    expect(sources(table.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 6));
  });

  it('reports the whole batch when a cold container cannot even read the table', async () => {
    // Prepare
    const faulty = new FaultyStore(store);
    await quietHandler(faulty)(usersEvent(SHARD_0, 1, 3));
    faulty.failGet = (key) => key.includes('_delta_log');

    // Act: a new container, so nothing is cached
    const failed = await quietHandler(faulty)(usersEvent(SHARD_0, 2, 6));

    // Assess
    expect(failed).toStrictEqual({ batchItemFailures: [{ itemIdentifier: String(BASE + 2n) }] });
  });

  it('reports the whole batch when a warm container cannot list the log tail', async () => {
    // Prepare
    const faulty = new FaultyStore(store);
    const handler = quietHandler(faulty);
    await handler(usersEvent(SHARD_0, 1, 3));
    faulty.failList = (prefix) => prefix.includes('_delta_log');

    // Act
    const failed = await handler(usersEvent(SHARD_0, 2, 6));
    faulty.failList = () => false;
    const retried = await handler(usersEvent(SHARD_0, 2, 6));

    // Assess
    expect(failed).toStrictEqual({ batchItemFailures: [{ itemIdentifier: String(BASE + 2n) }] });
    expect(retried).toStrictEqual({ batchItemFailures: [] });
    expect(sources((await readTable(store, 'user')).rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 6));
  });

  it('writes each record once when two invocations of the same shard race with overlapping batches', async () => {
    // Prepare
    const handler = quietHandler(store);
    await handler(usersEvent(SHARD_0, 1, 2));

    // Act
    const responses = await Promise.all([
      handler(usersEvent(SHARD_0, 1, 10)),
      handler(usersEvent(SHARD_0, 3, 6)),
      handler(usersEvent(SHARD_0, 1, 14)),
    ]);

    // Assess
    expect(responses).toStrictEqual(Array(3).fill({ batchItemFailures: [] }));
    const table = await readTable(store, 'user');
    expect(sources(table.rows)).toStrictEqual(sourcesOf(SHARD_0, 1, 14));
  });

  it('commits both shards when they race for the next table version, each with its own mark', async () => {
    // Prepare
    const handler = quietHandler(store);
    await handler(usersEvent(SHARD_0, 1, 1));

    // Act
    await Promise.all([handler(usersEvent(SHARD_0, 2, 8)), handler(usersEvent(SHARD_1, 2, 8))]);
    const snapshot = await loadSnapshot(store, 'tables/stream/user');

    // Assess
    expect(snapshot.version).toBe(3);
    expect(snapshot.txns).toStrictEqual({
      [`kinesis:streaming-pinlake-user:${SHARD_0}`]: 2,
      [`kinesis:streaming-pinlake-user:${SHARD_1}`]: 1,
    });
    const table = await readTable(store, 'user');
    expect(sources(table.rows)).toStrictEqual([...sourcesOf(SHARD_0, 1, 8), ...sourcesOf(SHARD_1, 2, 8)]);
  });

  it('keeps every high-water mark through a checkpoint and a compaction, so old batches stay dropped', async () => {
    // Prepare: eleven commits (a checkpoint at version 10), then compaction into one file
    const handler = quietHandler(store);
    const batches = [];
    for (let i = 0; i < 11; i++)
      batches.push(usersEvent(i % 2 === 0 ? SHARD_0 : SHARD_1, i * 3 + 1, i * 3 + 3));
    for (const batch of batches) await handler(batch);
    const compacted = await optimize(store, 'tables/stream/user');
    const before = await readTable(store, 'user');

    // Act
    for (const batch of batches) await handler(batch);

    // Assess
    expect(compacted).toStrictEqual({ version: 12, filesRemoved: 11, filesAdded: 1, rowsRewritten: 33 });
    const snapshot = await loadSnapshot(store, 'tables/stream/user');
    expect(snapshot.checkpointVersion).toBe(10);
    expect(snapshot.files.map((f) => f.tags)).toStrictEqual([
      {
        [`pinlake.kinesis.streaming-pinlake-user.${SHARD_0}.hwm`]: String(BASE + 33n),
        [`pinlake.kinesis.streaming-pinlake-user.${SHARD_1}.hwm`]: String(BASE + 30n),
      },
    ]);
    expect(await readTable(store, 'user')).toStrictEqual(before);
    expect(before.version).toBe(12);
  });

  it("rejects a batch from a stream that is not one of the pipeline's", async () => {
    // Prepare
    const handler = quietHandler(store);
    const event = usersEvent(SHARD_0, 1, 2);
    for (const record of event.Records) {
      record.eventSourceARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/streaming-other-user';
    }

    // Act
    const outcome = handler(event);

    // Assess
    await expect(outcome).rejects.toStrictEqual(
      new KinesisBatchError(
        "stream streaming-other-user is not one of this pipeline's streams (streaming-pinlake-pin, streaming-pinlake-geo, streaming-pinlake-user)",
      ),
    );
  });
});
