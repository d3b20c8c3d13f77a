/**
 * `bc-harness uat --time-scale auto`: the highest time scale this machine can run the scenario at
 * faithfully, found by a short calibration before the run's world (and its clock, whose scale is
 * fixed when it is created) starts.
 *
 * The run is judged faithful when the harness's event-loop lag (p99) and the integration's
 * receiver answer time (p95), each times the scale, stay under a tenth of the 30-second quota
 * window (src/verify/fidelity.ts). The calibration starts a throwaway simulator in this process
 * (no mocks: nothing writes to them before an integration runs) with a stand-in for a prompt
 * integration (a webhook receiver in this process that answers at once and reads the order it was
 * told about), then drives shopper orders through the control plane at the arrival rate the
 * scenario's busiest moment implies at each candidate scale, and measures this process's lag and
 * the delivery answer times. A scale is accepted when the lag times the scale stays under HALF
 * that budget (the real run adds the integration's own API calls and the connected systems' writes
 * to the same event loop), the stand-in's answers times the scale under the whole of it (no
 * integration answers faster through this loop), and every planned order was placed.
 *
 * Candidates are tried from the highest down, bisecting after the first (lag only grows with the
 * arrival rate), so a calibration is a handful of half-second probes: about 3 to 4 s, bounded by
 * CALIBRATION_MAX_MS. The choice itself is `chooseTimeScale`, a pure function.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { createVirtualClock } from '../../lib/clock.ts';
import { createLedger } from '../../lib/ledger.ts';
import { listen } from '../../lib/listen.ts';
import { startSimulator } from '../../simulator/index.ts';
import { acceptanceSchema } from '../load/acceptance.ts';
import { parseDuration as parseK6Duration } from '../load/durations.ts';
import { loadScriptExports } from '../load/scenario-catalog.ts';
import { FAITHFUL_SHARE_OF_WINDOW, MAX_LOAD_SHORTFALL } from '../verify/fidelity.ts';
import { rateLimitAllowances } from '../verify/rate-limits.ts';
import { DEFAULTS, parseDuration, type UatOptions } from './config.ts';

/** Scales tried, highest first (simulated seconds per real second). */
export const CANDIDATE_SCALES: readonly number[] = [3600, 1800, 1440, 900, 720, 600, 480, 300, 240, 180, 120, 60, 30, 10];
/** The share of the fidelity budget a calibration may use: the run adds the integration's own load. */
export const CALIBRATION_SHARE_OF_BUDGET = 0.5;
/** The quota window the fidelity budget is a tenth of (every plan's). */
export const QUOTA_WINDOW_MS = 30_000;
/** Real ms each candidate is driven for. */
export const PROBE_MS = 500;
/**
 * No probe starts unless its driving ends within this much real time from the calibration's start
 * (an overloaded probe then waits up to 1.4 s more for its backlog): the calibration stops by itself.
 */
export const CALIBRATION_MAX_MS = 5_000;
/**
 * Peak over average arrival rate, for a script whose executors say nothing about their rate (VU
 * executors): its acceptance export only gives orders over a duration. 4 covers a daily curve with
 * an evening peak (baseline-day's peak is 2.4 times its average); a scenario with a sharper peak
 * declares an arrival-rate executor, which is read instead.
 */
export const PEAK_FACTOR_FROM_AVERAGE = 4;

/** One candidate scale, driven for a moment. */
export interface ScaleMeasurement {
  scale: number;
  /** Real orders per second the probe aimed at: the scenario's peak at this scale. */
  targetPerSecond: number;
  /** Orders the probe planned (target times its length) and the ones the simulator accepted. */
  planned: number;
  placed: number;
  /** This process's event-loop lag beyond the sampling resolution, p99 and max, real ms (the lateness runUat measures). */
  lagP99Ms: number;
  lagMaxMs: number;
  /** Webhook delivery answer time of the stand-in receiver, p95, real ms; null when nothing was delivered. */
  answerP95Ms: number | null;
  /** How long the probe ran, real ms. */
  realMs: number;
}

