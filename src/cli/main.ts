/**
 * `bc-harness`: one entry, one file per command, one table of exit codes (src/cli/exit-codes.ts).
 */
import { Command, CommanderError } from 'commander';
import { registerSim } from './commands/sim.ts';
import { registerMocks } from './commands/mocks.ts';
import { registerMappingDoc } from './commands/mapping-doc.ts';
import { registerDrift } from './commands/drift.ts';
import { registerLoad } from './commands/load.ts';
import { registerEngine } from './commands/engine.ts';
import { registerDlq } from './commands/dlq.ts';
import { EXIT, UsageError } from './exit-codes.ts';

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command();
  program
    .name('bc-harness')
    .description('BigCommerce integration harness: find out before go-live whether an integration holds up.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage and examples)');

  const run = async (action: () => Promise<number>) => {
    try {
      code = await action();
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`error: ${error.message}`);
        code = EXIT.invalidInput;
        return;
      }
      console.error(`bc-harness failed: ${(error as Error).stack ?? error}`);
      code = EXIT.harnessError;
    }
  };

  registerSim(program, run);
  registerMocks(program, run);
  registerMappingDoc(program, run);
  registerDrift(program, run);
  registerLoad(program, run);
  registerEngine(program, run);
  registerDlq(program, run);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every parse error is invalid input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    }
    throw error;
  }
  return code;
}
