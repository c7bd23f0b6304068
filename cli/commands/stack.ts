import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { LocalStack } from '../../local/stack';
import { checkLakeOption } from '../checks';
import { watchParent } from '../parent-watch';
import { action, intOption, PIPELINE_ID_HELP, pipelineIdOption, UsageError } from '../run';

interface StackFlags {
  lake?: string;
  pipelineId?: string;
  apiPort?: string;
  apiKey?: string;
  iam?: boolean;
  json?: boolean;
}

/** `pinlake stack`: keeps the local stack up until SIGINT or SIGTERM, then drains it (DESIGN §4). */
export function stackCommand(): Command {
  return new Command('stack')
    .description('keep the local stack up (API, Kinesis, Kafka, event sources) until Ctrl-C, then drain it')
    .option('--lake <dir>', 'where the lake is written', './lake')
    .option('--pipeline-id <id>', PIPELINE_ID_HELP)
    .option('--api-port <n>', 'the API port on 127.0.0.1 (0: a free port)', '3000')
    .option('--api-key <k>', 'require this key in x-api-key (default: no key)')
    .option('--no-iam', "do not enforce the functions' IAM roles on their AWS calls (enforced by default)")
    .option('--json', 'print the endpoints as one JSON line')
    .action(action((flags: StackFlags) => stack(flags)));
}

async function stack(flags: StackFlags): Promise<void> {
  const pipelineId = pipelineIdOption(flags.pipelineId);
  const apiPort = intOption('api-port', flags.apiPort, 3000);
  if (apiPort > 65_535) throw new UsageError(`--api-port must be at most 65535, got ${apiPort}`);
  await checkLakeOption(flags.lake ?? './lake');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Loaded once the arguments are known good, so a bad one is answered at once.
  const { startLocalStack } = require('../../local/stack') as typeof import('../../local/stack');
  const running = await startLocalStack({
    lake: flags.lake ?? './lake',
    pipelineId,
    apiPort,
    apiKey: flags.apiKey,
    iam: flags.iam !== false,
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  });
  let unwatch = () => {};
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    unwatch = watchParent((reason) => resolve(reason));
  });
  process.stdout.write(
    flags.json
      ? `${JSON.stringify({ api: running.api, kinesis: running.kinesis, kafka: running.kafka, lake: running.lake })}\n`
      : describe(running),
  );
  const why = await stopped;
  unwatch();
  // A second signal while draining quits at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  process.stderr.write(
    `pinlake stack: ${why}: no new requests (503); draining everything accepted into the lake…\n`,
  );
  await running.shutdown();
  process.stderr.write('pinlake stack: drained and stopped\n');
}

function describe(running: LocalStack): string {
  const lake = running.lake.startsWith('file:') ? fileURLToPath(running.lake) : running.lake;
  const exports = Object.entries(running.env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return [
    `pinlake stack: pipeline "${running.pipelineId}" is up; Ctrl-C drains every event source into the lake and stops`,
    `api      ${running.api}${running.apiKey === undefined ? '' : `   (x-api-key: ${running.apiKey})`}`,
    `kinesis  ${running.kinesis}`,
    `kafka    ${running.kafka}`,
    `lake     ${lake}`,
    '',
    'Point a function or a script at it:',
    `  export ${exports}`,
    '  npx sls invoke local -f stream-to-delta -p events/kinesis/stream-to-delta-pin.json -e LAKE_URI=$LAKE_URI',
    ...(running.iam
      ? [
          '  npx sls invoke local -f ingest-batch -p events/apigw/rest-proxy-valid.json -e MSK_CLUSTER_ARN=$MSK_CLUSTER_ARN',
          "  # as a function's deployed role (IAM checked), add AWS_ACCESS_KEY_ID=PINLAKELOCAL-<function> AWS_SECRET_ACCESS_KEY=local",
        ]
      : []),
    `  npx pinlake emulate --api ${running.api}${running.apiKey === undefined ? '' : ` --api-key ${running.apiKey}`} --posts 100`,
    '',
  ].join('\n');
}
