import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { EmulateMode } from '../../libs/emulator';
import type { PipelineSummary, RunProgress } from '../../local/stack';
import { checkLakeOption, checkSourceOption } from '../checks';
import { formatInventory } from '../lake';
import { watchParent } from '../parent-watch';
import { createProgress } from '../progress';
import { action, intOption, PIPELINE_ID_HELP, pipelineIdOption, probabilityOption, UsageError } from '../run';

const MODES: readonly EmulateMode[] = ['batch', 'stream', 'both'];
const COMMIT_MODES = ['direct', 'staged'] as const;
const MAX_SEED = 2 ** 32 - 1;

interface StartFlags {
  posts?: string;
  mode?: string;
  seed?: string;
  source?: string;
  lake?: string;
  chaos?: string;
  streamCommitMode?: string;
  iam?: boolean;
  pipelineId?: string;
  json?: boolean;
}

/** `pinlake start`: the whole pipeline on the local stack (DESIGN §4). */
export function startCommand(): Command {
  return new Command('start')
    .description('run the whole pipeline on the local stack and print a summary')
    .option('--posts <n>', 'posts to send', '10000')
    .option('--mode <mode>', 'batch, stream or both', 'both')
    .option('--seed <s>', 'generator seed', '1')
    .option('--source <src>', 'generator, a posts NDJSON file, or mysql://…', 'generator')
    .option('--lake <dir>', 'where the lake is written', './lake')
    .option('--chaos <p>', 'probability that each step of each function fails', '0')
    .option(
      '--stream-commit-mode <mode>',
      "direct (each stream batch its own commit) or staged (group commits by commit-staged); default serverless.yml's streamCommitMode",
    )
    .option('--no-iam', "do not enforce the functions' IAM roles on their AWS calls (enforced by default)")
    .option('--pipeline-id <id>', PIPELINE_ID_HELP)
    .option('--json', 'print the summary as one JSON object')
    .action(action((flags: StartFlags) => start(flags)));
}

async function start(flags: StartFlags): Promise<void> {
  const mode = flags.mode ?? 'both';
  if (!MODES.includes(mode as EmulateMode)) {
    throw new UsageError(`--mode must be batch, stream or both, got "${mode}"`);
  }
  const posts = intOption('posts', flags.posts, 10_000);
  const seed = intOption('seed', flags.seed, 1);
  if (seed > MAX_SEED) throw new UsageError(`--seed must be at most ${MAX_SEED}, got "${flags.seed}"`);
  const chaos = probabilityOption('chaos', flags.chaos, 0);
  const streamCommitMode = flags.streamCommitMode;
  if (streamCommitMode !== undefined && !COMMIT_MODES.includes(streamCommitMode as 'direct')) {
    throw new UsageError(`--stream-commit-mode must be direct or staged, got "${streamCommitMode}"`);
  }
  const pipelineId = pipelineIdOption(flags.pipelineId);
  await checkLakeOption(flags.lake ?? './lake');
  await checkSourceOption(flags.source ?? 'generator');
  // The stack (SDK clients, the IAM simulator, DuckDB) is loaded only once the arguments are known
  // good, so a bad one is answered at once.
  const { runPipeline } = require('../../local/stack') as typeof import('../../local/stack');
  // The SDK's notice about future Node versions says nothing about this run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const progress = createProgress();
  const abort = new AbortController();
  const stop = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    progress.note(
      'stopping: no new posts; draining and cleaning what was accepted (Ctrl-C again to quit now)',
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const unwatch = watchParent(() => {
    if (!abort.signal.aborted) stop();
  });
  try {
    const summary = await runPipeline({
      lake: flags.lake ?? './lake',
      posts,
      mode: mode as EmulateMode,
      source: flags.source ?? 'generator',
      seed,
      chaos,
      stack: {
        iam: flags.iam !== false,
        pipelineId,
        ...(streamCommitMode === undefined
          ? {}
          : { streamCommitMode: streamCommitMode as 'direct' | 'staged' }),
      },
      signal: abort.signal,
      onProgress: (at) => progress.update(describeProgress(at, posts)),
    });
    progress.done();
    process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  } finally {
    progress.done();
    unwatch();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function describeProgress(at: RunProgress, total: number): string {
  if (at.stage !== 'send') return `${at.stage}…`;
  const sent = at.sent;
  if (!sent) return 'sending posts…';
  const failed = sent.recordsFailed > 0 ? `, ${sent.recordsFailed} records failed` : '';
  return `sending: ${sent.posts.toLocaleString('en-US')}/${total.toLocaleString('en-US')} posts (${sent.recordsSent.toLocaleString('en-US')} records${failed})`;
}

const n = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The human summary `pinlake start` prints. */
function formatSummary(s: PipelineSummary): string {
  const local = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
  const lines = [
    `pinlake start: ${n(s.posts.sent)} posts from ${s.source} on ${s.mode === 'both' ? 'both paths' : `the ${s.mode} path`}` +
      `${s.chaos > 0 ? ` with chaos ${s.chaos}` : ''}, in ${seconds(s.durationsMs.total)}` +
      `${s.interrupted ? ' (interrupted: partial)' : ''}`,
    `lake: ${local(s.lake)}`,
    ...(s.report === null ? [] : [`report: ${local(s.report)}`]),
    '',
    `posts      ${n(s.posts.sent)} sent, ${n(s.posts.complete)} complete, ${n(s.posts.incomplete)} incomplete; ` +
      `${n(s.posts.records)} records accepted, ${n(s.posts.recordsFailed)} failed, ${n(s.posts.retries)} retries; ${s.posts.perSecond} posts/s`,
    `requests   ${
      Object.entries(s.requests)
        .map(([status, count]) => `${status}: ${n(count)}`)
        .join(', ') || 'none'
    }`,
    ...s.failures.map((failure) => `  failed   ${failure}`),
    '',
    ...formatInventory(s),
    '',
    'stage          time',
    ...(Object.keys(s.stages) as (keyof PipelineSummary['stages'])[]).map(
      (stage) => `${stage.padEnd(12)} ${seconds(s.durationsMs[stage]).padStart(7)}  ${s.stages[stage]}`,
    ),
    `${'total'.padEnd(12)} ${seconds(s.durationsMs.total).padStart(7)}`,
    '',
  ];
  return lines.join('\n');
}
