import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MSKEvent } from 'aws-lambda';
import { athenaSettingsFor, runAnalytics } from '../../../libs/analytics';
import { createLandTopicsHandler } from '../../../libs/batch';
import { loadConfig } from '../../../libs/config';
import { loadSnapshot } from '../../../libs/delta';
import { emulatePosts, openPostSource } from '../../../libs/emulator';
import { topicName } from '../../../libs/naming';
import { KINDS } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { createCommitStagedHandler, createStreamToDeltaHandler } from '../../../libs/stream-to-delta';
import { startLocalAthena } from '../../../local/athena';
import {
  type AwsCall,
  type Decision,
  enforceIamOnStore,
  IamEnforcer,
  localCredentials,
} from '../../../local/iam';
import { createLambdaContext } from '../../../local/pollers';
import { type LocalStack, loadLocalDeployment, startLocalStack } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';
import { cleanPosts, writeBatchTables } from '../../unit/analytics/batch-lake';
import { kinesisEvent, user } from '../../unit/stream-to-delta/support';
import { readTable } from '../start/lake-rows';
import { deploymentWithout, grantsOf, policiesWithout, statementGrant } from './grants';

// The whole pipeline run by the local stack under the roles serverless/resources/iam.yml deploys,
// every S3, Kinesis, MSK API and Kafka call evaluated by an IAM simulator (local/iam). Nothing here
// reads policy text: the calls the code really makes are allowed or denied, and every grant of every
// role is shown to be needed by taking it away and replaying the calls of the runs.

const deployment = loadLocalDeployment('pinlake');
const calls: Decision[] = [];
const temps: { cleanup: () => Promise<void> }[] = [];

async function startOn(options: Partial<Parameters<typeof startLocalStack>[0]> = {}): Promise<LocalStack> {
  const lake = await makeTempDir('pinlake-iam');
  temps.push(lake);
  return startLocalStack({ lake: lake.path, eventSources: { maximumRetryAttempts: 1 }, ...options });
}

async function send(stack: LocalStack, posts: number, mode: 'batch' | 'stream' | 'both') {
  return emulatePosts({
    api: stack.api,
    apiKey: stack.apiKey,
    source: await openPostSource('generator', { posts, seed: 11 }),
    mode,
    pipelineId: stack.pipelineId,
    concurrency: 8,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
  });
}

const denials = (stack: LocalStack) =>
  (stack.iam?.recorded() ?? [])
    .filter((d) => !d.allowed)
    .map((d) => `${d.functionName} ${d.action} ${d.resource}`);

async function stopAndKeep(stack: LocalStack) {
  calls.push(...(stack.iam?.recorded() ?? []));
  await stack.stop();
}

afterAll(async () => {
  for (const temp of temps) await temp.cleanup();
});