export interface TimeScaleCap {
  scale: number;
  reason: string;
}

export interface TimeScaleChoice {
  scale: number;
  /** measured: a probe at this scale was faithful; extrapolated: none was, so the lowest probe's numbers were scaled; default: nothing was measured. */
  basis: 'measured' | 'extrapolated' | 'default';
  /** The probe the choice rests on (the chosen scale's own, or the lowest probed when extrapolated). */
  measurement?: ScaleMeasurement;
  /** Simulated ms the calibration allows the harness lag times the scale to reach: half the fidelity budget (answers get all of it). */
  budgetSimMs: number;
  /** Why, in a sentence. */
  text: string;
}

/** What run.json records under `timeScale.calibration`, and the report shows. */
export interface TimeScaleCalibration extends TimeScaleChoice {
  /** The fidelity budget (a tenth of the quota window), simulated ms. */
  fidelityBudgetSimMs: number;
  /** Caps below the highest candidate: the scenario's own stages, the 429 judgement's precision. */
  caps: TimeScaleCap[];
  /** The scenario's busiest moment, orders per simulated second (after --volume-scale), and where that came from. */
  peakPerSimSecond: number;
  peakBasis: 'executors' | 'acceptance' | 'none';
  probeMs: number;
  /** Every probe, in the order it ran. */
  measurements: ScaleMeasurement[];
  /** Real ms the whole calibration took. */
  realMs: number;
  /** Set when the calibration itself could not run (the default scale was used). */
  error?: string;
}

const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const fmtS = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export function calibrationBudgetSimMs(windowMs = QUOTA_WINDOW_MS): number {
  return windowMs * FAITHFUL_SHARE_OF_WINDOW * CALIBRATION_SHARE_OF_BUDGET;
}

/**
 * Whether one probe stays inside the calibration budget, and if not, each reason. The harness's lag
 * gets half the fidelity budget (the run adds the integration's load to this event loop); the
 * stand-in receiver's answers get the whole of it, as the run's receiver-latency check does: they
 * are the least any integration's answers take through this loop, and the integration's own answer
 * time is judged after the run anyway.
 */
export function judgeMeasurement(m: ScaleMeasurement, windowMs = QUOTA_WINDOW_MS): { faithful: boolean; problems: string[] } {
  const problems: string[] = [];
  const lagBudget = calibrationBudgetSimMs(windowMs);
  const answerBudget = windowMs * FAITHFUL_SHARE_OF_WINDOW;
  if (m.lagP99Ms * m.scale > lagBudget) problems.push(`harness lag p99 ${fmtMs(m.lagP99Ms)} ms is ${fmtS(m.lagP99Ms * m.scale)} simulated at ${m.scale}x, over ${fmtS(lagBudget)}`);
  if (m.answerP95Ms !== null && m.answerP95Ms * m.scale > answerBudget) problems.push(`webhook answer p95 ${fmtMs(m.answerP95Ms)} ms is ${fmtS(m.answerP95Ms * m.scale)} simulated at ${m.scale}x, over ${fmtS(answerBudget)}`);
  if (m.planned >= 1 && m.placed < Math.floor(m.planned * (1 - MAX_LOAD_SHORTFALL))) problems.push(`placed ${m.placed} of ${Math.round(m.planned)} orders at ${m.targetPerSecond.toFixed(0)} a second`);
  return { faithful: problems.length === 0, problems };
}

function measuredText(m: ScaleMeasurement): string {
  return `harness lag p99 ${fmtMs(m.lagP99Ms)} ms${m.answerP95Ms !== null ? `, webhook answer p95 ${fmtMs(m.answerP95Ms)} ms` : ''} at ${m.scale}x (${m.placed} orders at ${m.targetPerSecond < 10 ? m.targetPerSecond.toFixed(1) : m.targetPerSecond.toFixed(0)} a second)`;
}

