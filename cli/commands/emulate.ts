import { Command } from 'commander';
import type { EmulateMode, EmulateProgress, EmulateSummary, PostSource } from '../../libs/emulator';

// The emulator (vocabulary, MySQL client, HTTP poster) loads when posts are sent, not for --help.
const emulator = () => require('../lazy/emulator') as typeof import('../lazy/emulator');

import { checkSourceOption } from '../checks';
import { createProgress } from '../progress';
import { action, intOption, PIPELINE_ID_HELP, pipelineIdOption, UsageError } from '../run';

const MODES: readonly EmulateMode[] = ['batch', 'stream', 'both'];
const MAX_SEED = 2 ** 32 - 1;

interface EmulateFlags {
  api?: string;
  apiKey?: string;
  source: string;
  posts?: string;
  seed: string;
  rate?: string;
  mode: string;
  concurrency: string;
  pipelineId?: string;
  json?: boolean;
}

/** What the status line says while posting. */
function describePosting(progress: EmulateProgress, total: number | undefined): string {
  const of = total === undefined ? '' : ` / ${total}`;
  const failed = progress.recordsFailed > 0 ? `, ${progress.recordsFailed} records failed` : '';
  return `posting: ${progress.posts}${of} posts${failed}`;
}

function parseFlags(flags: EmulateFlags) {
  if (flags.api === undefined)
    throw new UsageError('--api URL is required (the API base URL, stage included)');
  if (!MODES.includes(flags.mode as EmulateMode)) {
    throw new UsageError(`--mode must be batch, stream or both, got "${flags.mode}"`);
  }
  const seed = intOption('seed', flags.seed, 1);
  if (seed > MAX_SEED) throw new UsageError(`--seed must be at most ${MAX_SEED}, got "${flags.seed}"`);
  const isFile = flags.source !== 'generator' && !flags.source.startsWith('mysql://');
  const posts = flags.posts === undefined && isFile ? undefined : intOption('posts', flags.posts, 1000);
  const concurrency = intOption('concurrency', flags.concurrency, 8);
  if (concurrency < 1) throw new UsageError('--concurrency must be at least 1');
  let rate: number | undefined;
  if (flags.rate !== undefined) {
    rate = Number(flags.rate);
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new UsageError(`--rate must be a positive number of posts per second, got "${flags.rate}"`);
    }
  }
  const pipelineId = pipelineIdOption(flags.pipelineId);
  const apiKey = flags.apiKey ?? process.env.API_KEY;
  return {
    api: flags.api,
    apiKey,
    mode: flags.mode as EmulateMode,
    seed,
    posts,
    concurrency,
    rate,
    pipelineId,
  };
}

function describe(summary: EmulateSummary, source: PostSource): string {
  const lines = [
    `sent ${summary.postsComplete} of ${summary.posts} posts (${summary.mode}) from ${source.name} ` +
      `in ${(summary.durationMs / 1000).toFixed(2)} s, ${summary.postsPerSecond} posts/s`,
    `records: ${summary.records.sent} sent, ${summary.records.failed} failed; requests by status: ` +
      `${Object.entries(summary.requests)
        .map(([status, n]) => `${status} ×${n}`)
        .join(', ')}; ${summary.retries} retries`,
  ];
  if (summary.stoppedBy === 'abort') lines.push('interrupted: no new post was started after the signal');
  if (summary.sourceError !== null) lines.push(`the source failed: ${summary.sourceError}`);
  const skipped = source.skipped.count;
  if (skipped > 0) lines.push(`skipped ${skipped} malformed line${skipped === 1 ? '' : 's'} of the source`);
  for (const f of summary.failures) {
    lines.push(`failed: post ${f.post} (id ${JSON.stringify(f.id)}) ${f.kind} ${f.request}: ${f.error}`);
  }
  if (summary.records.failed > summary.failures.length) {
    lines.push(`… and ${summary.records.failed - summary.failures.length} more failed records`);
  }
  return `${lines.join('\n')}\n`;
}

/** `pinlake emulate`: sends posts to a pinlake API as the seed's emulation scripts do (DESIGN §4). */
export function emulateCommand(): Command {
  return new Command('emulate')
    .description('post emulated Pinterest posts to a pinlake API, local or deployed, as the seed scripts do')
    .addHelpText(
      'after',
      [
        '',
        'Each post is three records (pin, geo, user), each sent on its own request:',
        '  batch:  POST <api>/topics/<id>.<kind>                  {"records":[{"value":{…}}]}',
        '  stream: PUT  <api>/streams/streaming-<id>-<kind>/record {"StreamName","Data":{…},"PartitionKey"}',
        'SRC is "generator" (default), a posts NDJSON file (as written by pinlake generate; malformed',
        "lines are reported and skipped), or mysql://user:pass@host:port/db (the seed's three tables,",
        'a random row offset per post drawn from --seed). 5xx, 429 and network errors are retried.',
        'Progress is shown on a terminal only. Exit 0 when every record was accepted, 1 when any',
        'finally failed or the run was interrupted (Ctrl-C stops cleanly and prints the summary).',
        '',
        'Example: pinlake emulate --api http://127.0.0.1:3000 --api-key K --posts 500 --rate 50',
      ].join('\n'),
    )
    .option(
      '--api <url>',
      'the API base URL, stage included (e.g. https://abc.execute-api.us-east-1.amazonaws.com/dev)',
    )
    .option('--api-key <key>', 'sent as x-api-key (default $API_KEY)')
    .option(
      '--source <src>',
      'generator, a posts NDJSON file, or mysql://user:pass@host:port/db',
      'generator',
    )
    .option('--posts <n>', 'posts to send (default 1000; a file: all its posts)')
    .option('--seed <s>', 'seed of the generator or of the MySQL row offsets', '1')
    .option('--rate <r>', 'posts per second at most (default: as fast as the API answers)')
    .option('--mode <mode>', 'batch, stream or both', 'both')
    .option('--concurrency <n>', 'posts in flight at once', '8')
    .option('--pipeline-id <id>', PIPELINE_ID_HELP)
    .option('--json', 'print the summary as one JSON object')
    .action(
      action(async (flags: EmulateFlags) => {
        const settings = parseFlags(flags);
        await checkSourceOption(flags.source);
        const warn = (line: string) => {
          if (!flags.json) process.stderr.write(`${line}\n`);
        };
        let source: PostSource;
        try {
          source = await emulator().openPostSource(flags.source, {
            posts: settings.posts,
            seed: settings.seed,
            onSkip: (s) => warn(`pinlake: skipping line ${s.line} of ${flags.source}: ${s.reason}`),
          });
        } catch (error) {
          if (error instanceof emulator().MysqlSourceError) throw new UsageError(error.message);
          throw error;
        }
        const controller = new AbortController();
        const onSignal = () => {
          if (controller.signal.aborted) process.exit(130);
          controller.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const progress = createProgress();
        let summary: EmulateSummary;
        try {
          summary = await emulator().emulatePosts({
            ...settings,
            source,
            signal: controller.signal,
            onProgress: (at) => progress.update(describePosting(at, settings.posts)),
          });
        } finally {
          progress.done();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        const report = { source: source.name, skippedLines: source.skipped, ...summary };
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : describe(summary, source));
        if (summary.records.failed > 0 || summary.stoppedBy !== 'end') process.exitCode = 1;
      }),
    );
}
