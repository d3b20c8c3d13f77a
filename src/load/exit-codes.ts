/**
 * k6's process exit codes (k6 `errext/exitcodes`), which the embedded runner returns for the same
 * situations (../shared/k6-reference/README.md, "Exit codes and failure modes"). `bc-harness load`
 * passes them through whichever runner ran, so CI reads one set of codes.
 */
export const K6_EXIT = {
  ok: 0,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
  markedAsFailed: 110,
  /**
   * k6 v1.3.0 exits 255 (not 107) when an `async setup()` rejects, while a sync throw gives 107
   * (reference runs g2 and g2b). Reproduced so both runners fail CI the same way.
   */
  asyncSetupRejected: 255,
} as const;

export type K6ExitCode = (typeof K6_EXIT)[keyof typeof K6_EXIT];
