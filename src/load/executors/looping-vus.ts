/**
 * The closed-model executors where each VU loops iterations back to back: constant-vus (for a
 * duration), per-vu-iterations (N each) and shared-iterations (N in total). After the regular
 * duration (or maxDuration) no iteration starts; running ones get gracefulStop, then are
 * interrupted (k6 `getDurationContexts`).
 */
import { formatGoDuration } from '../durations.ts';
import type { VuState } from '../context.ts';
import type { ConstantVusConfig, PerVuIterationsConfig, SharedIterationsConfig } from '../options.ts';
import { createInflight } from './inflight.ts';
import { waitUntil } from './timing.ts';
import type { Executor, ExecutorDeps, ScenarioProgress } from './types.ts';

interface LoopPlan {
  vus: number;
  regularMs: number;
  gracefulStopMs: number;
  /** May VU `index` start another iteration? Called just before each start. */
  claim(index: number): boolean;
  /** Progress fraction and the k6-like right-hand side. */
  describe(elapsedMs: number, busy: number): { fraction: number; detail: string };
}

function createLoopingExecutor(plan: LoopPlan, deps: ExecutorDeps): Executor {
  let state: ScenarioProgress['state'] = 'waiting';
  let started = 0;
  let ended = 0;
  let busy = 0;
  return {
    progress() {
      const elapsed = started ? (ended || performance.now()) - started : 0;
      const { fraction, detail } = plan.describe(elapsed, busy);
      return { fraction: state === 'waiting' ? 0 : fraction, detail, state };
    },
    async run() {
      const vus: VuState[] = [];
      for (let i = 0; i < plan.vus; i++) vus.push(deps.pool.take() ?? (await deps.pool.initNew()));
      const inflight = createInflight();
      state = 'running';
      started = performance.now();
      deps.scenario.startedAtEpochMs = Date.now();
      const regularEnd = started + plan.regularMs;
      let regularOver = false;
      const loops = vus.map(async (vu, index) => {
        busy += 1;
        deps.activeVUs(1);
        try {
          while (!regularOver && !deps.stopSignal.aborted && performance.now() < regularEnd && plan.claim(index)) {
            const iteration = deps.startIteration(vu);
            inflight.track(iteration);
            if ((await iteration.done) === 'interrupted') break;
          }
        } finally {
          busy -= 1;
          deps.activeVUs(-1);
        }
      });
      const allLoops = Promise.all(loops);
      // Wait for the regular end, or less when every loop is done (iteration-based executors).
      const stopWaiting = new AbortController();
      const onStop = () => stopWaiting.abort();
      deps.stopSignal.addEventListener('abort', onStop, { once: true });
      await Promise.race([allLoops, waitUntil(regularEnd, stopWaiting.signal)]);
      stopWaiting.abort();
      deps.stopSignal.removeEventListener('abort', onStop);
      regularOver = true;
      state = deps.stopSignal.aborted ? 'interrupted' : 'stopping';
      await inflight.drain(deps.stopSignal.aborted ? 0 : plan.gracefulStopMs, deps.stopSignal);
      await allLoops;
      ended = performance.now();
      for (const vu of vus) deps.pool.give(vu);
      if (state !== 'interrupted') state = 'done';
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function createConstantVus(config: ConstantVusConfig, deps: ExecutorDeps): Executor {
  return createLoopingExecutor(
    {
      vus: config.vus,
      regularMs: config.durationMs,
      gracefulStopMs: config.gracefulStopMs,
      claim: () => true,
      describe: (elapsed) => ({ fraction: Math.min(1, elapsed / config.durationMs), detail: `${config.vus} VUs  ${seconds(Math.min(elapsed, config.durationMs))}/${formatGoDuration(config.durationMs)}` }),
    },
    deps,
  );
}

export function createPerVuIterations(config: PerVuIterationsConfig, deps: ExecutorDeps): Executor {
  const done = new Array<number>(config.vus).fill(0);
  let total = 0;
  const all = config.vus * config.iterations;
  return createLoopingExecutor(
    {
      vus: config.vus,
      regularMs: config.maxDurationMs,
      gracefulStopMs: config.gracefulStopMs,
      claim(index) {
        if (done[index]! >= config.iterations) return false;
        done[index]! += 1;
        total += 1;
        return true;
      },
      describe: (elapsed) => ({
        fraction: total / all,
        detail: `${config.vus} VUs  ${seconds(Math.min(elapsed, config.maxDurationMs))}/${formatGoDuration(config.maxDurationMs)}  ${total}/${all} iters, ${config.iterations} per VU`,
      }),
    },
    deps,
  );
}

export function createSharedIterations(config: SharedIterationsConfig, deps: ExecutorDeps): Executor {
  let claimed = 0;
  return createLoopingExecutor(
    {
      vus: config.vus,
      regularMs: config.maxDurationMs,
      gracefulStopMs: config.gracefulStopMs,
      claim() {
        if (claimed >= config.iterations) return false;
        claimed += 1;
        return true;
      },
      describe: (elapsed) => ({
        fraction: claimed / config.iterations,
        detail: `${config.vus} VUs  ${seconds(Math.min(elapsed, config.maxDurationMs))}/${formatGoDuration(config.maxDurationMs)}  ${claimed}/${config.iterations} shared iters`,
      }),
    },
    deps,
  );
}
