import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltaLogError } from '../../../libs/delta/errors';
import { checkTable } from '../../../libs/delta/inspect';
import { optimize } from '../../../libs/delta/maintenance';
import { loadSnapshot } from '../../../libs/delta/snapshot';
import { createTable, writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';
import { makeTempDir } from '../../helpers/temp-dir';

// The reader fails loudly, naming what is wrong, instead of answering from a damaged log.
let temp: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
beforeEach(async () => {
  temp = await makeTempDir('delta-reader-failures');
  store = new FileStore(temp.path);
});
afterEach(() => temp.cleanup());

const columns = TABLE_COLUMNS.user;
const log = (name: string) => join(temp.path, 't/_delta_log', name);
const commitName = (v: number) => `${String(v).padStart(20, '0')}.json`;
const checkpointName = (v: number) => `${String(v).padStart(20, '0')}.checkpoint.parquet`;
const records = (s: Awaited<ReturnType<typeof loadSnapshot>>) =>
  s.files.reduce((sum, f) => sum + (f.stats?.numRecords ?? 0), 0);

// A table at version 25 (checkpoints at 10 and 20), one row per version after the first.
async function tableAt25(): Promise<void> {
  await createTable(store, 't', columns);
  for (let ind = 1; ind <= 25; ind++) {
    await writeRows(store, 't', columns, [
      { ind, user_name: null, age: null, date_joined: null, source: 's', ingested_at: new Date(0) },
    ]);
  }
}

describe('_last_checkpoint is only a hint', () => {
  it('reads the whole table when _last_checkpoint names a checkpoint that was never written', async () => {
    // Prepare
    await tableAt25();
    await writeFile(log('_last_checkpoint'), '{"version":40,"size":3}');

    // Act
    const snapshot = await loadSnapshot(store, 't');

    // Assess
    expect({
      version: snapshot.version,
      records: records(snapshot),
      from: snapshot.checkpointVersion,
    }).toStrictEqual({
      version: 25,
      records: 25,
      from: 20,
    });
  });

  it('falls back to an older checkpoint when the one _last_checkpoint names is missing or unreadable', async () => {
    // Prepare
    await tableAt25();
    await rm(log(checkpointName(20)));
    const missing = await loadSnapshot(store, 't');
    await writeFile(log(checkpointName(20)), 'not parquet');

    // Act
    const unreadable = await loadSnapshot(store, 't');
    const check = await checkTable(store, 't');

    // Assess
    expect([missing, unreadable].map((s) => [s.version, records(s), s.checkpointVersion])).toStrictEqual([
      [25, 25, 10],
      [25, 25, 10],
    ]);
    expect(check.problems).toStrictEqual([
      expect.stringMatching(
        /^checkpoint 20: cannot read checkpoint t\/_delta_log\/00000000000000000020\.checkpoint\.parquet/,
      ),
    ]);
  });

  it('names the missing checkpoint, not just a commit, when the commits before it are gone too', async () => {
    // Prepare: log cleanup removed commits 0..19; then checkpoint 20 was lost.
    await tableAt25();
    for (let v = 0; v < 20; v++) await rm(log(commitName(v)));
    await rm(log(checkpointName(20)));

    // Act
    const load = loadSnapshot(store, 't');

    // Assess
    await expect(load).rejects.toThrow(
      'table t: checkpoint 20 is named by _last_checkpoint but is missing, and commit 11, needed to replay without it, is missing too',
    );
  });
});

describe('a damaged commit is an error', () => {
  it('refuses an emptied latest commit, and table check reports it', async () => {
    // Prepare
    await tableAt25();
    await writeFile(log(commitName(25)), '');

    // Act
    const load = loadSnapshot(store, 't').catch((error: unknown) => error);
    const check = await checkTable(store, 't');

    // Assess
    expect(await load).toStrictEqual(
      new DeltaLogError(
        't/_delta_log/00000000000000000025.json is empty (0 bytes, no action): the commit is damaged',
      ),
    );
    expect(check.problems).toStrictEqual([
      'commit 25: t/_delta_log/00000000000000000025.json is empty (0 bytes, no action): the commit is damaged',
    ]);
  });

  it('refuses a commit cut short in the middle of a line', async () => {
    // Prepare
    await tableAt25();
    const text = await readFile(log(commitName(24)), 'utf8');
    await writeFile(log(commitName(24)), text.slice(0, Math.floor(text.length / 2)));

    // Act
    const load = loadSnapshot(store, 't');

    // Assess
    await expect(load).rejects.toThrow(/^t\/_delta_log\/00000000000000000024\.json line \d+ is not JSON$/);
  });
});

describe('add and remove paths stay under the table root', () => {
  const addLine = (path: string) =>
    `${JSON.stringify({ add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true } })}\n`;

  it.each([
    ['../outside.parquet', 'data file path leaves the table root (a ".." segment): ../outside.parquet'],
    [
      'a/%2E%2E/%2E%2E/x.parquet',
      'data file path leaves the table root (a ".." segment): a/%2E%2E/%2E%2E/x.parquet',
    ],
    ['/etc/passwd', 'data file path is absolute, not relative to the table root: /etc/passwd'],
    ['%2Fetc%2Fpasswd', 'data file path is absolute, not relative to the table root: %2Fetc%2Fpasswd'],
    ['file:///etc/passwd', 'absolute data file paths are not supported: file:///etc/passwd'],
  ])('refuses the add path %s, naming the version and the path', async (path, message) => {
    // Prepare
    await createTable(store, 't', columns);
    await writeFile(log(commitName(1)), addLine(path));
    await writeFile(join(temp.path, 'outside.parquet'), 'secret');

    // Act
    const load = await loadSnapshot(store, 't').catch((error: unknown) => error);
    const compact = await optimize(store, 't').catch((error: unknown) => error);

    // Assess
    expect([load, compact]).toStrictEqual([
      new DeltaLogError(`version 1: ${message}`),
      new DeltaLogError(`version 1: ${message}`),
    ]);
  });

  it('refuses a remove path that leaves the table root too', async () => {
    // Prepare
    await createTable(store, 't', columns);
    await writeFile(
      log(commitName(1)),
      `${JSON.stringify({ remove: { path: 'x/../../y.parquet', dataChange: true, deletionTimestamp: 1 } })}\n`,
    );

    // Act
    const load = loadSnapshot(store, 't');

    // Assess
    await expect(load).rejects.toThrow(
      'version 1: data file path leaves the table root (a ".." segment): x/../../y.parquet',
    );
  });
});
