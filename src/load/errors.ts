/**
 * The embedded runner's error catalog. Messages follow "Failed to <do X>: <reason>. <what to do>";
 * errors a script can catch mimic k6's (`GoError: ...`) so `String(e)` reads the same on both
 * runners.
 */

/** The name k6 gives errors raised by its Go side; scripts print them as `GoError: ...`. */
export class GoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoError';
  }
}

/** Invalid options or scenario configuration: k6 exits 104 before running anything. */
export class K6ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6ConfigError';
  }
}

export const REAL_K6_HINT = 'Run this script with real k6 instead: `bc-harness load <script> --runner k6` (k6 on PATH or K6_BIN set), or `k6 run <script>`.';

/**
 * A k6 feature the embedded runner does not implement. It stops the test (the script cannot run
 * faithfully) and names the feature, so nobody mistakes a partial run for a result.
 */
export class UnsupportedFeatureError extends Error {
  readonly feature: string;
  constructor(feature: string, detail = '') {
    super(`Failed to run the script: ${feature} is not supported by the embedded k6 runner${detail ? ` (${detail})` : ''}. ${REAL_K6_HINT} See docs/load-runner.md for what the embedded runner supports.`);
    this.name = 'UnsupportedFeatureError';
    this.feature = feature;
  }
}

/** Raised inside an iteration that was interrupted (gracefulStop ran out, or the test stopped). */
export class InterruptedError extends Error {
  constructor() {
    super('the iteration was interrupted');
    this.name = 'InterruptedError';
  }
}

/** `exec.test.abort(reason)`: stops the whole test, exit 108. */
export class TestAbortError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`test aborted: ${reason}`);
    this.name = 'TestAbortError';
    this.reason = reason;
  }
}
