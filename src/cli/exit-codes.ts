/**
 * The one table of exit codes for every command (DESIGN.md section 8): a harness crash never
 * reads as an integration failure.
 */
export const EXIT = {
  ok: 0,
  /** Acceptance failed (uat, tco). */
  failed: 1,
  /** Invalid input or configuration: a flag, a file, a scenario. */
  invalidInput: 2,
  /** The harness itself failed. */
  harnessError: 3,
} as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
