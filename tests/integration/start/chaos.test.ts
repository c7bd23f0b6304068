import { KINDS } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { runPipeline } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';
import { expectedAnswers, expectedRows, readAnswers, readTable } from './lake-rows';

let lake: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  lake = await makeTempDir('pinlake-start-chaos');
});
afterAll(async () => {
  await lake.cleanup();
});

// A whole pipeline run takes seconds here, but more when the machine is shared: a generous timeout.
describe('pinlake start --chaos 0.2', () => {
  it('writes exactly the same tables and answers when every step of every function fails a fifth of the time', async () => {
    // Prepare
    const options = {
      lake: lake.path,
      posts: 500,
      mode: 'both',
      source: 'generator',
      seed: 11,
      chaos: 0.2,
    } as const;

    // Act
    const summary = await runPipeline(options);

    // Assess
    expect(summary.posts).toStrictEqual({
      sent: 500,
      complete: 500,
      incomplete: 0,
      records: 3000,
      recordsFailed: 0,
      retries: expect.any(Number),
      perSecond: expect.any(Number),
    });
    expect({ quarantined: summary.quarantined, onFailure: summary.onFailure }).toStrictEqual({
      quarantined: {},
      onFailure: 0,
    });
    // Failed requests (the edge fails before it writes) were retried by the client and got through.
    const failedThenRetried = Object.entries(summary.requests)
      .filter(([status]) => status.startsWith('5'))
      .reduce((sum, [, count]) => sum + count, 0);
    expect(failedThenRetried).toBeGreaterThan(0);
    const store = new FileStore(lake.path);
    const sources: string[] = [];
    for (const kind of KINDS) {
      const expected = expectedRows(500, 11, kind);
      for (const family of ['stream', 'batch'] as const) {
        const table = await readTable(store, family, kind);
        expect(table.rows).toStrictEqual(expected);
        expect(summary.tables[`${family}/${kind}`]).toBe(expected.length);
        sources.push(...table.sources);
      }
    }
    expect(await readAnswers(store)).toStrictEqual(expectedAnswers(500, 11));
    expect(new Set(sources).size).toBe(sources.length);
  }, 120_000);
});