/**
 * The highest faithful scale: the highest probed scale at most `cap` whose lag and answer times,
 * times the scale, stay under the calibration budget and whose orders were all placed. When none
 * did, the lowest probe's numbers say how far to go down (lag and answers scale with the time
 * scale; a rate that could not be placed scales with what was placed), rounded down to a
 * candidate. With no probe at all, the default scale (at most the cap).
 */
export function chooseTimeScale(measurements: readonly ScaleMeasurement[], cap: number, options: { windowMs?: number; candidates?: readonly number[]; fallback?: number } = {}): TimeScaleChoice {
  const budgetSimMs = calibrationBudgetSimMs(options.windowMs);
  const candidates = [...(options.candidates ?? CANDIDATE_SCALES)].sort((a, b) => b - a);
  const eligible = measurements.filter((m) => m.scale <= cap);
  const capped = cap < (candidates[0] ?? Infinity) ? `; the scenario allows at most ${cap}x` : '';
  const windowMs = options.windowMs ?? QUOTA_WINDOW_MS;
  const faithful = eligible.filter((m) => judgeMeasurement(m, windowMs).faithful).sort((a, b) => b.scale - a.scale);
  const best = faithful[0];
  if (best) {
    return { scale: best.scale, basis: 'measured', measurement: best, budgetSimMs, text: `${measuredText(best)}: lag times the scale under the calibration budget of ${fmtS(budgetSimMs)} simulated (half the fidelity budget)${capped}` };
  }
  const lowest = [...eligible].sort((a, b) => a.scale - b.scale)[0];
  if (!lowest) {
    const scale = Math.min(cap, options.fallback ?? DEFAULTS.timeScale);
    return { scale, basis: 'default', budgetSimMs, text: `nothing could be measured, so the default ${scale}x${capped}` };
  }
  let estimate = Math.min(budgetSimMs / Math.max(lowest.lagP99Ms, 0.001), (windowMs * FAITHFUL_SHARE_OF_WINDOW) / Math.max(lowest.answerP95Ms ?? 0, 0.001));
  if (lowest.planned >= 1 && lowest.placed < Math.floor(lowest.planned * (1 - MAX_LOAD_SHORTFALL))) estimate = Math.min(estimate, (lowest.scale * lowest.placed) / lowest.planned);
  estimate = Math.min(estimate, cap, lowest.scale);
  const scale = candidates.find((c) => c <= estimate) ?? Math.max(1, Math.floor(estimate));
  return { scale, basis: 'extrapolated', measurement: lowest, budgetSimMs, text: `no probed scale stayed under the calibration budget of ${fmtS(budgetSimMs)} simulated; at the lowest, ${measuredText(lowest)}: ${judgeMeasurement(lowest, windowMs).problems.join('; ')}, so ${scale}x${capped}` };
}

// ---- the scenario's load: its busiest moment and its own maximum scale --------------------------

export interface ScenarioLoadProfile {
  /** Orders (arrivals) per simulated second at the busiest moment, after --volume-scale. */
  peakPerSimSecond: number;
  basis: 'executors' | 'acceptance' | 'none';
  /** The highest scale the script can be planned at (k6's 1 s minimum per stage), when below the highest candidate. */
  maxScale?: number;
}

interface ExecutorLike {
  executor?: string;
  rate?: number;
  startRate?: number;
  timeUnit?: string | number;
  stages?: { target?: number; duration?: string | number }[];
  startTime?: string | number;
  duration?: string | number;
}

const durationOr = (v: unknown, fallback: number) => {
  try {
    return v === undefined ? fallback : parseK6Duration(v, 'duration');
  } catch {
    return fallback;
  }
};

/**
 * Arrivals per simulated second at the busiest moment, from a script's options loaded at
 * TIME_SCALE=1 (real durations are then simulated ones): each arrival-rate executor's peak
 * (`rate`, or the highest of `startRate` and its stage targets, per `timeUnit`) over its interval,
 * summed where intervals overlap. Undefined when no executor has an arrival rate.
 */
