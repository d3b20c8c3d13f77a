/**
 * constant-arrival-rate and ramping-arrival-rate: the open model. Iterations start on a schedule,
 * whether or not earlier ones have finished, on whichever of the scenario's VUs is free.
 *
 * As in k6 (`lib/executor/*_arrival_rate.go`): preAllocatedVUs are taken when the scenario
 * starts; when an iteration is due and no VU is free it is not started but counted in
 * `dropped_iterations` (never made up later), and one more VU is initialized in the background
 * while fewer than maxVUs exist; at maxVUs k6 warns once "Insufficient VUs".
 */
import { formatGoDuration } from '../durations.ts';
import type { VuState } from '../context.ts';
import type { ConstantArrivalRateConfig, RampingArrivalRateConfig } from '../options.ts';
import { createInflight } from './inflight.ts';
import { immediate, waitUntil } from './timing.ts';
import type { Executor, ExecutorDeps, ScenarioProgress } from './types.ts';

// Float tolerance for "at or before the end": k6 starts the iteration that falls exactly on the
// end when its timer wins the race (501 of 50/s for 10s in most reference runs).
const EPSILON_MS = 1e-6;

/** Start offsets (ms) of constant-arrival-rate: k * timeUnit/rate, for every k with offset <= duration. */
export function* constantArrivalOffsets(config: Pick<ConstantArrivalRateConfig, 'rate' | 'timeUnitMs' | 'durationMs'>): Generator<number> {
  const period = config.timeUnitMs / config.rate;
  for (let k = 0; ; k++) {
    const offset = k * period;
    if (offset > config.durationMs + EPSILON_MS) return;
    yield offset;
  }
}

/**
 * Start offsets (ms) of ramping-arrival-rate, from k6's `cal`: the n-th iteration (n = 1, 2, ...)
 * starts where the area under the rate curve reaches n, solving the linear ramp's quadratic.
 * The total started therefore equals the area under the curve (0 -> 100/s over 10 s: 500).
 */
export function* rampingArrivalOffsets(config: Pick<RampingArrivalRateConfig, 'startRate' | 'timeUnitMs' | 'stages'>): Generator<number> {
  let stageStart = 0;
  let doneSoFar = 0;
  let endCount = 0;
  let from = config.startRate / config.timeUnitMs;
  let i = 1;
  for (const stage of config.stages) {
    const to = stage.target / config.timeUnitMs;
    const dur = stage.durationMs;
    if (from !== to) {
      endCount += dur * ((to - from) / 2 + from);
      for (; i <= endCount + EPSILON_MS; i++) {
        const inner = dur * (from * from * dur + 2 * (i - doneSoFar) * (to - from));
        yield stageStart + (from * dur - Math.sqrt(Math.max(0, inner))) / (from - to);
      }
    } else {
      endCount += dur * to;
      for (; i <= endCount + EPSILON_MS; i++) yield stageStart + (i - doneSoFar) / to;
    }
    doneSoFar = endCount;
    from = to;
    stageStart += dur;
  }
}

interface ArrivalPlan {
  durationMs: number;
  gracefulStopMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  offsets: () => Iterable<number>;
  /** Iterations per second at a moment, for the progress line. */
  rateAt(elapsedMs: number): number;
  maxRatePerSecond: number;
}

// Yield to the event loop after this many back-to-back starts, so responses keep flowing when the
// schedule is dense or behind.
const STARTS_PER_TURN = 64;

