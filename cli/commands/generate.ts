import { isAbsolute, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { POOL_SIZE } from '../../libs/emulator/shares';

// The generator (its vocabulary) and the MySQL client load when posts are made, not for --help.
const emulator = () => require('../lazy/emulator') as typeof import('../lazy/emulator');

import { createProgress } from '../progress';
import { action, intOption, UsageError } from '../run';

const MAX_SEED = 2 ** 32 - 1;

/** What the status line says while posts are written. */
function describeWritten(written: number, total: number): string {
  const percent = total === 0 ? 100 : Math.floor((100 * written) / total);
  return `generating posts: ${written.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${percent}%)`;
}

/** The path relative to the working directory when it lies inside it, else absolute. */
function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : resolve(path);
}

/** `--mysql`: the posts into the seed's source tables, one row per distinct id (libs/emulator/mysql.ts). */
async function loadIntoMysql(url: string, posts: number, seed: number): Promise<void> {
  try {
    emulator().parseMysqlUrl(url);
  } catch (error) {
    throw new UsageError(`--mysql: ${(error as Error).message}`);
  }
  const started = performance.now();
  const { generatePosts, loadPostsIntoMysql } = emulator();
  const loaded = await loadPostsIntoMysql(url, generatePosts({ posts, seed }));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `loaded ${loaded.posts} posts (${loaded.rows} distinct rows per table) into ${loaded.database} ` +
      `in ${seconds.toFixed(2)} s (seed ${seed})\n`,
  );
}

/** `pinlake generate`: realistic posts to `<out>/posts.ndjson` (DESIGN §4). */
export function generateCommand(): Command {
  return new Command('generate')
    .description('write realistic posts to <out>/posts.ndjson (the same seed gives a byte-identical file)')
    .addHelpText(
      'after',
      [
        '',
        'Each line is one {"pin":{…},"geo":{…},"user":{…}} post with the raw fields and values the seed\'s',
        `MySQL emulator sends. Ids are drawn with replacement from a pool of ${POOL_SIZE.toLocaleString('en-US')} rows, as the`,
        "seed's emulator does, so they repeat, and a repeated id carries identical records.",
        '--distinct N makes the pool N posts instead (ids 0..N-1), each made from the seed and its id',
        'alone with the same shares and the same messiness, so a lake of any size can be built; draw',
        'about 3 × N posts to see 95% of them.',
        'Progress is shown on a terminal only; one summary line is printed at the end.',
        '',
        'Example: pinlake generate --posts 100000 --seed 42 --out ./data',
        '         pinlake generate --distinct 1000000 --posts 3000000 --out ./big',
      ].join('\n'),
    )
    .option('--posts <n>', 'how many posts (lines) to write', '10000')
    .option('--seed <s>', `generator seed, an integer from 0 to ${MAX_SEED}`, '1')
    .option('--distinct <n>', `distinct posts in the pool the ids are drawn from`, String(POOL_SIZE))
    .option(
      '--out <dir>',
      'directory to write posts.ndjson into (created if missing; default: . unless --mysql)',
    )
    .option(
      '--mysql <url>',
      "load the posts into the seed's three MySQL tables at mysql://user:pass@host:port/db",
    )
    .action(
      action(
        async (options: { posts: string; seed: string; distinct: string; out?: string; mysql?: string }) => {
          const posts = intOption('posts', options.posts, 10000);
          const poolSize = intOption('distinct', options.distinct, POOL_SIZE);
          if (poolSize < 1 || poolSize > MAX_SEED) {
            throw new UsageError(`--distinct must be from 1 to ${MAX_SEED}, got "${options.distinct}"`);
          }
          const seed = intOption('seed', options.seed, 1);
          if (seed > MAX_SEED) {
            throw new UsageError(`--seed must be at most ${MAX_SEED}, got "${options.seed}"`);
          }
          if (!Number.isSafeInteger(posts)) throw new UsageError(`--posts is too large: "${options.posts}"`);
          if (options.mysql !== undefined) {
            if (poolSize !== POOL_SIZE)
              throw new UsageError('--distinct applies to the posts file only, not --mysql');
            await loadIntoMysql(options.mysql, posts, seed);
            if (options.out === undefined) return;
          }
          const progress = createProgress();
          const started = performance.now();
          const summary = await emulator()
            .writePostsFile({
              posts,
              seed,
              poolSize,
              outDir: options.out ?? '.',
              onProgress: (written) => progress.update(describeWritten(written, posts)),
            })
            .finally(() => progress.done());
          const seconds = (performance.now() - started) / 1000;
          const megabytes = summary.bytes / 1e6;
          process.stdout.write(
            `wrote ${summary.posts} posts (${summary.distinctIds} distinct ids, ${megabytes.toFixed(1)} MB) ` +
              `to ${displayPath(summary.path)} in ${seconds.toFixed(2)} s (seed ${seed})\n`,
          );
        },
      ),
    );
}