describe('the pipeline under its deployed IAM roles', () => {
  it('runs both paths, the schedules and the stream API with every call allowed', async () => {
    // Prepare
    const stack = await startOn();
    try {
      // Act
      const sent = await send(stack, 30, 'both');
      // Records that are not posts (quarantined by stream-to-delta and batch-clean), through PutRecords.
      const malformed = { index: 'not a number' };
      const records = await fetch(`${stack.api}/streams/streaming-pinlake-pin/records`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ data: malformed, 'partition-key': 'x' }] }),
      });
      const topic = await fetch(`${stack.api}/topics/${topicName('pinlake', 'pin')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
        body: JSON.stringify({ records: [{ value: malformed }] }),
      });
      const list = await fetch(`${stack.api}/streams`);
      const describe = await fetch(`${stack.api}/streams/streaming-pinlake-pin`);
      await stack.drain();
      await stack.runBatchClean();
      await stack.runAnalytics();
      // Retention 0: vacuum deletes what compaction replaced at once.
      await stack.runMaintenance({ retentionHours: 0 });
      // STREAM_COMMIT_MODE is direct: commit-staged finds nothing staged (its staged run is below).
      const committer = await stack.runCommitStaged();

      // Assess
      expect(committer).toStrictEqual({ rounds: 1, commits: 0, batches: 0, rows: 0, waiting: 0 });
      expect(sent.records).toStrictEqual({ sent: 180, failed: 0 });
      expect([records.status, topic.status, list.status, describe.status]).toStrictEqual([
        200, 200, 200, 200,
      ]);
      expect((await stack.store.list('quarantine/')).length).toBeGreaterThan(0);
      expect(((await list.json()) as { StreamNames: string[] }).StreamNames.sort()).toStrictEqual([
        'streaming-pinlake-geo',
        'streaming-pinlake-pin',
        'streaming-pinlake-user',
      ]);
      expect(denials(stack)).toStrictEqual([]);
      for (const kind of KINDS) {
        expect((await readTable(stack.store, 'stream', kind)).rows).toHaveLength(30);
        expect((await readTable(stack.store, 'batch', kind)).rows).toHaveLength(30);
      }
      expect(new Set(stack.iam?.recorded().map((d) => d.functionName))).toStrictEqual(
        new Set(Object.keys(deployment.functions)),
      );
    } finally {
      await stopAndKeep(stack);
    }
  });

  it('runs the stream path with group commits (STREAM_COMMIT_MODE=staged) with every call allowed', async () => {
    // Prepare
    const stack = await startOn({ streamCommitMode: 'staged' });
    try {
      // Act: stream-to-delta stages, commit-staged commits (its loop, then the drain's run)
      const sent = await send(stack, 20, 'stream');
      await stack.drain();

      // Assess
      expect(sent.records).toStrictEqual({ sent: 60, failed: 0 });
      expect(denials(stack)).toStrictEqual([]);
      for (const kind of KINDS) {
        expect((await readTable(stack.store, 'stream', kind)).rows).toHaveLength(20);
      }
      const committer = (stack.iam?.recorded() ?? []).filter((d) => d.functionName === 'commit-staged');
      expect(new Set(committer.map((d) => d.action))).toStrictEqual(
        new Set([
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          's3:ListBucket',
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
        ]),
      );
    } finally {
      await stopAndKeep(stack);
    }
  });

  it('lands nothing on the batch path when land-topics may not write the raw index (the first deploy bug)', async () => {
    // Prepare
    const grant = {
      ...statementGrant(deployment, 'land-topics', 'LakeRawLanding'),
      kind: 'resource' as const,
    };
    const index = deployment.functions['land-topics']?.policies['land-topics']?.Statement.find(
      (s) => s.Sid === 'LakeRawLanding',
    )?.Resource as string[];
    const stack = await startOn({
      deployment: deploymentWithout(deployment, { ...grant, value: index[1] ?? '' }),
    });
    try {
      // Act
      await send(stack, 10, 'batch');
      await stack.drain();
      await stack.runBatchClean();

      // Assess
      expect(new Set(denials(stack).map((d) => d.split(' ').slice(0, 2).join(' ')))).toStrictEqual(
        new Set(['land-topics s3:PutObject']),
      );
      for (const kind of KINDS) expect((await readTable(stack.store, 'batch', kind)).rows).toStrictEqual([]);
      const givenUp = await stack.store.list('quarantine/onfailure/land-topics/');
      expect(givenUp.length).toBeGreaterThan(0);
    } finally {
      await stopAndKeep(stack);
    }
  });

  it('gives stream batches up to the on-failure destination when stream-to-delta may not write its tables', async () => {
    // Prepare
    const stack = await startOn({
      deployment: deploymentWithout(
        deployment,
        statementGrant(deployment, 'stream-to-delta', 'LakeStreamTables'),
      ),
    });
    try {
      // Act
      await send(stack, 10, 'stream');
      await stack.drain();

      // Assess
      expect(denials(stack).length).toBeGreaterThan(0);
      expect((await stack.store.list('quarantine/onfailure/stream-to-delta/')).length).toBeGreaterThan(0);
      expect(await stack.store.list('tables/stream/')).toStrictEqual([]);
    } finally {
      await stopAndKeep(stack);
    }
  });

  it('answers every produce with a per-record error when GetBootstrapBrokers is scoped to the cluster (the second deploy bug)', async () => {
    // Prepare
    const facts = deployment.functions['ingest-batch'];
    const statements = facts?.policies['ingest-batch']?.Statement ?? [];
    const scoped = statements.map((s) =>
      s.Sid === 'MskBootstrapBrokers' ? { ...s, Resource: facts?.environment.MSK_CLUSTER_ARN ?? '' } : s,
    );
    const stack = await startOn({
      deployment: {
        ...deployment,
        functions: {
          ...deployment.functions,
          'ingest-batch': {
            ...(facts as NonNullable<typeof facts>),
            policies: { 'ingest-batch': { Version: '2012-10-17', Statement: scoped } },
          },
        },
      },
    });
    try {
      // Act
      const reply = await fetch(`${stack.api}/topics/${topicName('pinlake', 'pin')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
        body: JSON.stringify({ records: [{ value: { index: 1 } }] }),
      });

      // Assess
      expect(reply.status).toBe(200);
      expect(((await reply.json()) as { offsets: { error_code: number }[] }).offsets).toStrictEqual([
        expect.objectContaining({ error_code: 50002 }),
      ]);
      expect(denials(stack)).toStrictEqual(['ingest-batch kafka:GetBootstrapBrokers *']);
    } finally {
      await stack.stop();
    }
  });

  it('answers GET /streams with a 500 when ingest-stream may not list streams (the fourth deploy bug)', async () => {
    // Prepare
    const stack = await startOn({
      deployment: deploymentWithout(
        deployment,
        statementGrant(deployment, 'ingest-stream', 'KinesisListStreams'),
      ),
    });
    try {
      // Act
      const reply = await fetch(`${stack.api}/streams`);

      // Assess
      expect(reply.status).toBe(500);
      expect(denials(stack)).toStrictEqual(['ingest-stream kinesis:ListStreams *']);
    } finally {
      await stack.stop();
    }
  });

  it('leaves the invocation record of a scheduled run that fails in the on-failure destination, under its role', async () => {
    // Prepare: the three scheduled functions may not write their tables.
    let broken = deployment;
    for (const [functionName, sid] of [
      ['batch-clean', 'LakeBatchTables'],
      ['batch-analytics', 'LakeAnalyticsTables'],
      ['maintain-tables', 'LakeListTables'],
      ['commit-staged', 'LakeListStreamTables'],
    ] as const) {
      broken = deploymentWithout(broken, statementGrant(broken, functionName, sid));
    }
    const stack = await startOn({ deployment: broken });
    try {
      // Act
      const runs = await Promise.allSettled([
        stack.runBatchClean(),
        stack.runAnalytics(),
        stack.runMaintenance(),
        stack.runCommitStaged(),
      ]);

      // Assess
      expect(runs.map((run) => run.status)).toStrictEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      const records = await stack.store.list('quarantine/onfailure/');
      expect(records.map((o) => o.key.split('/')[2]).sort()).toStrictEqual([
        'batch-analytics',
        'batch-clean',
        'commit-staged',
        'maintain-tables',
      ]);
      const record = JSON.parse(new TextDecoder().decode(await stack.store.get(records[0]?.key ?? '')));
      expect(record.requestContext.condition).toBe('RetriesExhausted');
      expect(record.responsePayload.errorMessage).toContain('is not authorized to perform');
    } finally {
      await stopAndKeep(stack);
    }
  });

  it("lands a redelivered MSK batch once and quarantines a record it cannot place, under land-topics' role", async () => {
    // Prepare: the real land-topics handler over a lake whose every call its role must allow.
    const lake = await makeTempDir('pinlake-iam-land');
    temps.push(lake);
    const iam = new IamEnforcer(deployment);
    const store = enforceIamOnStore(new FileStore(lake.path), iam, {
      functionName: 'land-topics',
      bucket: deployment.physicalName('LakeBucket'),
    });
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const handler = createLandTopicsHandler({
      store,
      logger: new Logger({ serviceName: 'land-topics', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'pinlake', serviceName: 'land-topics' }),
    });
    const fixture = (variant: string): MSKEvent =>
      JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'events', 'msk', `${variant}.json`), 'utf8'));
    const misplaced = fixture('pin');
    const [first] = Object.values(misplaced.records).flat();
    if (!first) throw new Error('events/msk/pin.json has no record');
    misplaced.records = { 'pinlake.pin-0': [{ ...first, partition: 1, offset: 99 }] };
    const context = createLambdaContext({ functionName: 'land-topics' });

    // Act
    await handler(fixture('pin'), context);
    await handler(fixture('pin'), context);
    await handler(misplaced, context);

    // Assess
    expect(iam.recorded().filter((d) => !d.allowed)).toStrictEqual([]);
    expect((await new FileStore(lake.path).list('raw/topics/')).length).toBeGreaterThan(0);
    expect((await new FileStore(lake.path).list('quarantine/')).length).toBe(1);
    calls.push(...iam.recorded());
  });

  it("stages stream batches and commits them merged into one file, under stream-to-delta's and commit-staged's roles", async () => {
    // Prepare: two shards' batches staged by the real stream-to-delta handler, each store signing as
    // its function's role.
    const lake = await makeTempDir('pinlake-iam-staged');
    temps.push(lake);
    const iam = new IamEnforcer(deployment);
    const bucket = deployment.physicalName('LakeBucket');
    const storeOf = (functionName: string) =>
      enforceIamOnStore(new FileStore(lake.path), iam, { functionName, bucket });
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const logger = new Logger({ serviceName: 'iam', logLevel: 'SILENT' });
    const writer = createStreamToDeltaHandler({
      store: storeOf('stream-to-delta'),
      pipelineId: 'pinlake',
      commitMode: 'staged',
      logger,
      metrics: new Metrics({ namespace: 'pinlake', serviceName: 'stream-to-delta' }),
    });
    const committer = createCommitStagedHandler({
      store: storeOf('commit-staged'),
      logger,
      commitMode: 'staged',
    });
    const batch = (shard: number) =>
      kinesisEvent(
        'user',
        `shardId-00000000000${shard}`,
        [1, 2, 3].map((n) => ({
          seq: `4965682819345021135742309625124734915593809343661776000${n}`,
          data: user(n + 10 * shard),
        })),
      );

    // Act
    for (const shard of [0, 1])
      await writer(batch(shard), createLambdaContext({ functionName: 'stream-to-delta' }));
    const summary = await committer(
      { untilIdle: true },
      createLambdaContext({ functionName: 'commit-staged' }),
    );

    // Assess
    expect(iam.recorded().filter((d) => !d.allowed)).toStrictEqual([]);
    expect(summary).toStrictEqual({ rounds: 2, commits: 1, batches: 2, rows: 6, waiting: 0 });
    const snapshot = await loadSnapshot(new FileStore(lake.path), 'tables/stream/user');
    expect(snapshot.files).toHaveLength(1);
    calls.push(...iam.recorded());
  });

  it('runs batch-analytics on Athena (ANALYTICS_ENGINE=athena) under its role: the workgroup, the Glue tables, the lake and the result location', async () => {
    // Prepare: batch tables, the Athena stand-in (local/athena) checking each call against the role as
    // Athena does, and batch-analytics' store and Athena client signed as its role.
    const lake = await makeTempDir('pinlake-iam-athena');
    temps.push(lake);
    await writeBatchTables(new FileStore(lake.path), cleanPosts({ posts: 200, seed: 5, poolSize: 150 }));
    const iam = new IamEnforcer(deployment);
    const bucket = deployment.physicalName('LakeBucket');
    const athena = await startLocalAthena({
      deployment,
      lake: new FileStore(lake.path),
      lakeUri: pathToFileURL(lake.path).href,
      iam,
      lakeBucket: bucket,
    });
    const env = deployment.functions['batch-analytics']!.environment;
    const config = loadConfig({ ...env, ANALYTICS_ENGINE: 'athena', ATHENA_ENDPOINT: athena.endpoint });
    const settings = athenaSettingsFor(config, localCredentials('batch-analytics'))!;
    try {
      // Act
      const summary = await runAnalytics(
        enforceIamOnStore(new FileStore(lake.path), iam, { functionName: 'batch-analytics', bucket }),
        { athena: { ...settings, polling: { firstDelayMs: 5, maxDelayMs: 50 } } },
      );

      // Assess
      expect(summary.engine).toBe('athena');
      expect(summary.results.filter((r) => r.status === 'written')).toHaveLength(9);
      expect(iam.recorded().filter((d) => !d.allowed)).toStrictEqual([]);
      calls.push(...iam.recorded());
    } finally {
      settings.client.destroy();
      await athena.close();
    }
  });

  it('needs every grant of every role: taking any one away denies a call the runs made', async () => {
    // Prepare: the calls of the runs above, each allowed by the deployed role.
    const iam = (await import('../../../local/iam')).IamEnforcer;
    const enforcer = new iam(deployment);
    const made = new Map<string, AwsCall>();
    for (const call of calls)
      made.set(JSON.stringify([call.functionName, call.action, call.resource, call.context]), call);
    const disallowed: string[] = [];
    for (const call of made.values()) {
      const facts = deployment.functions[call.functionName];
      if (!(await enforcer.evaluateWith(call, facts?.policies ?? {})))
        disallowed.push(`${call.functionName} ${call.action} ${call.resource}`);
    }

    // Act
    const unneeded: string[] = [];
    for (const functionName of Object.keys(deployment.functions)) {
      const own = [...made.values()].filter((call) => call.functionName === functionName);
      for (const grant of grantsOf(deployment, functionName)) {
        const policies = policiesWithout(deployment, grant);
        let needed = false;
        for (const call of own) {
          if (!(await enforcer.evaluateWith(call, policies))) {
            needed = true;
            break;
          }
        }
        if (!needed) unneeded.push(`${functionName} ${grant.sid} ${grant.kind} ${grant.value}`);
      }
    }

    // Assess
    expect(disallowed).toStrictEqual([]);
    expect(made.size).toBeGreaterThan(50);
    expect(unneeded).toStrictEqual([]);
  });
});
