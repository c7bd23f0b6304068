import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateIntrinsics, loadDeployment, loadService } from '../../../local/deployment';
import { propertiesOf, readTemplate, render, resourcesOfType, type Template } from './cloudformation';
import { FUNCTIONS } from './function-fixtures';
import { CLUSTER, PARAMS, packagedService, ROOT } from './sls';
import { readZipEntries, type ZipEntry } from './zip-entries';

// `sls package` (osls) is run on the real tree, offline and without AWS credentials, with parameters
// other than the defaults so the test proves they reach every resource (once per jest run: see sls.ts).
const LAKE = '{LakeBucket.Arn}';
const ON_FAILURE = '{OnFailureBucket.Arn}';

const missingHandlers = FUNCTIONS.map((name) => `functions/${name}.ts`).filter(
  (path) => !existsSync(join(ROOT, path)),
);
let template: Template | undefined;
let packageDir = '';

beforeAll(async () => {
  if (missingHandlers.length > 0) return;
  packageDir = await packagedService();
  template = await readTemplate(packageDir);
}, 300_000);

function packaged(): Template {
  if (template !== undefined) return template;
  throw new Error(`sls package cannot run: the handler files ${missingHandlers.join(', ')} do not exist`);
}

/** Rendered properties of one resource (see `render`). */
const props = (logicalId: string) => render(propertiesOf(packaged(), logicalId)) as Record<string, unknown>;

/** osls's logical id prefix for a function: `stream-to-delta` → `StreamDashtoDashdelta`. */
const functionId = (name: string) =>
  `${name.charAt(0).toUpperCase()}${name.slice(1).replaceAll('-', 'Dash')}`;

/** `stream-to-delta` → `StreamToDelta`, as the alarms and roles are named. */
const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');

