/**
 * One error type for the harness's own failures, whose kind alone decides the exit code (the
 * mapping lives in src/cli/main.ts, `exitCodeFor`). Commands throw it with a message in the form
 * "Failed to <do X>: <reason>. <what to do>"; nothing below the CLI picks exit numbers.
 */
export type HarnessErrorKind =
  /** A flag, a file, a scenario or a command the user gave is wrong: nothing was judged (exit 2). */
  | 'invalid-input'
  /** The harness itself failed or could not run the scenario: never read as the integration's result (exit 3). */
  | 'harness';

export class HarnessError extends Error {
  readonly kind: HarnessErrorKind;
  constructor(kind: HarnessErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = kind === 'invalid-input' ? 'InputError' : 'HarnessError';
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