export function peakArrivalsPerSecond(options: unknown): number | undefined {
  const scenarios = (options as { scenarios?: Record<string, ExecutorLike> } | undefined)?.scenarios;
  if (!scenarios || typeof scenarios !== 'object') return undefined;
  const intervals: { from: number; to: number; perSecond: number }[] = [];
  for (const s of Object.values(scenarios)) {
    if (s.executor !== 'constant-arrival-rate' && s.executor !== 'ramping-arrival-rate') continue;
    const unitSeconds = durationOr(s.timeUnit, 1000) / 1000;
    if (!(unitSeconds > 0)) continue;
    const peak = s.executor === 'constant-arrival-rate' ? (s.rate ?? 0) : Math.max(s.startRate ?? 0, ...(s.stages ?? []).map((x) => x.target ?? 0));
    const from = durationOr(s.startTime, 0);
    const length = s.executor === 'constant-arrival-rate' ? durationOr(s.duration, 0) : (s.stages ?? []).reduce((sum, x) => sum + durationOr(x.duration, 0), 0);
    intervals.push({ from, to: from + length, perSecond: peak / unitSeconds });
  }
  if (intervals.length === 0) return undefined;
  // The sum is highest at the start of some interval.
  return Math.max(...intervals.map((i) => intervals.filter((j) => j.from <= i.from && i.from < Math.max(j.to, j.from + 1)).reduce((sum, j) => sum + j.perSecond, 0)));
}

const MAX_SCALE = /Use TIME_SCALE=(\d+(?:\.\d+)?) or lower/;

/**
 * The scenario's peak arrival rate and its own maximum scale. The script is planned at the highest
 * candidate; when a stage would be too short for k6 it says "Use TIME_SCALE=N or lower", and N is
 * tried next (another stage may need less); any other error steps down the candidates.
 */
export async function scenarioLoadProfile(path: string, env: Record<string, string>, candidates: readonly number[] = CANDIDATE_SCALES): Promise<ScenarioLoadProfile> {
  const volume = env.VOLUME_SCALE !== undefined ? Number(env.VOLUME_SCALE) : 1;
  const exports = await loadScriptExports(path, { ...env, TIME_SCALE: '1' });
  let peakPerSimSecond = peakArrivalsPerSecond(exports.options);
  let basis: ScenarioLoadProfile['basis'] = 'executors';
  if (peakPerSimSecond === undefined) {
    const acceptance = acceptanceSchema.safeParse(exports.acceptance);
    if (acceptance.success) {
      peakPerSimSecond = ((acceptance.data.expectedOrders * (Number.isFinite(volume) ? volume : 1)) / (parseDuration(acceptance.data.simulatedDuration) / 1000)) * PEAK_FACTOR_FROM_AVERAGE;
      basis = 'acceptance';
    } else {
      peakPerSimSecond = 0;
      basis = 'none';
    }
  }
  const sorted = [...candidates].sort((a, b) => b - a);
  let scale = sorted[0]!;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      await loadScriptExports(path, { ...env, TIME_SCALE: String(scale) });
      break;
    } catch (error) {
      const said = MAX_SCALE.exec((error as Error).message);
      const next = said && Number(said[1]) < scale ? Number(said[1]) : sorted.find((c) => c < scale);
      if (next === undefined || !(next > 0)) {
        scale = 1;
        break;
      }
      scale = next;
    }
  }
  return { peakPerSimSecond, basis, ...(scale < sorted[0]! ? { maxScale: scale } : {}) };
}

/** The highest candidate at which a 429's grace and tolerance stay small against the window (fidelity's rate-limit-precision). */
export function rateLimitPrecisionCap(windowMs = QUOTA_WINDOW_MS, candidates: readonly number[] = CANDIDATE_SCALES): number | undefined {
  return [...candidates]
    .sort((a, b) => b - a)
    .find((s) => {
      const a = rateLimitAllowances({ timeScale: s, windowMs });
      return a.graceMs < windowMs / 2 && a.toleranceMs < windowMs / 10;
    });
}

