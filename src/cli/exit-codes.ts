/**
 * The one table of exit codes for every command (DESIGN.md section 8): a harness crash never
 * reads as an integration failure.
 */
import { HarnessError } from '../errors.ts';

export const EXIT = {
  ok: 0,
  /** Acceptance failed (uat, tco). */
  failed: 1,
  /** Invalid input or configuration: a flag, a file, a scenario. */
  invalidInput: 2,
  /** The harness itself failed. */
  harnessError: 3,
} as const;

/** Invalid usage of a command: a harness error of kind invalid-input (exit 2). */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('invalid-input', message);
    this.name = 'UsageError';
  }
}

/** The one place a harness error's kind becomes an exit code. */
export function exitCodeFor(error: HarnessError): number {
  switch (error.kind) {
    case 'invalid-input':
      return EXIT.invalidInput;
    case 'harness':
      return EXIT.harnessError;
    default:
      return error.kind satisfies never;
  }
}
