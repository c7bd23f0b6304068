import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import {
  AnalyticsQueryError,
  type AthenaSettings,
  QUERIES_DIR,
  QUERY_IDS,
  readResultTable,
  runAnalytics,
  runQueriesOnAthena,
} from '../../../libs/analytics';
import { FileStore } from '../../../libs/storage';
import { type LocalAthena, startLocalAthena } from '../../../local/athena';
import { enforceIamOnStore, IamEnforcer, localCredentials } from '../../../local/iam';
import { loadLocalDeployment } from '../../../local/stack';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from '../../unit/analytics/batch-lake';
import { deploymentWithout, statementGrant } from '../iam/grants';

// batch-analytics with ANALYTICS_ENGINE=athena, end to end on this machine: the real Athena client
// code (@aws-sdk/client-athena: signed JSON requests, start, poll with backoff, paged results typed
// from the metadata) against local/athena, a stand-in speaking Athena's API that runs each statement
// with DuckDB over the lake's Delta tables as the deployment's Glue catalog names them, every call
// evaluated against batch-analytics' packaged role. What this cannot prove: the real Athena service —
// Trino's own evaluation of the SQL (the portability test parses it with Trino's grammar and checks
// the functions), Athena's Delta reader, its real error texts, queueing and limits, and which calls
// Athena really makes to Glue and S3 on the caller's behalf (modelled here from AWS's documentation).

const RUN = new Date('2026-03-01T02:30:00.000Z');
const deployment = loadLocalDeployment('pinlake');
const lakeBucket = deployment.physicalName('LakeBucket');
const facts = deployment.functions['batch-analytics']!;

