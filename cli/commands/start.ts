import { Command } from 'commander';
import { action } from '../run';

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
    .option('--json', 'print the summary as one JSON object')
    .action(
      action(() => {
        process.stdout.write(
          [
            'pinlake start: the local pipeline is being built.',
            'Available now: pinlake generate, pinlake table. See `pinlake --help`.',
            '',
          ].join('\n'),
        );
      }),
    );
}
