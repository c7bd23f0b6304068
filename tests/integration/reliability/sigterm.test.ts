import { openStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { emptyAcked, exited, lakeIds, reconcile, runClients, spawnStack } from './ledger';

jest.setTimeout(120_000);

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

describe('the parent process going away', () => {
  it('is taken as SIGTERM: the stack drains what it acknowledged and exits', async () => {
    // Prepare: a wrapper (as npx is) starts pinlake stack and passes its output on
    const { spawn } = await import('node:child_process');
    const { bin } = await import('./ledger');
    const orphanLake = await makeTempDir('pinlake-orphan');
    const script = `const c = require('node:child_process').spawn(process.execPath, ${JSON.stringify([bin, 'stack', '--json', '--api-port', '0', '--pipeline-id', 'orf', '--lake', orphanLake.path])}, { stdio: ['ignore', 'pipe', 'inherit'] });
c.stdout.once('data', (line) => process.stdout.write(JSON.stringify({ pid: c.pid, ...JSON.parse(String(line)) }) + '\\n'));`;
    const wrapper = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const line = await new Promise<string>((resolve) =>
      wrapper.stdout.once('data', (chunk) => resolve(String(chunk))),
    );
    const { pid, api } = JSON.parse(line) as { pid: number; api: string };
    const acked = emptyAcked();
    await runClients({
      api,
      pipelineId: 'orf',
      clients: 2,
      firstId: 1,
      acked,
      until: () => acked.stream.pin.size >= 20,
    });

    // Act: the wrapper is killed; nothing signals the stack itself
    wrapper.kill('SIGKILL');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 50_000;
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess
    const stillAlive = alive();
    if (stillAlive) process.kill(pid, 'SIGKILL');
    expect(stillAlive).toBe(false);
    const summary = reconcile(acked, await lakeIds(openStore(`file://${orphanLake.path}`), 'orf'));
    expect({ lost: summary.lost, duplicated: summary.duplicated }).toStrictEqual({ lost: 0, duplicated: 0 });
    await orphanLake.cleanup();
  });
});
