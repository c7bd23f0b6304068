import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { KINDS } from '../../../libs/records';
import type { PipelineSummary } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';

const bin = join(__dirname, '../../../bin/pinlake.js');

/** Resolves once `path` exists, polling every 50 ms; rejects after `timeoutMs`. */
async function appears(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await access(path);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

let lake: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  lake = await makeTempDir('pinlake-start-interrupt');
});
afterAll(async () => {
  await lake.cleanup();
});

// A whole pipeline run takes seconds here, but more when the machine is shared: a generous timeout.
describe('pinlake start, interrupted', () => {
  it('stops sending on SIGINT, lands every post it accepted in every table and prints a partial summary', async () => {
    // Prepare
    const child = spawn(process.execPath, [bin, 'start', '--posts', '100000', '--lake', lake.path, '--json']);
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    // The first stream commit: posts are flowing through the whole pipeline.
    await appears(join(lake.path, 'tables/stream/pin/_delta_log/00000000000000000001.json'), 40_000);

    // Act
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');

    // Assess
    const summary = JSON.parse(stdout) as PipelineSummary;
    const sent = summary.posts.sent;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(100_000);
    expect({
      code,
      interrupted: summary.interrupted,
      posts: summary.posts,
      stages: summary.stages,
    }).toStrictEqual({
      code: 0,
      interrupted: true,
      posts: {
        sent,
        complete: sent,
        incomplete: 0,
        records: 6 * sent,
        recordsFailed: 0,
        retries: 0,
        perSecond: expect.any(Number),
      },
      stages: { start: 'ok', send: 'interrupted', drain: 'ok', 'batch-clean': 'ok', analytics: 'ok' },
    });
    const tables = Object.fromEntries(
      KINDS.flatMap((kind) => [`stream/${kind}`, `batch/${kind}`]).map((table) => [
        table,
        summary.tables[table],
      ]),
    );
    expect(tables).toStrictEqual(
      Object.fromEntries(
        KINDS.flatMap((kind) => [`stream/${kind}`, `batch/${kind}`]).map((table) => [table, sent]),
      ),
    );
  }, 120_000);
});
