/**
 * The contract between the runner and the executors. An executor decides when iterations start
 * and on which VU; the runner runs them (`startIteration`) and owns the VUs (`VuPool`).
 */
import type { ScenarioState, VuState } from '../context.ts';
import type { K6Logger } from '../logger.ts';

export type IterationOutcome = 'completed' | 'interrupted';

export interface RunningIteration {
  done: Promise<IterationOutcome>;
  /** Interrupt now (gracefulStop or gracefulRampDown ran out, or the test stops). */
  interrupt(): void;
}

/** The initialized VUs not currently used by a scenario (k6's ExecutionState VU buffer). */
export interface VuPool {
  take(): VuState | undefined;
  /** Initialize a new VU (runs the script's init context again). */
  initNew(): Promise<VuState>;
  give(vu: VuState): void;
}

export interface ExecutorDeps {
  scenario: ScenarioState;
  pool: VuPool;
  startIteration(vu: VuState): RunningIteration;
  /** One `dropped_iterations` sample: an arrival was due and no VU was free. */
  emitDropped(): void;
  logger: K6Logger;
  /** Aborted when the whole test stops early (abortOnFail, exec.test.abort, Ctrl-C). */
  stopSignal: AbortSignal;
  /** Change in the number of VUs busy in this scenario (for the `vus` metric). */
  activeVUs(delta: number): void;
  /** Scheduling lag of an arrival-rate iteration start, in ms (for the benchmark). */
  recordLag?(lagMs: number): void;
}

/** k6 `lib.ExecutionStep`: from `offsetMs` on, the scenario needs `plannedVUs` (+ unplanned). */
export interface ExecutionStep {
  offsetMs: number;
  plannedVUs: number;
  maxUnplannedVUs: number;
}

export interface ScenarioProgress {
  /** 0..1 */
  fraction: number;
  /** k6-like right-hand side: "02/05 VUs  01.0s/10s  50.00 iters/s". */
  detail: string;
  state: 'waiting' | 'running' | 'stopping' | 'done' | 'interrupted';
}

export interface Executor {
  /** Run the scenario (after its startTime) to its end, graceful stop included. */
  run(): Promise<void>;
  progress(): ScenarioProgress;
}
