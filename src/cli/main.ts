/**
 * `bc-harness`: one entry, one file per command, one table of exit codes (src/cli/exit-codes.ts).
 *
 * Commands are loaded on demand: `bc-harness engine` should not pay for the load runner, the
 * report renderers and the simulator in its resident memory (about 100 MB when every command was
 * imported). Help and unknown commands load them all.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isHarnessError } from '../errors.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';

type Run = (action: () => Promise<number>) => Promise<void>;
type Register = (program: Command, run: Run) => void;

const commands: Record<string, () => Promise<Register>> = {
  sim: async () => (await import('./commands/sim.ts')).registerSim,
  mocks: async () => (await import('./commands/mocks.ts')).registerMocks,
  'mapping-doc': async () => (await import('./commands/mapping-doc.ts')).registerMappingDoc,
  drift: async () => (await import('./commands/drift.ts')).registerDrift,
  load: async () => (await import('./commands/load.ts')).registerLoad,
  engine: async () => (await import('./commands/engine.ts')).registerEngine,
  dlq: async () => (await import('./commands/dlq.ts')).registerDlq,
  uat: async () => (await import('./commands/uat.ts')).registerUat,
  tco: async () => (await import('./commands/tco.ts')).registerTco,
  run: async () => (await import('./commands/run.ts')).registerRun,
};

/** The version in package.json, read when asked for: the CLI runs from source, with no build step to stamp it. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command();
  program
    .name('bc-harness')
    .description('BigCommerce integration harness: find out before go-live whether an integration holds up.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage and examples)');

  const run: Run = async (action) => {
    try {
      code = await action();
    } catch (error) {
      if (isHarnessError(error)) {
        console.error(`${error.kind === 'invalid-input' ? 'error' : 'bc-harness failed'}: ${error.message}`);
        code = exitCodeFor(error);
        return;
      }
      console.error(`bc-harness failed: ${(error as Error).stack ?? error}`);
      code = EXIT.harnessError;
    }
  };

  const requested = argv[2];
  // --version needs no command; loading them all would only slow it down.
  const version = requested === '--version' || requested === '-V';
  const names = requested !== undefined && requested in commands ? [requested] : version ? [] : Object.keys(commands);
  for (const name of names) (await commands[name]!())(program, run);

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
