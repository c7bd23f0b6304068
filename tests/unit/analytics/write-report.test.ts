import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportWriteError, writeReport } from '../../../libs/analytics';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';

describe('Function: writeReport()', () => {
  let dir: { path: string; cleanup: () => Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir('analytics-write');
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  it("stores the report under the run's key and as the latest report", async () => {
    // Prepare
    const store = new FileStore(dir.path);

    // Act
    await writeReport(store, 'run-2024-01-08', '<!doctype html><p>one</p>');
    await writeReport(store, 'run-2024-01-09', '<!doctype html><p>two</p>');

    // Assess
    const keys = (await store.list('reports/')).map((o) => o.key);
    expect(keys).toStrictEqual([
      'reports/latest/index.html',
      'reports/run-2024-01-08/index.html',
      'reports/run-2024-01-09/index.html',
    ]);
    expect(await readFile(join(dir.path, 'reports/latest/index.html'), 'utf8')).toBe(
      '<!doctype html><p>two</p>',
    );
    expect(await readFile(join(dir.path, 'reports/run-2024-01-08/index.html'), 'utf8')).toBe(
      '<!doctype html><p>one</p>',
    );
  });

  it('refuses a run id that is not a safe key segment and writes nothing', async () => {
    // Prepare
    const store = new FileStore(dir.path);

    // Act
    const error = await writeReport(store, '../escape', '<p>x</p>').catch((e: unknown) => e);

    // Assess
    expect(error).toStrictEqual(new ReportWriteError('run id "../escape" is not a safe key segment'));
    expect(await store.list('')).toStrictEqual([]);
  });
});