describe('sls package (the production template, built offline)', () => {
  test('every function has its handler file', () => {
    // Assess
    expect(missingHandlers).toStrictEqual([]);
  });

  test('packages the eight functions on nodejs22.x, each with its own role and zip', () => {
    // Act
    const all = Object.entries(resourcesOfType(packaged(), 'AWS::Lambda::Function'));
    // osls adds one function of its own: the custom resource that sets API Gateway's logging role.
    const others = all
      .filter(([, r]) => !String(r.Properties?.Handler).startsWith('functions/'))
      .map(([id]) => id);
    const functions = all
      .filter(([id]) => !others.includes(id))
      .map(([, resource]) => {
        const p = render(resource.Properties) as Record<string, unknown>;
        const code = p.Code as { S3Key: string };
        return [
          p.FunctionName,
          p.Handler,
          p.Runtime,
          p.Architectures,
          p.MemorySize,
          p.Timeout,
          p.Role,
          code.S3Key.split('/').pop(),
        ];
      });

    // Assess
    expect(others).toStrictEqual(['CustomDashresourceDashapigwDashcwDashroleLambdaFunction']);
    expect(functions).toStrictEqual([
      [
        'pinlake-ci-ingest-batch',
        'functions/ingest-batch.handler',
        'nodejs22.x',
        ['arm64'],
        512,
        29,
        '{IngestBatchRole.Arn}',
        'ingest-batch.zip',
      ],
      [
        'pinlake-ci-ingest-stream',
        'functions/ingest-stream.handler',
        'nodejs22.x',
        ['arm64'],
        512,
        29,
        '{IngestStreamRole.Arn}',
        'ingest-stream.zip',
      ],
      [
        'pinlake-ci-land-topics',
        'functions/land-topics.handler',
        'nodejs22.x',
        ['arm64'],
        512,
        120,
        '{LandTopicsRole.Arn}',
        'land-topics.zip',
      ],
      [
        'pinlake-ci-stream-to-delta',
        'functions/stream-to-delta.handler',
        'nodejs22.x',
        ['arm64'],
        1024,
        120,
        '{StreamToDeltaRole.Arn}',
        'stream-to-delta.zip',
      ],
      [
        'pinlake-ci-commit-staged',
        'functions/commit-staged.handler',
        'nodejs22.x',
        ['arm64'],
        1024,
        60,
        '{CommitStagedRole.Arn}',
        'commit-staged.zip',
      ],
      [
        'pinlake-ci-batch-clean',
        'functions/batch-clean.handler',
        'nodejs22.x',
        ['arm64'],
        2048,
        900,
        '{BatchCleanRole.Arn}',
        'batch-clean.zip',
      ],
      [
        'pinlake-ci-batch-analytics',
        'functions/batch-analytics.handler',
        'nodejs22.x',
        ['x86_64'],
        3008,
        900,
        '{BatchAnalyticsRole.Arn}',
        'batch-analytics.zip',
      ],
      [
        'pinlake-ci-maintain-tables',
        'functions/maintain-tables.handler',
        'nodejs22.x',
        ['arm64'],
        1024,
        900,
        '{MaintainTablesRole.Arn}',
        'maintain-tables.zip',
      ],
    ]);
    expect(packaged().Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  test('gives every function the pipeline id, the lake and its own Powertools service name, and ingest-batch the MSK cluster', () => {
    // Prepare
    const common = {
      PIPELINE_ID: 'pltest',
      LAKE_URI: 's3://pinlake-pltest-ci-eu-west-1-lake',
      POWERTOOLS_METRICS_NAMESPACE: 'pinlake',
      NODE_OPTIONS: '--enable-source-maps',
    };

    // Act
    const environments = FUNCTIONS.map((name) => props(`${functionId(name)}LambdaFunction`).Environment);

    // Assess
    const own = (name: string) => ({ ...common, POWERTOOLS_SERVICE_NAME: name });
    expect(environments).toStrictEqual([
      { Variables: { ...own('ingest-batch'), MSK_CLUSTER_ARN: CLUSTER } },
      { Variables: own('ingest-stream') },
      { Variables: own('land-topics') },
      {
        Variables: {
          ...own('stream-to-delta'),
          NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=64',
          STREAM_COMMIT_MODE: 'direct',
        },
      },
      { Variables: { ...own('commit-staged'), STREAM_COMMIT_MODE: 'direct' } },
      {
        Variables: {
          ...own('batch-clean'),
          MALLOC_MMAP_THRESHOLD_: '33554432',
          MALLOC_TRIM_THRESHOLD_: '268435456',
        },
      },
      {
        Variables: {
          ...own('batch-analytics'),
          HOME: '/tmp',
          ANALYTICS_ENGINE: 'duckdb',
          ATHENA_WORKGROUP: 'pinlake-pltest-ci-analytics',
          GLUE_DATABASE: 'pinlake_pltest_ci',
        },
      },
      { Variables: own('maintain-tables') },
    ]);
  });

  test("gives batch-analytics 3 GB of /tmp for the files DuckDB reads, and the others Lambda's default", () => {
    // Act
    const storage = FUNCTIONS.map(
      (name) =>
        (props(`${functionId(name)}LambdaFunction`).EphemeralStorage as { Size: number } | undefined)?.Size,
    );

    // Assess
    expect(storage).toStrictEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      3072,
      undefined,
    ]);
  });

  test('puts ingest-batch, and only it, in the MSK subnets (land-topics reaches MSK through its event source)', () => {
    // Act
    const vpcs = FUNCTIONS.map((name) => props(`${functionId(name)}LambdaFunction`).VpcConfig);

    // Assess
    const vpc = { SubnetIds: ['subnet-0aaa', 'subnet-0bbb'], SecurityGroupIds: ['sg-0ccc'] };
    expect(vpcs).toStrictEqual([
      vpc,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('reads the three Kinesis streams with bounded, bisected, partial-failure retries and an S3 destination', () => {
    // Act
    const mappings = ['Pin', 'Geo', 'User'].map((kind) =>
      props(`StreamDashtoDashdeltaEventSourceMappingKinesis${kind}Stream`),
    );

    // Assess
    expect(mappings).toStrictEqual(
      ['Pin', 'Geo', 'User'].map((kind) => ({
        BatchSize: 1000,
        Enabled: true,
        EventSourceArn: `{${kind}Stream.Arn}`,
        FunctionName: '{StreamDashtoDashdeltaLambdaFunction.Arn}',
        ParallelizationFactor: 1,
        StartingPosition: 'TRIM_HORIZON',
        MaximumBatchingWindowInSeconds: 10,
        MaximumRetryAttempts: 5,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRecordAgeInSeconds: 86400,
        DestinationConfig: { OnFailure: { Destination: ON_FAILURE } },
      })),
    );
  });

  test('reads the three MSK topics with their consumer groups, provisioned pollers and the same error handling', () => {
    // Act
    const mappings = ['Pin', 'Geo', 'User'].map((kind) => props(`LandTopics${kind}EventSourceMapping`));

    // Assess
    expect(mappings).toStrictEqual(
      ['pin', 'geo', 'user'].map((kind) => ({
        FunctionName: '{LandDashtopicsLambdaFunction.Arn}',
        EventSourceArn: CLUSTER,
        Topics: [`pltest.${kind}`],
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: `pltest-land-topics-${kind}` },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 1000,
        MaximumBatchingWindowInSeconds: 30,
        ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 604800,
        DestinationConfig: { OnFailure: { Destination: ON_FAILURE } },
      })),
    );
    expect(Object.keys(resourcesOfType(packaged(), 'AWS::Lambda::EventSourceMapping'))).toHaveLength(6);
  });

  test('requires an API key on every API method and throttles the usage plan', () => {
    // Act
    const methods = Object.values(resourcesOfType(packaged(), 'AWS::ApiGateway::Method')).map((resource) => {
      const p = render(resource.Properties) as Record<string, unknown>;
      return [p.HttpMethod, p.ResourceId, p.ApiKeyRequired];
    });
    const plan = props('ApiGatewayUsagePlan');

    // Assess
    expect(methods).toStrictEqual([
      ['POST', '{ApiGatewayResourceTopicsTopicVar}', true],
      ['PUT', '{ApiGatewayResourceStreamsStreamVarRecord}', true],
      ['PUT', '{ApiGatewayResourceStreamsStreamVarRecords}', true],
      ['GET', '{ApiGatewayResourceStreams}', true],
      ['GET', '{ApiGatewayResourceStreamsStreamVar}', true],
    ]);
    expect([plan.Throttle, plan.Quota]).toStrictEqual([
      { BurstLimit: 100, RateLimit: 50 },
      { Limit: 100000, Period: 'DAY' },
    ]);
    expect(props('ApiGatewayUsagePlanKey1')).toStrictEqual({
      KeyId: '{ApiGatewayApiKey1}',
      KeyType: 'API_KEY',
      UsagePlanId: '{ApiGatewayUsagePlan}',
    });
  });

  // What the roles allow is tested by running the functions' real calls under them
  // (tests/integration/iam); here, that the local stack reads exactly the roles and event source
  // settings this template deploys.
  test('deploys the roles and event source mappings the local stack enforces and runs', () => {
    // Prepare
    const service = loadService({
      stage: 'ci',
      region: 'eu-west-1',
      accountId: '111122223333',
      params: PARAMS,
    });
    const model = loadDeployment({
      stage: 'ci',
      region: 'eu-west-1',
      accountId: '111122223333',
      params: PARAMS,
    });
    const mappings = resourcesOfType(packaged(), 'AWS::Lambda::EventSourceMapping');

    // Act
    const allRoles = Object.entries(resourcesOfType(packaged(), 'AWS::IAM::Role'));
    const roles = allRoles
      .filter(([id]) => id in service.resources)
      .map(([id, role]) => [id, role.Properties?.Policies]);
    const localMappings = Object.values(model.functions).flatMap((f) =>
      f.eventSources.map((m) => [
        f.deployedName,
        m.source,
        m.batchSize,
        m.batchingWindowSeconds,
        m.bisectBatchOnFunctionError,
        m.maximumRetryAttempts,
        m.maximumRecordAgeSeconds,
        m.reportBatchItemFailures,
        m.startingPosition,
        m.onFailureDestination,
      ]),
    );
    const deployedMappings = Object.values(mappings).map((resource) => {
      const p = evaluateIntrinsics(service, resource.Properties) as Record<string, unknown>;
      const arn = String(p.EventSourceArn);
      const source = (p.Topics as string[] | undefined)?.[0] ?? arn.slice(arn.indexOf(':stream/') + 8);
      const destination = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)
        ?.OnFailure;
      return [
        String(p.FunctionName).split(':').pop(),
        source,
        p.BatchSize,
        p.MaximumBatchingWindowInSeconds,
        p.BisectBatchOnFunctionError,
        p.MaximumRetryAttempts,
        p.MaximumRecordAgeInSeconds,
        (p.FunctionResponseTypes as string[]).includes('ReportBatchItemFailures'),
        p.StartingPosition,
        destination?.Destination,
      ];
    });

    // Assess
    expect(allRoles.map(([id]) => id).filter((id) => !(id in service.resources))).toStrictEqual([
      'IamRoleCustomResourcesLambdaExecution',
    ]);
    expect(roles).toStrictEqual(
      roles
        .map(([id]) => id as string)
        .map((id) => [
          id,
          (service.resources[id]?.Properties as { Policies: unknown } | undefined)?.Policies,
        ]),
    );
    expect(roles).toHaveLength(8);
    expect(new Set(deployedMappings.map((m) => JSON.stringify(m)))).toStrictEqual(
      new Set(localMappings.map((m) => JSON.stringify(m))),
    );
    expect(localMappings).toHaveLength(6);
    expect([...FUNCTIONS]).toStrictEqual(Object.keys(model.functions));
    const asyncConfigs = Object.values(resourcesOfType(packaged(), 'AWS::Lambda::EventInvokeConfig')).map(
      (r) => {
        const p = evaluateIntrinsics(service, r.Properties) as {
          FunctionName: string;
          MaximumRetryAttempts: number;
          DestinationConfig: { OnFailure: { Destination: string } };
        };
        return [p.FunctionName, p.MaximumRetryAttempts, p.DestinationConfig.OnFailure.Destination];
      },
    );
    expect(asyncConfigs).toStrictEqual(
      Object.values(model.functions)
        .filter((f) => f.asyncInvoke.onFailureDestination !== undefined)
        .map((f) => [f.deployedName, f.asyncInvoke.maximumRetryAttempts, f.asyncInvoke.onFailureDestination]),
    );
    expect(asyncConfigs.map(([name]) => name)).toStrictEqual([
      'pinlake-ci-commit-staged',
      'pinlake-ci-batch-clean',
      'pinlake-ci-batch-analytics',
      'pinlake-ci-maintain-tables',
    ]);
  });

  test('alarms on errors of every function, iterator age, offset lag, refused records, API 5XX and quarantine growth', () => {
    // Act
    const alarms = Object.entries(resourcesOfType(packaged(), 'AWS::CloudWatch::Alarm')).map(
      ([id, resource]) => {
        const p = render(resource.Properties) as Record<string, unknown>;
        const metric = p.MetricName ?? (p.Metrics as { Expression: string }[])[0]?.Expression;
        const target = (p.Dimensions as { Value: string }[] | undefined)?.[0]?.Value;
        return [
          id,
          metric,
          target,
          p.Threshold,
          p.Period ?? (p.Metrics as { Period: number }[])[0]?.Period,
          p.AlarmActions,
        ];
      },
    );

    // Assess
    const notify = ['{AlarmTopic}'];
    expect(alarms).toStrictEqual([
      ...FUNCTIONS.map((name) => [
        `${pascal(name)}ErrorsAlarm`,
        'Errors',
        `{${functionId(name)}LambdaFunction}`,
        0,
        300,
        notify,
      ]),
      [
        'StreamToDeltaIteratorAgeAlarm',
        'IteratorAge',
        '{StreamDashtoDashdeltaLambdaFunction}',
        600000,
        300,
        notify,
      ],
      ['LandTopicsOffsetLagAlarm', 'OffsetLag', '{LandDashtopicsLambdaFunction}', 10000, 300, notify],
      [
        'IngestBatchRecordErrorsAlarm',
        'SELECT SUM(ProduceRecordErrors) FROM pinlake',
        undefined,
        0,
        300,
        notify,
      ],
      ['ApiServerErrorsAlarm', '5XXError', 'ci-pinlake', 0, 300, notify],
      ['QuarantineGrowthAlarm', 'SELECT SUM(QuarantinedRecords) FROM pinlake', undefined, 100, 3600, notify],
    ]);
  });

  test('registers the lake in the Glue Data Catalog as native Delta tables, with an Athena v3 workgroup', () => {
    // Act
    const glueTables = Object.entries(resourcesOfType(packaged(), 'AWS::Glue::Table')).map(
      ([id, resource]) => {
        const p = render(resource.Properties) as {
          CatalogId: string;
          DatabaseName: string;
          TableInput: {
            Name: string;
            TableType: string;
            Parameters: unknown;
            StorageDescriptor: { Location: string };
          };
        };
        return [
          id,
          p.CatalogId,
          p.DatabaseName,
          p.TableInput.Name,
          p.TableInput.TableType,
          p.TableInput.Parameters,
          p.TableInput.StorageDescriptor.Location,
        ];
      },
    );
    const database = props('LakeDatabase');
    const workgroup = props('AnalyticsWorkGroup');

    // Assess
    expect(glueTables).toHaveLength(15);
    expect(glueTables.find(([id]) => id === 'GlueTableBatchPin')).toStrictEqual([
      'GlueTableBatchPin',
      '{AWS::AccountId}',
      '{LakeDatabase}',
      'batch_pin',
      'EXTERNAL_TABLE',
      { table_type: 'DELTA', EXTERNAL: 'TRUE' },
      's3://{LakeBucket}/tables/batch/pin/',
    ]);
    expect(database).toStrictEqual({
      CatalogId: '{AWS::AccountId}',
      DatabaseInput: {
        Name: 'pinlake_pltest_ci',
        Description: 'pinlake lake tables (Delta Lake) in s3://pinlake-pltest-ci-eu-west-1-lake/tables/',
      },
    });
    expect(workgroup).toStrictEqual({
      Name: 'pinlake-pltest-ci-analytics',
      Description: 'pinlake analytics (batch-analytics with ANALYTICS_ENGINE=athena, and people)',
      State: 'ENABLED',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10737418240,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: 's3://pinlake-pltest-ci-eu-west-1-lake/athena-results/',
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
  });

  test('keeps the lake bucket encrypted and private, expiring quarantine and old reports', () => {
    // Act
    const lake = props('LakeBucket');

    // Assess
    expect(lake).toStrictEqual({
      BucketName: 'pinlake-pltest-ci-eu-west-1-lake',
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'expire-quarantine', Status: 'Enabled', Prefix: 'quarantine/', ExpirationInDays: 30 },
          { Id: 'expire-old-reports', Status: 'Enabled', Prefix: 'reports/', ExpirationInDays: 90 },
          {
            Id: 'abort-incomplete-uploads',
            Status: 'Enabled',
            Prefix: '',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
          { Id: 'expire-athena-results', Status: 'Enabled', Prefix: 'athena-results/', ExpirationInDays: 7 },
        ],
      },
    });
    expect(props('LakeBucketPolicy').PolicyDocument).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [LAKE, `${LAKE}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  test('creates the three on-demand, encrypted streams named after the pipeline', () => {
    // Act
    const streams = ['PinStream', 'GeoStream', 'UserStream'].map(props);

    // Assess
    expect(streams).toStrictEqual(
      ['pin', 'geo', 'user'].map((kind) => ({
        Name: `streaming-pltest-${kind}`,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 24,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      })),
    );
  });

  test('schedules commit-staged every minute, batch-clean daily, batch-analytics 30 minutes after it, and maintain-tables every 2 minutes', () => {
    // Act
    const rules = Object.values(resourcesOfType(packaged(), 'AWS::Events::Rule')).map((resource) => {
      const p = render(resource.Properties) as { ScheduleExpression: string; Targets: { Arn: string }[] };
      return [p.ScheduleExpression, p.Targets.map((target) => target.Arn)];
    });

    // Assess
    expect(rules).toStrictEqual([
      ['rate(1 minute)', ['{CommitDashstagedLambdaFunction.Arn}']],
      ['cron(0 2 * * ? *)', ['{BatchDashcleanLambdaFunction.Arn}']],
      ['cron(30 2 * * ? *)', ['{BatchDashanalyticsLambdaFunction.Arn}']],
      ['rate(2 minutes)', ['{MaintainDashtablesLambdaFunction.Arn}']],
    ]);
  });

  test('ships DuckDB and the analytics queries with batch-analytics alone, every zip within Lambda limits', async () => {
    // Prepare
    packaged();
    const zips: Record<string, ZipEntry[]> = {};
    const sizes: Record<string, { zipBytes: number; unzippedBytes: number }> = {};
    for (const name of FUNCTIONS) {
      const path = join(packageDir, `${name}.zip`);
      zips[name] = await readZipEntries(path);
      const unzippedBytes = zips[name].reduce((sum, entry) => sum + entry.size, 0);
      sizes[name] = { zipBytes: (await stat(path)).size, unzippedBytes };
    }
    await mkdir(join(ROOT, 'test-output'), { recursive: true });
    await writeFile(
      join(ROOT, 'test-output/deploy-package-sizes.json'),
      `${JSON.stringify(sizes, null, 2)}\n`,
    );

    // Act
    const layout = Object.fromEntries(
      FUNCTIONS.map((name) => {
        const names = (zips[name] ?? []).map((entry) => entry.name);
        const packages = [
          ...new Set(names.filter((n) => n.startsWith('node_modules/')).map(packageOf)),
        ].sort();
        const other = names.filter(
          (n) => !n.startsWith('node_modules/') && !n.startsWith('functions/queries/'),
        );
        const queries = names.filter((n) => n.startsWith('functions/queries/')).length;
        return [name, { other: other.sort(), packages, queries }];
      }),
    );

    // Assess
    const bundleOnly = (name: string) => ({
      other: [`functions/${name}.js`, `functions/${name}.js.map`],
      packages: [],
      queries: 0,
    });
    expect(layout).toStrictEqual({
      'ingest-batch': bundleOnly('ingest-batch'),
      'ingest-stream': bundleOnly('ingest-stream'),
      'land-topics': bundleOnly('land-topics'),
      'stream-to-delta': bundleOnly('stream-to-delta'),
      'commit-staged': bundleOnly('commit-staged'),
      'batch-clean': bundleOnly('batch-clean'),
      'batch-analytics': {
        ...bundleOnly('batch-analytics'),
        packages: [
          '@duckdb/node-api',
          '@duckdb/node-bindings',
          '@duckdb/node-bindings-linux-x64',
          'detect-libc',
        ],
        queries: 9,
      },
      'maintain-tables': bundleOnly('maintain-tables'),
    });
    for (const [name, size] of Object.entries(sizes)) {
      expect([name, size.zipBytes < 50 * 1024 * 1024, size.unzippedBytes < 250 * 1024 * 1024]).toStrictEqual([
        name,
        true,
        true,
      ]);
    }
  });

  test('keeps the bundles within design §7: the HTTP functions ≤ 300 KB, stream-to-delta ≤ 600 KB', async () => {
    // Prepare
    packaged();
    const budgets = { 'ingest-batch': 300, 'ingest-stream': 300, 'stream-to-delta': 600 } as const;

    // Act
    const kilobytes = Object.fromEntries(
      await Promise.all(
        Object.keys(budgets).map(async (name) => {
          const entries = await readZipEntries(join(packageDir, `${name}.zip`));
          const bundle = entries.find((entry) => entry.name === `functions/${name}.js`);
          return [name, Math.ceil((bundle?.size ?? Number.POSITIVE_INFINITY) / 1024)] as const;
        }),
      ),
    );

    // Assess
    const over = Object.entries(budgets).filter(([name, budget]) => !(kilobytes[name]! <= budget));
    expect({ over, kilobytes }).toStrictEqual({ over: [], kilobytes });
  });
});

/** `node_modules/@scope/name/…` → `@scope/name`; `node_modules/name/…` → `name`. */
function packageOf(entry: string): string {
  const parts = entry.split('/');
  return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : (parts[1] ?? entry);
}
