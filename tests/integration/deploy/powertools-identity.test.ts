import { pathToFileURL } from 'node:url';
import type { Handler } from 'aws-lambda';
import { ensureCleanTable } from '../../../libs/lake';
import { FileStore } from '../../../libs/storage';
import { createLambdaContext } from '../../../local/pollers';
import { loadLocalDeployment } from '../../../local/stack';
import { makeTempDir } from '../../helpers/temp-dir';

// Each entry file run with the environment serverless/functions.yml and serverless.yml give its
// function (as local/deployment resolves it): the logs must name the function as their service and
// carry the Lambda context, as Powertools does in AWS.

const savedEnv = process.env;
let lake: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  lake = await makeTempDir('powertools-identity');
  await ensureCleanTable(new FileStore(lake.path), 'batch', 'pin');
});
afterAll(async () => {
  process.env = savedEnv;
  await lake.cleanup();
});

async function logsOf(functionName: string, entry: string): Promise<Record<string, unknown>[]> {
  const facts = loadLocalDeployment().functions[functionName]!;
  process.env = {
    ...savedEnv,
    ...facts.environment,
    LAKE_URI: pathToFileURL(lake.path).href,
    // Powertools writes to the global console (which this test reads) instead of its own stdout one.
    POWERTOOLS_DEV: 'true',
  };
  const lines: string[] = [];
  const info = jest.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (require(`../../../functions/${entry}`) as { handler: Handler }).handler;
    });
    await handler!({ time: '2026-03-01T02:30:00Z' }, createLambdaContext({ functionName }), () => {});
  } finally {
    info.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.each([
  ['batch-analytics', 'batch-analytics', 'analytics finished'],
  ['maintain-tables', 'maintain-tables', 'table maintained'],
  ['commit-staged', 'commit-staged', 'committer done'],
])('%s, as deployed', (functionName, entry, message) => {
  it('logs as its own service, with the invocation context', async () => {
    // Act
    const logs = await logsOf(functionName, entry);

    // Assess
    const line = logs.find((log) => log.message === message);
    expect(line).toMatchObject({ service: functionName, function_name: functionName });
    expect(line?.function_request_id).toEqual(expect.any(String));
  });
});
