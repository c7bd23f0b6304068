import { history, listStaged } from '../../../libs/delta';
import { KINDS } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { runPipeline } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';
import { runCli } from '../emulator/run-cli';
import { expectedRows, readTable } from './lake-rows';

let lake: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  lake = await makeTempDir('pinlake-start-staged');
});
afterEach(async () => {
  await lake.cleanup();
});

// The stream path with group commits (streamCommitMode staged): posts through the local API,
// kinesalite, the pollers, stream-to-delta staging each batch, commit-staged committing them (its
// loop and the drain's run), every call under the functions' roles.
describe('pinlake start with group commits (STREAM_COMMIT_MODE=staged)', () => {
  it.each([
    ['', 0],
    [' when every step of every function fails a fifth of the time', 0.2],
  ])(
    'writes every row of the stream tables exactly once%s',
    async (_when, chaos) => {
      // Prepare
      const options = {
        lake: lake.path,
        posts: 300,
        mode: 'stream',
        source: 'generator',
        seed: 12,
        chaos,
        stack: { streamCommitMode: 'staged' },
      } as const;

      // Act
      const summary = await runPipeline(options);

      // Assess
      expect([summary.posts.complete, summary.posts.recordsFailed, summary.onFailure]).toStrictEqual([
        300, 0, 0,
      ]);
      const store = new FileStore(lake.path);
      const sources: string[] = [];
      for (const kind of KINDS) {
        const table = await readTable(store, 'stream', kind);
        expect(table.rows).toStrictEqual(expectedRows(300, 12, kind));
        expect(await listStaged(store, `tables/stream/${kind}`)).toStrictEqual([]);
        // Every data commit is a group commit of commit-staged (its operationParameters say how many).
        const commits = (await history(store, `tables/stream/${kind}`)).filter((c) => c.addedFiles > 0);
        expect(commits.length).toBeGreaterThan(0);
        expect(commits.filter((c) => c.operationParameters.staged === undefined)).toStrictEqual([]);
        sources.push(...table.sources);
      }
      expect(new Set(sources).size).toBe(sources.length);
    },
    120_000,
  );

  it('runs from the command line with --stream-commit-mode staged', async () => {
    // Act
    const args = ['--mode', 'stream', '--posts', '60', '--seed', '5', '--json', '--lake', lake.path];
    const run = await runCli(['start', ...args, '--stream-commit-mode', 'staged']);

    // Assess
    expect([run.status, run.stderr]).toStrictEqual([0, '']);
    const summary = JSON.parse(run.stdout) as { tables: Record<string, number> };
    const store = new FileStore(lake.path);
    for (const kind of KINDS) {
      expect(summary.tables[`stream/${kind}`]).toBe(60);
      expect(await listStaged(store, `tables/stream/${kind}`)).toStrictEqual([]);
      const commits = (await history(store, `tables/stream/${kind}`)).filter((c) => c.addedFiles > 0);
      expect(commits.filter((c) => c.operationParameters.staged === undefined)).toStrictEqual([]);
    }
  }, 120_000);
});
