import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { type LocalStack, startLocalStack } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';
import { S3RVER_CREDENTIALS, startS3rver } from '../storage/s3rver';
import { readTemplate, render, resourcesOfType } from './cloudformation';
import { allFixtures, FUNCTIONS, type FunctionName, fixturesByFunction } from './function-fixtures';
import { expectedReplies, normalise } from './function-replies';
import {
  installRuntimeModules,
  lambdaNode,
  RUNTIME_LIST,
  type RunnerReport,
  runInLambdaNode,
} from './lambda-runtime';
import { type ProxiedRequest, startRecordingS3Proxy } from './recording-s3-proxy';
import { packagedService, ROOT } from './sls';
import { extractZip } from './zip-entries';

// Every packaged zip, unpacked outside the repository, loaded by the Node that nodejs22.x runs (with
// Lambda's flags) seeing nothing but the zip and the modules the runtime is pinned to provide
// (NODE_PATH, as /var/runtime/node_modules), and invoked with each of its fixtures in turn, as warm
// invocations. The services are the local stand-ins: kinesalite, the embedded Kafka broker, a file lake.

interface Packaged {
  readonly handler: string;
  readonly zip: string;
  readonly env: Record<string, string>;
  readonly memory: number;
}

let temp: { path: string; cleanup: () => Promise<void> };
let stack: LocalStack | undefined;
const packaged: Record<string, Packaged> = {};
let runtimeModules = '';
let runtimePackages: string[] = [];
let runnerPath = '';
const reports = new Map<FunctionName, RunnerReport>();

beforeAll(async () => {
  temp = await makeTempDir('pinlake-runtime');
  lambdaNode();
  const packageDir = await packagedService();
  const template = await readTemplate(packageDir);
  for (const resource of Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))) {
    const p = render(resource.Properties) as {
      FunctionName: string;
      Handler: string;
      MemorySize: number;
      Code: { S3Key: string };
      Environment: { Variables: Record<string, string> };
    };
    // osls's own custom resource (API Gateway's logging role) is not one of pinlake's functions.
    if (!p.Handler.startsWith('functions/')) continue;
    const name = p.FunctionName.replace(/^pinlake-ci-/, '');
    const zip = join(packageDir, p.Code.S3Key.split('/').pop() ?? '');
    packaged[name] = { handler: p.Handler, zip, env: p.Environment.Variables, memory: p.MemorySize };
  }
  runtimeModules = join(temp.path, 'runtime', 'node_modules');
  runtimePackages = await installRuntimeModules(runtimeModules);
  runnerPath = join(temp.path, 'runtime', 'lambda-runner.cjs');
  await copyFile(join(__dirname, 'lambda-runner.cjs'), runnerPath);
  stack = await startLocalStack({ lake: join(temp.path, 'stack-lake') });
  // In order, on one lake: the scheduled functions then work on what the stream functions wrote.
  for (const name of FUNCTIONS) reports.set(name, await runZip(name));
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await temp?.cleanup();
});

const pick = (env: Readonly<Record<string, string>>, keys: readonly string[]) =>
  Object.fromEntries(keys.flatMap((key) => (env[key] === undefined ? [] : [[key, env[key] as string]])));

/** The environment Lambda gives the function, pointed at the local stand-ins. */
function lambdaEnv(name: string, fn: Packaged, taskDir: string): Record<string, string> {
  if (stack === undefined) throw new Error('the local stack did not start');
  return {
    ...fn.env,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: runtimeModules,
    LAMBDA_TASK_ROOT: taskDir,
    LAMBDA_RUNTIME_DIR: dirname(runtimeModules),
    _HANDLER: fn.handler,
    AWS_LAMBDA_FUNCTION_NAME: `pinlake-ci-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memory),
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_SESSION_TOKEN: 'local-stand-in-token',
    // The function's local role credentials: its Kinesis, MSK API and Kafka calls are checked against
    // its role; ingest-batch takes the production path (GetBootstrapBrokers, then a signed IAM token).
    ...pick(stack.functionEnv(name), [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'KINESIS_ENDPOINT',
      'MSK_ENDPOINT',
      'KAFKA_TLS',
    ]),
    ...(fn.env.MSK_CLUSTER_ARN === undefined ? {} : { MSK_CLUSTER_ARN: stack.env.MSK_CLUSTER_ARN ?? '' }),
    // The fixtures name the default pipeline's streams and topics.
    PIPELINE_ID: 'pinlake',
    LAKE_URI: `file://${join(temp.path, 'lake')}`,
    ...(fn.env.HOME === undefined ? {} : { HOME: temp.path }),
  };
}

