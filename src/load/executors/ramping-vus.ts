/**
 * ramping-vus: the number of looping VUs follows the stages. Ported from k6
 * (`lib/executor/ramping_vus.go`): "raw" steps say when a VU starts or is asked to stop after its
 * current iteration; "graceful" steps, gracefulRampDown later, say when a stopped VU's iteration is
 * interrupted. The raw steps count VUs up when the linear ramp reaches the next whole VU, and down
 * when it leaves one.
 */
import { formatGoDuration } from '../durations.ts';
import type { VuState } from '../context.ts';
import type { RampingVusConfig } from '../options.ts';
import { waitUntil } from './timing.ts';
import type { Executor, ExecutorDeps, RunningIteration, ScenarioProgress } from './types.ts';

export interface VuStep {
  offsetMs: number;
  vus: number;
}

/** k6 `getRawExecutionSteps(et, zeroEnd)` for a single instance. */
export function rawRampingSteps(config: Pick<RampingVusConfig, 'startVUs' | 'stages'>, zeroEnd: boolean): VuStep[] {
  const steps: VuStep[] = [{ offsetMs: 0, vus: config.startVUs }];
  const add = (offsetMs: number, vus: number) => {
    if (steps[steps.length - 1]!.vus !== vus) steps.push({ offsetMs, vus });
  };
  let from = config.startVUs;
  let timeTillEnd = 0;
  for (const stage of config.stages) {
    const end = stage.target;
    const dur = stage.durationMs;
    timeTillEnd += dur;
    const diff = end - from;
    if (diff === 0) continue;
    if (dur === 0) {
      add(timeTillEnd, end);
      from = end;
      continue;
    }
    if (from > end) {
      // Down: a VU stops when the ramp leaves it (k6 stops it "on the next unscaled VU's time").
      for (let u = from; u > end; u--) add(timeTillEnd - (dur * (end - u + 1)) / diff, u - 1);
    } else {
      for (let u = from + 1; u <= end; u++) add(timeTillEnd - (dur * (end - u)) / diff, u);
    }
    from = end;
  }
  if (zeroEnd && steps[steps.length - 1]!.vus !== 0) steps.push({ offsetMs: timeTillEnd, vus: 0 });
  return steps;
}

/** k6 `reserveVUsForGracefulRampDowns` + `GetExecutionRequirements`: when stopped VUs are cut off. */
export function gracefulRampingSteps(config: Pick<RampingVusConfig, 'startVUs' | 'stages' | 'gracefulRampDownMs' | 'gracefulStopMs'>): VuStep[] {
  const raw = rawRampingSteps(config, false);
  const endOffset = config.stages.reduce((s, st) => s + st.durationMs, 0) + config.gracefulStopMs;
  let steps: VuStep[] = raw;
  if (config.gracefulRampDownMs > 0) {
    steps = [];
    let last = 0;
    let lastDownwardSlope = 0;
    for (let n = 0; n < raw.length; n++) {
      const step = raw[n]!;
      if (n === 0 || step.vus > last) {
        steps.push(step);
        last = step.vus;
        continue;
      }
      if (step.vus === last) continue;
      let skipped = false;
      const withTimeout = step.offsetMs + config.gracefulRampDownMs;
      let wasRampingDown = true;
      for (let a = Math.max(n + 1, lastDownwardSlope); a < raw.length; a++) {
        const adv = raw[a]!;
        if (adv.offsetMs > withTimeout) break;
        if (adv.vus >= last) {
          n = a - 1;
          skipped = true;
          break;
        }
        if (wasRampingDown) {
          if (raw[a - 1]!.vus > adv.vus) lastDownwardSlope = a;
          else wasRampingDown = false;
        }
      }
      if (skipped) continue;
      if (withTimeout >= endOffset) break;
      steps.push({ offsetMs: withTimeout, vus: step.vus });
      last = step.vus;
    }
  }
  if (steps[steps.length - 1]!.vus !== 0) steps.push({ offsetMs: endOffset, vus: 0 });
  return steps;
}

interface Handle {
  vu: VuState | undefined;
  active: boolean;
  current: RunningIteration | undefined;
  loop: Promise<void> | undefined;
}

