import { Command, CommanderError } from 'commander';
import { SpecError } from '../spec/errors';
import { registerCaptureCommands } from './capture';
import { registerDbCommands } from './db';
import { registerEstimateCommands } from './estimate';
import { registerEventsCommands } from './events';
import { registerExploreCommand } from './explore';
import { registerReportCommand } from './report';
import { registerSimulateCommand } from './simulate';
import { registerRunCommand } from './run';
import { registerSpecCommands } from './specs';

/** Builds the `stemsim` command; each stage registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command('stemsim')
    .description('Trace-driven cycle-level simulator and analytical cost model for spiking neural network accelerators')
    .version(require('../../package.json').version)
    .showHelpAfterError();
  registerRunCommand(program);
  registerSpecCommands(program);
  registerEventsCommands(program);
  registerCaptureCommands(program);
  registerEstimateCommands(program);
  registerSimulateCommand(program);
  registerDbCommands(program);
  registerReportCommand(program);
  registerExploreCommand(program);
  return program;
}

/** Prints an expected failure (a bad spec, file or option) as one line, without a stack trace. */
function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof SpecError || (error instanceof Error && error.name.endsWith('Error') && 'file' in error)) {
    console.error(`stemsim: ${error.message}`);
    return 2;
  }
  console.error(error);
  return 1;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}

if (require.main === module) {
  void main();
}