describe('batch-analytics on Athena (the local stand-in)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let tables: ReturnType<typeof cleanPosts>;
  let n = 0;

  beforeAll(async () => {
    dir = await makeTempDir('athena-engine');
    tables = cleanPosts({ posts: 3000, seed: 11, poolSize: 2000 });
    await writeBatchTables(new FileStore(join(dir.path, 'seed-lake')), tables, 3);
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  /** A copy of the seeded lake, an enforcer for the deployment, and the stand-in over both. */
  async function setUp(model = deployment) {
    n += 1;
    const path = join(dir.path, `lake-${n}`);
    await cp(join(dir.path, 'seed-lake'), path, { recursive: true });
    const lake = new FileStore(path);
    const iam = new IamEnforcer(model);
    const athena = await startLocalAthena({ deployment: model, lake, lakeUri: lake.uri, iam, lakeBucket });
    const client = new AthenaClient({
      region: deployment.region,
      endpoint: athena.endpoint,
      credentials: localCredentials('batch-analytics'),
    });
    const settings: AthenaSettings = {
      client,
      workgroup: facts.environment.ATHENA_WORKGROUP!,
      database: facts.environment.GLUE_DATABASE!,
      polling: { firstDelayMs: 5, maxDelayMs: 40 },
    };
    const store = enforceIamOnStore(lake, iam, { functionName: 'batch-analytics', bucket: lakeBucket });
    return { lake, store, iam, athena, client, settings };
  }

  async function tearDown(parts: { athena: LocalAthena; client: AthenaClient }) {
    parts.client.destroy();
    await parts.athena.close();
  }

  it('writes the same result tables on Athena as on DuckDB, every call allowed by its role', async () => {
    // Prepare
    const parts = await setUp();
    const duckdbLake = new FileStore(join(dir.path, `duckdb-${n}`));
    await cp(join(dir.path, 'seed-lake'), duckdbLake.root, { recursive: true });
    try {
      // Act
      const onAthena = await runAnalytics(parts.store, { now: RUN, athena: parts.settings });
      const onDuckdb = await runAnalytics(duckdbLake, { now: RUN, threads: 1 });

      // Assess
      const stored = async (store: FileStore) =>
        Promise.all(QUERY_IDS.map(async (id) => (await readResultTable(store, id))?.result));
      const answers = answerAll(tables);
      expect(await stored(parts.lake)).toStrictEqual(await stored(duckdbLake));
      expect((await stored(parts.lake)).map((r) => r?.rows)).toStrictEqual(
        QUERY_IDS.map((id) => answers[id]),
      );
      expect([onAthena.engine, onDuckdb.engine]).toStrictEqual(['athena', 'duckdb']);
      expect(onAthena.results).toStrictEqual(onDuckdb.results);
      expect(await parts.lake.get(onAthena.reportKey)).toBeDefined();
      expect(parts.iam.recorded().filter((d) => !d.allowed)).toStrictEqual([]);
      const actions = new Set(parts.iam.recorded().map((d) => d.action));
      for (const action of [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'glue:GetDatabase',
        'glue:GetTable',
        's3:GetBucketLocation',
      ]) {
        expect([action, actions.has(action)]).toStrictEqual([action, true]);
      }
      expect((await parts.lake.list('athena-results/')).length).toBe(QUERY_IDS.length);
    } finally {
      await tearDown(parts);
    }
  });

  it('reports QUEUED first and pages through the results with a header row only on the first page', async () => {
    // Prepare
    const parts = await setUp();
    try {
      // Act: three rows a page, so a country list of dozens of rows takes many pages.
      const [paged] = await runQueriesOnAthena({ ...parts.settings, pageSize: 3 }, [
        'top_category_by_country',
      ]);
      const [whole] = await runQueriesOnAthena(parts.settings, ['top_category_by_country']);

      // Assess
      expect(paged).toStrictEqual(whole);
      expect(paged!.rows).toStrictEqual(answerAll(tables).top_category_by_country);
      expect(paged!.rows.length).toBeGreaterThan(6);
      const results = await parts.lake.list('athena-results/');
      const firstId = results[0]!.key.split('/').pop()!.replace('.csv', '');
      const states = [...parts.athena.reportedStates(firstId)];
      expect(states[0]).toBe('QUEUED');
      expect(states.at(-1)).toBe('SUCCEEDED');
    } finally {
      await tearDown(parts);
    }
  });

  it("fails with the query's own error message, naming the query and its execution id", async () => {
    // Prepare: a copy of the query files with one column misspelt.
    const parts = await setUp();
    const queries = join(dir.path, `queries-${n}`);
    await cp(QUERIES_DIR, queries, { recursive: true });
    const file = join(queries, 'top_user_by_country.sql');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('p.poster_name IS NOT NULL', 'p.poster_nam IS NOT NULL'),
    );
    try {
      // Act
      const failure = runQueriesOnAthena(parts.settings, ['top_user_by_country'], { queriesDir: queries });

      // Assess
      await expect(failure).rejects.toThrow(AnalyticsQueryError);
      await expect(failure).rejects.toThrow(
        /^query top_user_by_country failed on Athena \([0-9a-f-]{36}\): .*poster_nam/,
      );
    } finally {
      await tearDown(parts);
    }
  });

  it('gives up at the deadline with the state the query was last in', async () => {
    // Prepare
    const parts = await setUp();
    try {
      // Act: the first look comes after the deadline, and the query is still queued then.
      const late = runQueriesOnAthena(
        { ...parts.settings, polling: { firstDelayMs: 0, maxDelayMs: 0, deadlineMs: 0 } },
        ['users_joined_by_year'],
      );

      // Assess
      await expect(late).rejects.toThrow(
        /^query users_joined_by_year did not finish on Athena within 0 s \([0-9a-f-]{36}, still QUEUED\)$/,
      );
    } finally {
      await tearDown(parts);
    }
  });

  it('fails the query, as Athena does, when the role may not read the Glue tables', async () => {
    // Prepare
    const parts = await setUp(
      deploymentWithout(deployment, statementGrant(deployment, 'batch-analytics', 'GlueBatchTables')),
    );
    try {
      // Act
      const denied = runQueriesOnAthena(parts.settings, ['users_joined_by_year']);

      // Assess
      await expect(denied).rejects.toThrow(
        /^query users_joined_by_year failed on Athena \([0-9a-f-]{36}\): Insufficient permissions to execute the query\. User: arn:aws:sts::000000000000:assumed-role\/.* is not authorized to perform: glue:GetDatabase/,
      );
    } finally {
      await tearDown(parts);
    }
  });

  it('refuses to start a query when the role may not use the workgroup', async () => {
    // Prepare
    const parts = await setUp(
      deploymentWithout(deployment, {
        ...statementGrant(deployment, 'batch-analytics', 'AthenaQueries'),
        kind: 'action',
        value: 'athena:StartQueryExecution',
      }),
    );
    try {
      // Act
      const denied = runQueriesOnAthena(parts.settings, ['users_joined_by_year']);

      // Assess
      await expect(denied).rejects.toThrow(
        /^query users_joined_by_year: Athena refused to start: User: .* is not authorized to perform: athena:StartQueryExecution on resource: arn:aws:athena:us-east-1:000000000000:workgroup\/pinlake-pinlake-local-analytics/,
      );
    } finally {
      await tearDown(parts);
    }
  });
});
