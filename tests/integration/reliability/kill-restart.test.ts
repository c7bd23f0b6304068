import { openStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { emptyAcked, exited, lakeIds, reconcile, runClients, spawnStack } from './ledger';

jest.setTimeout(120_000);

let lake: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  lake = await makeTempDir('pinlake-kill9');
});
afterAll(async () => {
  await lake.cleanup();
});

describe('kill -9 under load, then a restart on the same lake', () => {
  it('lands every record acknowledged before the kill exactly once after the restart and its drain', async () => {
    // Prepare: pinlake stack under load from 4 clients
    const first = await spawnStack(lake.path, 'k9');
    const acked = emptyAcked();
    let gone = false;
    const killed = exited(first.child).then(() => {
      gone = true;
    });
    const load = runClients({
      api: first.endpoints.api,
      pipelineId: 'k9',
      clients: 4,
      firstId: 1,
      acked,
      until: () => gone,
    });

    // Act: SIGKILL mid-load (no drain, nothing flushed by the stack), restart, then SIGTERM (drain)
    while (acked.batch.user.size < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    await killed;
    await load;
    const second = await spawnStack(lake.path, 'k9');
    second.child.kill('SIGTERM');
    const code = await exited(second.child);

    // Assess
    const found = await lakeIds(openStore(`file://${lake.path}`), 'k9');
    expect(code).toBe(0);
    const summary = reconcile(acked, found);
    expect({ lost: summary.lost, duplicated: summary.duplicated }).toStrictEqual({ lost: 0, duplicated: 0 });
    expect(summary.acknowledged).toBeGreaterThanOrEqual(240);
    // Records in flight at the kill may have landed without their 200: at-least-once at the HTTP edge.
    expect(summary.landed).toBeGreaterThanOrEqual(summary.acknowledged);
    expect(summary.landed - summary.acknowledged).toBeLessThanOrEqual(4 * 6);
  });
});