export function createRampingVus(config: RampingVusConfig, deps: ExecutorDeps): Executor {
  const raw = rawRampingSteps(config, true);
  const graceful = gracefulRampingSteps(config);
  const regularMs = raw[raw.length - 1]!.offsetMs;
  const maxMs = graceful[graceful.length - 1]!.offsetMs;
  const maxVUs = Math.max(...graceful.map((s) => s.vus));
  const handles: Handle[] = Array.from({ length: maxVUs }, () => ({ vu: undefined, active: false, current: undefined, loop: undefined }));
  let state: ScenarioProgress['state'] = 'waiting';
  let started = 0;
  let activeCount = 0;

  const runLoop = async (h: Handle) => {
    h.vu = deps.pool.take() ?? (await deps.pool.initNew());
    activeCount += 1;
    deps.activeVUs(1);
    try {
      while (h.active && !deps.stopSignal.aborted) {
        const iteration = deps.startIteration(h.vu);
        h.current = iteration;
        const outcome = await iteration.done;
        h.current = undefined;
        if (outcome === 'interrupted') break;
      }
    } finally {
      activeCount -= 1;
      deps.activeVUs(-1);
      deps.pool.give(h.vu);
      h.vu = undefined;
      h.loop = undefined;
    }
  };
  const start = (h: Handle) => {
    h.active = true;
    h.loop ??= runLoop(h);
  };
  const gracefulStop = (h: Handle) => {
    h.active = false;
  };
  const hardStop = (h: Handle) => {
    h.active = false;
    h.current?.interrupt();
  };

  return {
    progress() {
      const elapsed = started ? performance.now() - started : 0;
      const width = String(maxVUs).length;
      const time = elapsed < regularMs ? `${(elapsed / 1000).toFixed(1)}s/${formatGoDuration(regularMs)}` : formatGoDuration(regularMs);
      return { fraction: state === 'waiting' ? 0 : Math.min(1, elapsed / regularMs), state, detail: `${String(activeCount).padStart(width, '0')}/${maxVUs} VUs  ${time}` };
    },
    async run() {
      state = 'running';
      started = performance.now();
      deps.scenario.startedAtEpochMs = Date.now();
      let scheduled = 0;
      let allowed = 0;
      const applyRaw = (vus: number) => {
        for (; scheduled < vus; scheduled++) start(handles[scheduled]!);
        for (; vus < scheduled; scheduled--) gracefulStop(handles[scheduled - 1]!);
      };
      const applyGraceful = (vus: number) => {
        for (; vus < allowed; allowed--) hardStop(handles[allowed - 1]!);
        allowed = vus;
      };
      // Walk both step lists in time order, graceful first only when strictly earlier (k6
      // `iterateSteps`), until the raw steps end with 0 scheduled VUs.
      let i = 0;
      let j = 0;
      while (i < raw.length && !deps.stopSignal.aborted) {
        const r = raw[i]!;
        const g = graceful[j];
        const takeGraceful = g !== undefined && g.offsetMs < r.offsetMs;
        const step = takeGraceful ? g : r;
        if (await waitUntil(started + step.offsetMs, deps.stopSignal)) break;
        if (takeGraceful) {
          applyGraceful(step.vus);
          j++;
        } else {
          applyRaw(step.vus);
          i++;
        }
      }
      state = deps.stopSignal.aborted ? 'interrupted' : 'stopping';
      // The remaining graceful steps cut off VUs still finishing an iteration, while the
      // scenario ends as soon as every VU is back (k6 `runRemainingGracefulSteps`).
      const stopWaiting = new AbortController();
      const onStop = () => stopWaiting.abort();
      deps.stopSignal.addEventListener('abort', onStop, { once: true });
      const remaining = (async () => {
        for (const g of graceful.slice(j)) {
          if (await waitUntil(started + g.offsetMs, stopWaiting.signal)) return;
          applyGraceful(g.vus);
        }
        if (!(await waitUntil(started + maxMs, stopWaiting.signal))) for (const h of handles) hardStop(h);
      })();
      if (deps.stopSignal.aborted) for (const h of handles) hardStop(h);
      await Promise.all(handles.map((h) => h.loop));
      stopWaiting.abort();
      deps.stopSignal.removeEventListener('abort', onStop);
      await remaining;
      if (deps.stopSignal.aborted) state = 'interrupted';
      else state = 'done';
    },
  };
}
