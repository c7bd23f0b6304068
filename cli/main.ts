import { Command, type CommanderError } from 'commander';
import { batchCommand } from './commands/batch';
import { catalogCommand } from './commands/catalog';
import { emulateCommand } from './commands/emulate';
import { generateCommand } from './commands/generate';
import { queryCommand } from './commands/query';
import { reportCommand } from './commands/report';
import { stackCommand } from './commands/stack';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { tableCommand } from './commands/table';

// Output to a closed pipe (`pinlake table history t | head -1`) is the reader's choice, not a
// failure: stop quietly with exit 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

// commander's own usage errors (unknown option, missing argument) exit 2; --help and --version exit 0.
const exitForUsage = (error: CommanderError): never => process.exit(error.exitCode === 0 ? 0 : 2);

const program = new Command('pinlake')
  .description('pinlake: social-media post events → Kafka/Kinesis → Delta Lake, on AWS or on this laptop')
  .showHelpAfterError()
  .exitOverride(exitForUsage);

const commands = [
  startCommand(),
  stackCommand(),
  generateCommand(),
  tableCommand(),
  emulateCommand(),
  batchCommand(),
  queryCommand(),
  reportCommand(),
  statusCommand(),
  catalogCommand(),
];

for (const command of commands) {
  const all = [command, ...command.commands];
  for (const c of all) c.exitOverride(exitForUsage).showHelpAfterError();
  program.addCommand(command);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`pinlake: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
