/**
 * The executors as one closed union: creating one, what it needs (k6's execution requirements,
 * from which the runner knows how many VUs to initialize up front), and the one-line description
 * k6 prints for it in the scenario header.
 */
import { formatGoDuration } from '../durations.ts';
import type { ScenarioConfig } from '../options.ts';
import { createConstantArrivalRate, createRampingArrivalRate } from './arrival-rate.ts';
import { createConstantVus, createPerVuIterations, createSharedIterations } from './looping-vus.ts';
import { createRampingVus, gracefulRampingSteps } from './ramping-vus.ts';
import type { ExecutionStep, Executor, ExecutorDeps } from './types.ts';

export function createExecutor(config: ScenarioConfig, deps: ExecutorDeps): Executor {
  switch (config.executor) {
    case 'constant-arrival-rate':
      return createConstantArrivalRate(config, deps);
    case 'ramping-arrival-rate':
      return createRampingArrivalRate(config, deps);
    case 'constant-vus':
      return createConstantVus(config, deps);
    case 'ramping-vus':
      return createRampingVus(config, deps);
    case 'per-vu-iterations':
      return createPerVuIterations(config, deps);
    case 'shared-iterations':
      return createSharedIterations(config, deps);
    default:
      throw new Error(`unknown executor ${(config satisfies never as ScenarioConfig).executor}`);
  }
}

const stagesDuration = (stages: { durationMs: number }[]) => stages.reduce((sum, s) => sum + s.durationMs, 0);

/** k6 `GetExecutionRequirements`: VUs needed over the scenario's life, from its own start. */
export function executionRequirements(config: ScenarioConfig): ExecutionStep[] {
  const span = (vus: number, ms: number, unplanned = 0): ExecutionStep[] => [
    { offsetMs: 0, plannedVUs: vus, maxUnplannedVUs: unplanned },
    { offsetMs: ms, plannedVUs: 0, maxUnplannedVUs: 0 },
  ];
  switch (config.executor) {
    case 'constant-arrival-rate':
      return span(config.preAllocatedVUs, config.durationMs + config.gracefulStopMs, config.maxVUs - config.preAllocatedVUs);
    case 'ramping-arrival-rate':
      return span(config.preAllocatedVUs, stagesDuration(config.stages) + config.gracefulStopMs, config.maxVUs - config.preAllocatedVUs);
    case 'constant-vus':
      return span(config.vus, config.durationMs + config.gracefulStopMs);
    case 'ramping-vus':
      return gracefulRampingSteps(config).map((s) => ({ offsetMs: s.offsetMs, plannedVUs: s.vus, maxUnplannedVUs: 0 }));
    case 'per-vu-iterations':
    case 'shared-iterations':
      return span(config.vus, config.maxDurationMs + config.gracefulStopMs);
    default:
      throw new Error(`unknown executor ${(config satisfies never as ScenarioConfig).executor}`);
  }
}

/**
 * Merge every scenario's requirements on one timeline (offset by startTime) and find the most
 * VUs needed at once: planned ones are initialized before the test, `maxPossible` is what the
 * header calls "max VUs" (k6 `GetMaxPlannedVUs` / `GetMaxPossibleVUs`).
 */
export function planVUs(scenarios: ScenarioConfig[]): { maxPlanned: number; maxPossible: number; maxDurationMs: number } {
  const events: { at: number; planned: number; unplanned: number }[] = [];
  let maxDurationMs = 0;
  for (const s of scenarios) {
    const steps = executionRequirements(s);
    let prev = { planned: 0, unplanned: 0 };
    for (const step of steps) {
      events.push({ at: s.startTimeMs + step.offsetMs, planned: step.plannedVUs - prev.planned, unplanned: step.maxUnplannedVUs - prev.unplanned });
      prev = { planned: step.plannedVUs, unplanned: step.maxUnplannedVUs };
    }
    maxDurationMs = Math.max(maxDurationMs, s.startTimeMs + steps[steps.length - 1]!.offsetMs);
  }
  // Ends before starts at the same moment: a scenario that ends as another begins can hand over.
  events.sort((a, b) => a.at - b.at || a.planned - b.planned);
  let planned = 0;
  let unplanned = 0;
  let maxPlanned = 0;
  let maxPossible = 0;
  for (const e of events) {
    planned += e.planned;
    unplanned += e.unplanned;
    maxPlanned = Math.max(maxPlanned, planned);
    maxPossible = Math.max(maxPossible, planned + unplanned);
  }
  return { maxPlanned, maxPossible, maxDurationMs };
}

/** k6's `getBaseInfo` suffix: exec (if written), startTime (if > 0), gracefulStop (if > 0). */
function baseInfo(config: ScenarioConfig, facts: string[]): string {
  const all = [...facts];
  if (config.execExplicit) all.push(`exec: ${config.exec}`);
  if (config.startTimeMs > 0) all.push(`startTime: ${formatGoDuration(config.startTimeMs)}`);
  if (config.gracefulStopMs > 0) all.push(`gracefulStop: ${formatGoDuration(config.gracefulStopMs)}`);
  return all.length ? ` (${all.join(', ')})` : '';
}

/** The description k6 prints for a scenario, e.g. "50.00 iterations/s for 10s (maxVUs: 5-20, gracefulStop: 30s)". */
export function describeScenario(config: ScenarioConfig): string {
  const vusRange = (pre: number, max: number) => `maxVUs: ${pre}${max > pre ? `-${max}` : ''}`;
  switch (config.executor) {
    case 'constant-arrival-rate':
      return `${((config.rate / config.timeUnitMs) * 1000).toFixed(2)} iterations/s for ${formatGoDuration(config.durationMs)}${baseInfo(config, [vusRange(config.preAllocatedVUs, config.maxVUs)])}`;
    case 'ramping-arrival-rate': {
      const max = Math.max(config.startRate, ...config.stages.map((s) => s.target));
      return `Up to ${((max / config.timeUnitMs) * 1000).toFixed(2)} iterations/s for ${formatGoDuration(stagesDuration(config.stages))} over ${config.stages.length} stages${baseInfo(config, [vusRange(config.preAllocatedVUs, config.maxVUs)])}`;
    }
    case 'constant-vus':
      return `${config.vus} looping VUs for ${formatGoDuration(config.durationMs)}${baseInfo(config, [])}`;
    case 'ramping-vus': {
      const max = Math.max(config.startVUs, ...config.stages.map((s) => s.target));
      return `Up to ${max} looping VUs for ${formatGoDuration(stagesDuration(config.stages))} over ${config.stages.length} stages${baseInfo(config, [`gracefulRampDown: ${formatGoDuration(config.gracefulRampDownMs)}`])}`;
    }
    case 'per-vu-iterations':
      return `${config.iterations} iterations for each of ${config.vus} VUs${baseInfo(config, [`maxDuration: ${formatGoDuration(config.maxDurationMs)}`])}`;
    case 'shared-iterations':
      return `${config.iterations} iterations shared among ${config.vus} VUs${baseInfo(config, [`maxDuration: ${formatGoDuration(config.maxDurationMs)}`])}`;
    default:
      throw new Error(`unknown executor ${(config satisfies never as ScenarioConfig).executor}`);
  }
}

export type { Executor, ExecutorDeps, RunningIteration, VuPool, IterationOutcome } from './types.ts';