// ---- the throwaway world ------------------------------------------------------------------------

export interface CalibrationWorld {
  /** Drive orders at `perSecond` (real) for `durationMs`, then wait (bounded) for their deliveries. */
  probe(scale: number, perSecond: number, durationMs: number): Promise<ScaleMeasurement>;
  close(): Promise<void>;
}

const LAG_RESOLUTION_MS = 2;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function p95(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

/**
 * A simulator in this process (ledger to a temporary file, as a run writes one), a webhook
 * receiver standing in for a prompt integration (answers 200 at once, then reads the order from the
 * API), and an HTTP client placing shopper orders through the control plane one by one, as the load
 * runner does, dropping an arrival when as many are in flight as the scenario would have VUs.
 */
export async function openCalibrationWorld(o: { seed: number; products: number; customers: number }): Promise<CalibrationWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-calibration-'));
  const clock = createVirtualClock({ scale: CANDIDATE_SCALES[0]! });
  const ledger = createLedger({ path: join(dir, 'ledger.jsonl') });
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
  let receiver: Server | undefined;
  const agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 });
  const close = async () => {
    await sim?.close();
    if (receiver) {
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver!.close(() => r()));
    }
    await agent.close();
    ledger.close();
    clock.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Enterprise (unlimited): the stand-in's reads must not turn into 429s that measure nothing.
    sim = await startSimulator({ port: 0, host: '127.0.0.1', plan: 'enterprise', seed: o.seed, clock, ledger, products: o.products, customers: o.customers, pastOrders: 0 });
    const running = sim;
    const store = [...running.sim.stores.values()][0]!;
    const account = store.accounts[0]!;
    const answers: number[] = [];
    running.sim.bus.on('webhook:attempt', (e) => {
      if (e.outcome === 'delivered') answers.push(e.durationMs);
    });
    let reads = 0;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        let id: unknown;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { scope?: string; data?: { id?: unknown } };
          if (body.scope === 'store/order/created') id = body.data?.id;
        } catch {
          return;
        }
        if (id === undefined) return;
        reads++;
        request(`${running.url}/stores/${store.info.hash}/v2/orders/${String(id)}`, { dispatcher: agent, headers: { 'x-auth-token': account.accessToken, accept: 'application/json' } })
          .then((r) => r.body.dump())
          .catch(() => undefined)
          .finally(() => reads--);
      });
    });
    const receiverUrl = await listen(receiver, '127.0.0.1', 0);
    store.createHook(account.clientId, { scope: 'store/order/*', destination: `${receiverUrl}/webhooks`, is_active: true });

    const placeUrl = `${running.url}/__sim/stores/${store.info.hash}/orders`;
    const placeHeaders = { authorization: `Bearer ${running.sim.controlToken}`, 'content-type': 'application/json' };
    const place = async (): Promise<boolean> => {
      try {
        const res = await request(placeUrl, { method: 'POST', dispatcher: agent, headers: placeHeaders, body: '{"profile":"typical","count":1}' });
        await res.body.dump();
        return res.statusCode === 201;
      } catch {
        return false;
      }
    };
    // The run samples every 10 ms over many seconds; half a second of that would be 50 samples,
    // whose p99 is their maximum. Sampling every 2 ms measures the same lateness with enough samples.
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    const lateMs = (ns: number) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);

    return {
      async probe(scale, perSecond, durationMs) {
        answers.length = 0;
        lag.reset();
        lag.enable();
        const started = performance.now();
        const planned = (perSecond * durationMs) / 1000;
        const maxInFlight = Math.min(256, Math.max(20, Math.ceil(perSecond)));
        let arrivals = 0;
        let placed = 0;
        let inFlight = 0;
        const settled: Promise<void>[] = [];
        for (;;) {
          const elapsed = performance.now() - started;
          if (elapsed >= durationMs) break;
          // As k6's arrival-rate executors: the first arrival at once, then on schedule; an arrival with no free VU is dropped.
          const due = perSecond > 0 ? Math.min(Math.ceil(planned), Math.floor((perSecond * elapsed) / 1000) + 1) : 0;
          for (; arrivals < due; arrivals++) {
            if (inFlight >= maxInFlight) continue;
            inFlight++;
            settled.push(
              place().then((ok) => {
                inFlight--;
                if (ok) placed++;
              }),
            );
          }
          await sleep(5);
        }
        // The orders' deliveries and reads belong to the probe; bounded, so a backlog cannot stall the calibration.
        const until = performance.now() + 400;
        await Promise.race([Promise.all(settled), sleep(400)]);
        while (performance.now() < until && (running.sim.dispatcher.pending() > 0 || reads > 0)) await sleep(5);
        lag.disable();
        const realMs = performance.now() - started;
        // Whatever is still in flight (an overloaded probe) must not weigh on the next one.
        const quiet = performance.now() + 1_000;
        while (performance.now() < quiet && (running.sim.dispatcher.pending() > 0 || reads > 0 || inFlight > 0)) await sleep(10);
        await sleep(20);
        const measurement: ScaleMeasurement = {
          scale,
          targetPerSecond: perSecond,
          planned,
          placed,
          lagP99Ms: lag.count > 0 ? lateMs(lag.percentile(99)) : 0,
          lagMaxMs: lag.count > 0 ? lateMs(lag.max) : 0,
          answerP95Ms: p95(answers),
          realMs,
        };
        return measurement;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---- the calibration ----------------------------------------------------------------------------

export interface CalibrationInput {
  scenarioPath: string;
  /** The scenario's __ENV as the run gives it (VOLUME_SCALE and -e pairs; TIME_SCALE is set here). */
  env: Record<string, string>;
  /** The scenario judges 429 handling: the scale must keep the 429 judgement precise. */
  judges429: boolean;
  seed: number;
  products: number;
  customers: number;
  windowMs?: number;
  signal?: AbortSignal;
}

export interface CalibrationDeps {
  profile?: (input: CalibrationInput) => Promise<ScenarioLoadProfile>;
  openWorld?: (input: CalibrationInput) => Promise<CalibrationWorld>;
  now?: () => number;
  probeMs?: number;
  maxMs?: number;
  candidates?: readonly number[];
}

/** Real seconds a calibration takes about (for the progress line). */
export function calibrationSecondsEstimate(candidates: readonly number[] = CANDIDATE_SCALES, probeMs = PROBE_MS): number {
  const probes = Math.ceil(Math.log2(candidates.length + 1));
  return Math.min(Math.ceil((CALIBRATION_MAX_MS + 1000) / 1000), Math.ceil((700 + probes * (probeMs + 250)) / 1000));
}

export async function calibrateTimeScale(input: CalibrationInput, deps: CalibrationDeps = {}): Promise<TimeScaleCalibration> {
  const now = deps.now ?? (() => performance.now());
  const probeMs = deps.probeMs ?? PROBE_MS;
  const maxMs = deps.maxMs ?? CALIBRATION_MAX_MS;
  const allCandidates = [...(deps.candidates ?? CANDIDATE_SCALES)].sort((a, b) => b - a);
  const windowMs = input.windowMs ?? QUOTA_WINDOW_MS;
  const started = now();
  const profile = await (deps.profile ?? ((i) => scenarioLoadProfile(i.scenarioPath, i.env, allCandidates)))(input);

  const caps: TimeScaleCap[] = [];
  if (profile.maxScale !== undefined) caps.push({ scale: profile.maxScale, reason: `a stage of the scenario would be shorter than k6's 1 s minimum above ${profile.maxScale}x` });
  const precision = rateLimitPrecisionCap(windowMs, allCandidates);
  if (input.judges429 && precision !== undefined && precision < allCandidates[0]!) caps.push({ scale: precision, reason: `the scenario judges 429 handling, which needs timer jitter small against the window: at most ${precision}x` });
  const cap = Math.min(allCandidates[0]!, ...caps.map((c) => c.scale));
  // The scenario's own maximum is a candidate too (doorbuster's 300 is one already).
  const candidates = [...new Set([...allCandidates.filter((c) => c <= cap), ...(cap < allCandidates[0]! ? [cap] : [])])].sort((a, b) => b - a);

  const measurements: ScaleMeasurement[] = [];
  let error: string | undefined;
  if (!input.signal?.aborted && candidates.length > 0) {
    let world: CalibrationWorld | undefined;
    try {
      world = await (deps.openWorld ?? ((i) => openCalibrationWorld({ seed: i.seed, products: i.products, customers: i.customers })))(input);
      // A first moment of traffic compiles the hot paths; it would count against the highest scale otherwise.
      await world.probe(0, 60, Math.min(300, probeMs));
      // Lag only grows with the arrival rate: the highest candidate first (it usually decides a quiet
      // scenario), then bisect between the highest failed and the lowest faithful.
      let lo = 0;
      let hi = candidates.length;
      while (lo < hi && !input.signal?.aborted && now() - started + probeMs <= maxMs) {
        const mid = measurements.length === 0 ? 0 : Math.floor((lo + hi) / 2);
        const scale = candidates[mid]!;
        const m = await world.probe(scale, profile.peakPerSimSecond * scale, probeMs);
        measurements.push(m);
        if (judgeMeasurement(m, windowMs).faithful) hi = mid;
        else lo = mid + 1;
      }
    } catch (e) {
      error = (e as Error).message;
    } finally {
      await world?.close().catch(() => undefined);
    }
  }
  const choice = chooseTimeScale(measurements, cap, { windowMs, candidates });
  return {
    ...choice,
    fidelityBudgetSimMs: windowMs * FAITHFUL_SHARE_OF_WINDOW,
    caps,
    peakPerSimSecond: profile.peakPerSimSecond,
    peakBasis: profile.basis,
    probeMs,
    measurements,
    realMs: Math.round(now() - started),
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * runUat's one call before its clock exists: with `--time-scale auto`, calibrate and return the
 * options with the chosen scale and the calibration; otherwise the options as they are.
 */
export async function resolveTimeScale(options: UatOptions, ctx: { scenarioPath: string; criteria: readonly { measure: string }[]; log: (line: string) => void; signal?: AbortSignal }, deps: CalibrationDeps = {}): Promise<UatOptions> {
  if (options.timeScaleMode !== 'auto') return options;
  ctx.log(`Calibrating the time scale (about ${calibrationSecondsEstimate(deps.candidates, deps.probeMs)} s)...`);
  const env = { ...options.scenarioEnv, ...(options.volumeScale !== undefined ? { VOLUME_SCALE: String(options.volumeScale) } : {}) };
  let calibration: TimeScaleCalibration;
  try {
    calibration = await calibrateTimeScale(
      {
        scenarioPath: ctx.scenarioPath,
        env,
        judges429: ctx.criteria.some((c) => c.measure.startsWith('api.rateLimit')),
        seed: options.seed,
        products: options.products,
        customers: options.customers,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      deps,
    );
  } catch (error) {
    // The scenario loaded once already (prepareUat); a calibration that cannot run must not cost the run.
    const fallback = chooseTimeScale([], Infinity);
    calibration = { ...fallback, fidelityBudgetSimMs: QUOTA_WINDOW_MS * FAITHFUL_SHARE_OF_WINDOW, caps: [], peakPerSimSecond: 0, peakBasis: 'none', probeMs: deps.probeMs ?? PROBE_MS, measurements: [], realMs: 0, error: (error as Error).message };
  }
  if (calibration.error) ctx.log(`warning: the time-scale calibration failed (${calibration.error}); using ${calibration.scale}x.`);
  ctx.log(`Chose --time-scale ${calibration.scale}: ${calibration.text} (calibrated in ${(calibration.realMs / 1000).toFixed(1)} s).`);
  return { ...options, timeScale: calibration.scale, timeScaleCalibration: calibration };
}
