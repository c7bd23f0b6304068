import { join } from 'node:path';
import { QUERY_COLUMNS, QUERY_IDS, type QueryResult, runQueries } from '../../../libs/analytics';
import type { Kind, RowOf } from '../../../libs/records/tables';
import { generateCleanTables } from '../../helpers/analytics-generated-posts';
import { writeCleanParquet } from '../../helpers/analytics-parquet';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';

const FILES_PER_TABLE = 3;

describe('Function: runQueries() over generated posts', () => {
  let dir: { path: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    dir = await makeTempDir('analytics-generated');
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  /** Deals the rows round-robin into a few files, so duplicates of one post land in different files. */
  async function writeParts<K extends Kind>(
    name: string,
    kind: K,
    rows: readonly RowOf[K][],
  ): Promise<string[]> {
    const parts = Array.from({ length: FILES_PER_TABLE }, (_, part) => ({
      path: join(dir.path, `${name}-${part}.parquet`),
      kind,
      rows: rows.filter((_, i) => i % FILES_PER_TABLE === part),
    }));
    await writeCleanParquet(parts);
    return parts.map((p) => p.path);
  }

  it.each([1, 2024])('agrees with the independent answer key on every question (seed %i)', async (seed) => {
    // Prepare
    const tables = generateCleanTables(3000, seed);
    const files = {
      pin: await writeParts(`${seed}-pin`, 'pin', tables.pin),
      geo: await writeParts(`${seed}-geo`, 'geo', tables.geo),
      user: await writeParts(`${seed}-user`, 'user', tables.user),
    };
    const answers = answerAll(tables);
    const expected: QueryResult[] = QUERY_IDS.map((id) => ({
      id,
      columns: [...QUERY_COLUMNS[id]],
      rows: answers[id],
    }));

    // Act
    const results = await runQueries(files, QUERY_IDS, { threads: 2 });

    // Assess
    expect(results).toStrictEqual(expected);
  });
});
