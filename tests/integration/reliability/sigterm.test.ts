import { openStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { emptyAcked, exited, lakeIds, reconcile, runClients, spawnStack } from './ledger';

let lake: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  lake = await makeTempDir('pinlake-sigterm');
});
afterAll(async () => {
  await lake.cleanup();
});

describe('SIGTERM under continuous load', () => {
  it('lands every record the API acknowledged exactly once, and acknowledges nothing it will not land', async () => {
    // Prepare: pinlake stack with 4 clients sending without pause
    const { child, endpoints, stderr } = await spawnStack(lake.path, 'sig');
    const acked = emptyAcked();
    let gone = false;
    const done = exited(child).then((code) => {
      gone = true;
      return code;
    });
    const load = runClients({
      api: endpoints.api,
      pipelineId: 'sig',
      clients: 4,
      firstId: 1,
      acked,
      until: () => gone,
    });

    // Act: SIGTERM once the load runs; the clients go on sending until the stack has exited
    while (acked.stream.pin.size < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const code = await done;
    const sent = await load;

    // Assess
    const found = await lakeIds(openStore(`file://${lake.path}`), 'sig');
    expect({ code, stderr: stderr().split('\n')[0] }).toStrictEqual({
      code: 0,
      stderr: 'pinlake stack: SIGTERM: no new requests (503); draining everything accepted into the lake…',
    });
    const summary = reconcile(acked, found);
    expect({ lost: summary.lost, duplicated: summary.duplicated }).toStrictEqual({ lost: 0, duplicated: 0 });
    expect(summary.landed).toBe(summary.acknowledged);
    expect(sent.requests).toBeGreaterThan(sent.ok);
    expect(await openStore(`file://${lake.path}`).list('quarantine/')).toStrictEqual([]);
  });
});
