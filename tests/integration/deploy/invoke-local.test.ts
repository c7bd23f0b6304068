import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';
import { FUNCTIONS, type FunctionName, fixturesByFunction } from './function-fixtures';
import { expectedReplies, type Invocation, normalise } from './function-replies';
import type { RunnerReport } from './lambda-runtime';
import { ROOT, runSls, type SlsOutcome, withSlsLock } from './sls';

// `npx sls invoke local -f <function> -p events/<fixture>.json -e …`, as the README tells a developer to
// run it against the local stack: once per function, each with a generous limit, and the process must
// exit by itself after printing the reply. osls takes seconds to start, so each function's other
// fixtures run right after, in one process, through the bundle that very `sls invoke local` built and
// ran (serverless-esbuild's .esbuild/.build), with the same environment.

/** The fixture each function is invoked with through osls: the one that does the most I/O. */
const VIA_SLS: Record<FunctionName, string> = {
  'ingest-batch': 'apigw/rest-proxy-valid.json',
  'ingest-stream': 'apigw/put-record.json',
  'land-topics': 'msk/pin.json',
  'stream-to-delta': 'kinesis/stream-to-delta-pin.json',
  'commit-staged': 'schedule/scheduled.json',
  'batch-clean': 'schedule/scheduled.json',
  'batch-analytics': 'schedule/scheduled.json',
  'maintain-tables': 'schedule/scheduled.json',
};
/** Per invocation: osls starts in seconds, but a shared machine can be slow. Not a benchmark. */
const LIMIT_MS = 180_000;
const BUILD_DIR = join(ROOT, '.esbuild', '.build');

let temp: { path: string; cleanup: () => Promise<void> };
let stack: LocalStack | undefined;
let env: Record<string, string> = {};
const outcomes = new Map<FunctionName, { sls: SlsOutcome; others: RunnerReport }>();

/** The reply `sls invoke local` printed last (it pretty-prints it; log lines are single-line JSON). */
function printedReply(stdout: string): unknown {
  const lines = stdout.trimEnd().split('\n');
  const start = lines.map((line) => line === '{' || line === '[').lastIndexOf(true);
  if (start < 0) return `no reply in: ${stdout.slice(-500)}`;
  return JSON.parse(lines.slice(start).join('\n'));
}

/** Runs `name`'s other fixtures through the bundle osls built, as osls runs it (in its build folder). */
function runBuiltBundle(name: FunctionName, fixtures: readonly string[]): Promise<RunnerReport> {
  const runner = join(temp.path, 'lambda-runner.cjs');
  const args = [
    runner,
    BUILD_DIR,
    `functions/${name}.handler`,
    name,
    ...fixtures.map((f) => join(ROOT, 'events', f)),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: BUILD_DIR, env: { ...process.env, ...env }, timeout: LIMIT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('@@runner@@'));
        if (line !== undefined) resolve(JSON.parse(line.slice('@@runner@@'.length)) as RunnerReport);
        else reject(new Error(`${name}: the runner reported nothing (${error?.message})\n${stderr}`));
      },
    );
  });
}

beforeAll(async () => {
  temp = await makeTempDir('pinlake-invoke-local');
  await copyFile(join(__dirname, 'lambda-runner.cjs'), join(temp.path, 'lambda-runner.cjs'));
  stack = await startLocalStack({ lake: join(temp.path, 'stack-lake') });
  // In order, on one lake, as in runtime-fidelity.test.ts: the scheduled functions work on what the
  // stream functions wrote.
  for (const name of FUNCTIONS) {
    // What the README's "Run the functions yourself" exports, with the function's local role
    // credentials (its Kinesis and Kafka calls are checked against its role; ingest-batch finds the
    // brokers through the MSK API stand-in and authenticates with a signed MSK IAM token).
    env = {
      ...stack.functionEnv(name),
      PIPELINE_ID: 'pinlake',
      LAKE_URI: `file://${join(temp.path, 'lake')}`,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const settings = ['LAKE_URI', 'KINESIS_ENDPOINT', 'MSK_CLUSTER_ARN', 'MSK_ENDPOINT', 'KAFKA_TLS'].flatMap(
      (key) => ['-e', `${key}=${env[key]}`],
    );
    const args = ['invoke', 'local', '-f', name, '-p', `events/${VIA_SLS[name]}`, ...settings];
    const sls = await runSls(args, { env, timeoutMs: LIMIT_MS });
    const rest = fixturesByFunction()[name].filter((fixture) => fixture !== VIA_SLS[name]);
    const others = await withSlsLock(() => runBuiltBundle(name, rest));
    outcomes.set(name, { sls, others });
  }
}, 1_800_000);

afterAll(async () => {
  await stack?.stop();
  await temp?.cleanup();
});

function outcomeOf(name: FunctionName) {
  const outcome = outcomes.get(name);
  if (outcome === undefined) throw new Error(`${name} was not invoked`);
  return outcome;
}

describe('sls invoke local against the local stack', () => {
  test.each(FUNCTIONS.map((name) => [name]))('%s prints its reply and exits by itself', (name) => {
    // Act
    const { sls } = outcomeOf(name);
    const reply = normalise(name, VIA_SLS[name], { reply: printedReply(sls.stdout) });

    // Assess
    expect([sls.code, reply]).toStrictEqual([0, ...expectedReplies(name, [VIA_SLS[name]])]);
  });

  test.each(FUNCTIONS.map((name) => [name]))(
    '%s answers each of its other fixtures with the expected reply',
    (name) => {
      // Act
      const { others } = outcomeOf(name);
      const rest = fixturesByFunction()[name].filter((fixture) => fixture !== VIA_SLS[name]);
      const invocations: Invocation[] = (others.invocations ?? []).map((i) =>
        normalise(name, i.event.slice(join(ROOT, 'events').length + 1), i),
      );

      // Assess
      expect([others.init, invocations]).toStrictEqual([undefined, expectedReplies(name, rest)]);
    },
  );
});
