import { loadSnapshot, readRows } from '../../../libs/delta';
import { createKinesisClient } from '../../../libs/kinesis';
import { KINDS, type Kind } from '../../../libs/records';
import { type LocalStack, startLocalStack } from '../../../local/stack';
import { streamCheckpoints } from '../../../local/stack/lake-continuity';
import { makeTempDir } from '../../helpers/temp-dir';
import { emptyAcked, lakeIds, reconcile, runClients } from './ledger';

jest.setTimeout(120_000);

let lake: { path: string; cleanup: () => Promise<void> };
let stack: LocalStack | undefined;
beforeAll(async () => {
  lake = await makeTempDir('pinlake-restart');
});
afterAll(async () => {
  await stack?.stop();
  await lake.cleanup();
});

async function batchTableIds(running: LocalStack): Promise<Record<Kind, number[]>> {
  const ids = { pin: [], geo: [], user: [] } as Record<Kind, number[]>;
  for (const kind of KINDS) {
    const rows = await readRows(running.store, await loadSnapshot(running.store, `tables/batch/${kind}`));
    ids[kind] = rows.map((row) => Number(row.ind));
  }
  return ids;
}

describe('a restart on the same lake', () => {
  it('goes on with both paths where the last run stopped: every acknowledged record once in every table', async () => {
    // Prepare: a first stack takes records, drains, runs batch-clean and stops
    const acked = emptyAcked();
    stack = await startLocalStack({ lake: lake.path, pipelineId: 'rs' });
    await runClients({
      api: stack.api,
      pipelineId: 'rs',
      clients: 3,
      firstId: 1,
      acked,
      until: () => acked.batch.user.size >= 60,
    });
    await stack.stopAccepting();
    await stack.drain();
    await stack.runBatchClean();
    await stack.stop();

    // Act: a second stack on the same lake takes other records, drains and runs batch-clean
    stack = await startLocalStack({ lake: lake.path, pipelineId: 'rs' });
    const kinesis = createKinesisClient({ region: 'us-east-1', endpoint: stack.kinesis });
    const resumed = await streamCheckpoints(stack.store, kinesis, 'rs', 'streaming-rs-pin');
    kinesis.destroy();
    await runClients({
      api: stack.api,
      pipelineId: 'rs',
      clients: 3,
      firstId: 10_001,
      acked,
      until: () => acked.batch.user.size >= 120,
    });
    await stack.stopAccepting();
    await stack.drain();
    await stack.runBatchClean();
    const batchTables = await batchTableIds(stack);
    const found = await lakeIds(stack.store, 'rs');

    // Assess: the stream tables, the raw landing and the batch tables each hold every record once
    const landing = reconcile(acked, found);
    const tables = reconcile(acked, { stream: found.stream, batch: batchTables });
    expect({ lost: landing.lost, duplicated: landing.duplicated }).toStrictEqual({ lost: 0, duplicated: 0 });
    expect({ lost: tables.lost, duplicated: tables.duplicated }).toStrictEqual({ lost: 0, duplicated: 0 });
    expect(tables.landed).toBe(tables.acknowledged);
    expect([...acked.batch.pin].some((id) => id > 10_000)).toBe(true);
    // The Kinesis pollers resumed after what the stream tables held, not at the shards' start.
    expect(Object.keys(resumed).sort()).toStrictEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(await stack.store.list('quarantine/')).toStrictEqual([]);
  });

  it('refuses a lake whose batch path the broker cannot go on from (its .local removed), naming it', async () => {
    // Prepare
    await stack?.stop();
    stack = undefined;
    const { rm } = await import('node:fs/promises');
    await rm(`${lake.path}/.local`, { recursive: true });

    // Act
    const started = startLocalStack({ lake: lake.path, pipelineId: 'rs' });

    // Assess
    await expect(started).rejects.toThrow(
      /rs\.pin-0: batch-clean has taken offsets up to \d+, but the broker's state \(.*\/\.local\/kafka\) is missing/,
    );
  });
});