function createArrivalExecutor(plan: ArrivalPlan, deps: ExecutorDeps): Executor {
  const { scenario, pool, logger } = deps;
  let started = 0;
  let state: ScenarioProgress['state'] = 'waiting';
  let busy = 0;
  let owned = 0;

  return {
    progress() {
      const elapsed = started ? performance.now() - started : 0;
      const fraction = state === 'waiting' ? 0 : Math.min(1, elapsed / plan.durationMs);
      const width = String(plan.maxVUs).length;
      const vus = `${String(busy).padStart(width, '0')}/${String(owned).padStart(width, '0')} VUs`;
      const time = state === 'running' ? `${(elapsed / 1000).toFixed(1)}s/${formatGoDuration(plan.durationMs)}` : formatGoDuration(plan.durationMs);
      return { fraction, state, detail: `${vus}  ${time}  ${plan.rateAt(Math.min(elapsed, plan.durationMs)).toFixed(2)} iters/s (max ${plan.maxRatePerSecond.toFixed(2)})` };
    },
    async run() {
      const free: VuState[] = [];
      for (let i = 0; i < plan.preAllocatedVUs; i++) {
        free.push(pool.take() ?? (await pool.initNew()));
        owned += 1;
      }
      let remainingUnplanned = plan.maxVUs - plan.preAllocatedVUs;
      let initializing = false;
      const inflight = createInflight();
      state = 'running';
      started = performance.now();
      scenario.startedAtEpochMs = Date.now();

      let sinceYield = 0;
      for (const offset of plan.offsets()) {
        const due = started + offset;
        if (due > performance.now()) {
          sinceYield = 0;
          if (await waitUntil(due, deps.stopSignal)) break;
        } else if (++sinceYield >= STARTS_PER_TURN) {
          sinceYield = 0;
          await immediate();
        }
        if (deps.stopSignal.aborted) break;
        const vu = free.pop();
        if (vu) {
          deps.recordLag?.(performance.now() - due);
          busy += 1;
          deps.activeVUs(1);
          const iteration = deps.startIteration(vu);
          inflight.track(iteration);
          void iteration.done.then(() => {
            busy -= 1;
            deps.activeVUs(-1);
            free.push(vu);
          });
          continue;
        }
        deps.emitDropped();
        if (remainingUnplanned === 0) {
          logger.once(`insufficient:${scenario.name}`, 'warning', `Insufficient VUs, reached ${plan.maxVUs} active VUs and cannot initialize more`, { executor: scenario.executor, scenario: scenario.name });
          continue;
        }
        if (!initializing) {
          initializing = true;
          remainingUnplanned -= 1;
          // k6 initializes the extra VU in the background; this arrival stays dropped.
          pool.initNew().then(
            (v) => {
              initializing = false;
              owned += 1;
              free.push(v);
            },
            (error: Error) => {
              initializing = false;
              logger.log('error', `Error while allocating unplanned VU: ${error.message}`, { executor: scenario.executor, scenario: scenario.name });
            },
          );
        }
      }
      await waitUntil(started + plan.durationMs, deps.stopSignal);
      state = deps.stopSignal.aborted ? 'interrupted' : 'stopping';
      await inflight.drain(deps.stopSignal.aborted ? 0 : plan.gracefulStopMs, deps.stopSignal);
      // An unplanned VU may still be initializing; wait for it so it is returned too.
      while (initializing) await new Promise((resolve) => setTimeout(resolve, 5));
      for (const vu of free) pool.give(vu);
      if (state !== 'interrupted') state = 'done';
    },
  };
}

export function createConstantArrivalRate(config: ConstantArrivalRateConfig, deps: ExecutorDeps): Executor {
  const perSecond = (config.rate / config.timeUnitMs) * 1000;
  return createArrivalExecutor(
    {
      durationMs: config.durationMs,
      gracefulStopMs: config.gracefulStopMs,
      preAllocatedVUs: config.preAllocatedVUs,
      maxVUs: config.maxVUs,
      offsets: () => constantArrivalOffsets(config),
      rateAt: () => perSecond,
      maxRatePerSecond: perSecond,
    },
    deps,
  );
}

export function rampingRateAt(config: Pick<RampingArrivalRateConfig, 'startRate' | 'timeUnitMs' | 'stages'>, elapsedMs: number): number {
  let from = config.startRate;
  let t = 0;
  for (const s of config.stages) {
    if (elapsedMs <= t + s.durationMs) {
      const f = s.durationMs === 0 ? 1 : (elapsedMs - t) / s.durationMs;
      return ((from + (s.target - from) * f) / config.timeUnitMs) * 1000;
    }
    t += s.durationMs;
    from = s.target;
  }
  return (from / config.timeUnitMs) * 1000;
}

export function createRampingArrivalRate(config: RampingArrivalRateConfig, deps: ExecutorDeps): Executor {
  return createArrivalExecutor(
    {
      durationMs: config.stages.reduce((sum, s) => sum + s.durationMs, 0),
      gracefulStopMs: config.gracefulStopMs,
      preAllocatedVUs: config.preAllocatedVUs,
      maxVUs: config.maxVUs,
      offsets: () => rampingArrivalOffsets(config),
      rateAt: (elapsed) => rampingRateAt(config, elapsed),
      maxRatePerSecond: (Math.max(config.startRate, ...config.stages.map((s) => s.target)) / config.timeUnitMs) * 1000,
    },
    deps,
  );
}