async function runZip(name: FunctionName): Promise<RunnerReport> {
  const fn = packaged[name];
  if (fn === undefined) throw new Error(`sls package made no function ${name}`);
  const taskDir = join(temp.path, 'task', name);
  await mkdir(taskDir, { recursive: true });
  await extractZip(fn.zip, taskDir);
  const report = await runInLambdaNode({
    runnerPath,
    taskDir,
    handler: fn.handler,
    functionName: `pinlake-ci-${name}`,
    eventFiles: fixturesByFunction()[name].map((fixture) => join(ROOT, 'events', fixture)),
    env: lambdaEnv(name, fn, taskDir),
    timeoutMs: 180_000,
  });
  return report;
}

/** The report of a function's zip, run in beforeAll. */
function reportOf(name: FunctionName): RunnerReport {
  const report = reports.get(name);
  if (report === undefined) throw new Error(`${name}'s zip did not run`);
  return report;
}

describe(`every zip on the ${RUNTIME_LIST.runtime} runtime (Node ${RUNTIME_LIST.node}, the pinned runtime modules)`, () => {
  test('runs outside the repository, where no node_modules folder above it could lend a module', () => {
    // Act
    const above: string[] = [];
    for (let dir = temp.path; dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(join(dirname(dir), 'node_modules'))) above.push(join(dirname(dir), 'node_modules'));
    }

    // Assess
    expect([temp.path.startsWith(`${ROOT}${sep}`), above]).toStrictEqual([false, []]);
    expect(runtimePackages.filter((p) => Object.hasOwn(RUNTIME_LIST.modules, p)).sort()).toStrictEqual(
      Object.keys(RUNTIME_LIST.modules).sort(),
    );
  });

  test('every fixture under events/ belongs to a function', () => {
    // Act
    const placed = Object.values(fixturesByFunction()).flat();
    const unplaced = allFixtures().filter((f) => !placed.includes(f));

    // Assess
    expect(unplaced).toStrictEqual([]);
    expect(Object.keys(packaged).sort()).toStrictEqual([...FUNCTIONS].sort());
  });

  test.each(FUNCTIONS.map((name) => [name]))(
    '%s loads and answers each of its fixtures with the expected reply',
    (name) => {
      // Act
      const report = reportOf(name);
      const invocations = (report.invocations ?? []).map((i) =>
        normalise(name, i.event.slice(join(ROOT, 'events').length + 1), i),
      );

      // Assess
      expect(report.init).toBeUndefined();
      expect(invocations).toStrictEqual(expectedReplies(name, fixturesByFunction()[name]));
    },
  );

  test.each(FUNCTIONS.map((name) => [name]))(
    '%s loads no module from outside its zip and the runtime modules',
    (name) => {
      // Act
      const report = reportOf(name);
      const taskDir = join(temp.path, 'task', name);
      const outside = report.loaded.filter(
        (file) => !file.startsWith(`${taskDir}${sep}`) && !file.startsWith(`${runtimeModules}${sep}`),
      );

      // Assess
      expect(outside).toStrictEqual([]);
    },
  );

  test('stream-to-delta commits to S3 with If-None-Match: * from its bundled S3 client', async () => {
    // Prepare: the exactly-once commit relies on the header; the S3 client is bundled so that it is sent.
    const fn = packaged['stream-to-delta'];
    if (fn === undefined) throw new Error('sls package made no stream-to-delta');
    const taskDir = join(temp.path, 'task', 'stream-to-delta');
    const s3rver = await startS3rver(join(temp.path, 's3rver'), ['lake']);
    const proxy = await startRecordingS3Proxy(s3rver.endpoint);
    let report: RunnerReport;
    let commits: ProxiedRequest[];
    try {
      // Act
      report = await runInLambdaNode({
        runnerPath,
        taskDir,
        handler: fn.handler,
        functionName: 'pinlake-ci-stream-to-delta',
        eventFiles: [join(ROOT, 'events/kinesis/stream-to-delta-pin.json')],
        env: {
          ...lambdaEnv('stream-to-delta', fn, taskDir),
          LAKE_URI: 's3://lake/zip-test',
          S3_ENDPOINT: proxy.endpoint,
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        },
        timeoutMs: 180_000,
      });
      commits = proxy.seen.filter((r) => r.method === 'PUT' && r.path.includes('/_delta_log/'));
    } finally {
      await proxy.close();
      await s3rver.close();
    }

    // Assess
    expect(report.invocations?.map((i) => i.reply ?? i.error)).toStrictEqual([{ batchItemFailures: [] }]);
    const log = '/lake/zip-test/tables/stream/pin/_delta_log';
    expect(commits).toStrictEqual([
      { method: 'PUT', path: `${log}/00000000000000000000.json`, ifNoneMatch: '*' },
      { method: 'PUT', path: `${log}/00000000000000000001.json`, ifNoneMatch: '*' },
    ]);
  });
});
