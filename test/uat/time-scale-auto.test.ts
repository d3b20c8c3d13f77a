/**
 * `bc-harness uat --time-scale auto`: the choice of a scale from calibration probes (a pure
 * function, table-driven), the calibration's search driven with fake lag numbers, reading a
 * scenario's peak rate and its own maximum scale, the flag's parsing, and one run through the real
 * command that records the calibration in run.json and the report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { optionsFrom, type UatFlags } from '../../src/cli/commands/uat.ts';
import { main } from '../../src/cli/main.ts';
import { numberOrAutoOption } from '../../src/cli/options.ts';
import { resolveScenario } from '../../src/load/scenario-catalog.ts';
import {
  calibrateTimeScale,
  chooseTimeScale,
  judgeMeasurement,
  peakArrivalsPerSecond,
  rateLimitPrecisionCap,
  resolveTimeScale,
  scenarioLoadProfile,
  type CalibrationInput,
  type CalibrationWorld,
  type ScaleMeasurement,
  type ScenarioLoadProfile,
} from '../../src/uat/calibrate-time-scale.ts';
import { DEFAULTS } from '../../src/uat/config.ts';
import { cleanupTempDirs, expectVerdictOrInconclusive, runUat, tempDir } from './support/run-uat.ts';

afterAll(cleanupTempDirs);
afterEach(() => vi.restoreAllMocks());

/** A probe at `scale` with these lag and answer times, every planned order placed unless said. */
const m = (scale: number, lagP99Ms: number, answerP95Ms: number | null = 1, placed?: number, planned = 10): ScaleMeasurement => ({
  scale,
  targetPerSecond: planned * 2,
  planned,
  placed: placed ?? planned,
  lagP99Ms,
  lagMaxMs: lagP99Ms,
  answerP95Ms,
  realMs: 500,
});

describe('chooseTimeScale: the highest probed scale under the calibration budget', () => {
  // Budget: lag times the scale <= 1.5 s simulated (half of a tenth of 30 s); answers <= 3 s; >= 98% of the orders placed.
  it.each<[string, ScaleMeasurement[], number, number, 'measured' | 'extrapolated' | 'default']>([
    ['the highest candidate is under budget', [m(3600, 0.4, 0.5)], Infinity, 3600, 'measured'],
    ['lag at exactly the budget still fits', [m(720, 1500 / 720)], Infinity, 720, 'measured'],
    ['the example in the brief: 1.2 ms at 720x', [m(3600, 2), m(300, 1), m(720, 1.2), m(480, 1)], Infinity, 720, 'measured'],
    ['bisection history: the highest faithful wins', [m(3600, 4), m(300, 1), m(1440, 2), m(720, 2.2), m(480, 1.5), m(600, 2.6)], Infinity, 480, 'measured'],
    ['a faithful probe above the cap does not count', [m(720, 0.5), m(300, 0.5)], 300, 300, 'measured'],
    ['the cap itself was probed', [m(300, 3)], 300, 300, 'measured'],
    ['slow answers rule a scale out on their own (3 ms at 1440x is 4.3 s)', [m(1440, 0.5, 3), m(900, 0.5, 3)], Infinity, 900, 'measured'],
    ['answers get the whole budget (3 ms at 900x is 2.7 s)', [m(900, 0.5, 3)], Infinity, 900, 'measured'],
    ['no delivery to judge: lag alone decides', [m(1800, 0.8, null)], Infinity, 1800, 'measured'],
    ['orders not placed: not faithful, whatever the lag', [m(3600, 0.1, 0.1, 50, 100), m(1800, 0.1, 0.1, 99, 100)], Infinity, 1800, 'measured'],
    ['2% short is still the plan', [m(1800, 0.1, 0.1, 98, 100)], Infinity, 1800, 'measured'],
    ['a fraction of an order planned: nothing to be short of', [m(3600, 0.1, 0.1, 0, 0.3)], Infinity, 3600, 'measured'],
    ['none faithful: scaled down from the lowest probe (30 ms at 60x -> 50x -> 30)', [m(3600, 40), m(300, 20), m(60, 30)], Infinity, 30, 'extrapolated'],
    ['none faithful: slow answers scale down too (50 ms -> 60x)', [m(120, 1, 50)], Infinity, 60, 'extrapolated'],
    ['none faithful: placing fell short, scaled by what was placed', [m(300, 0.1, 0.1, 40, 100)], Infinity, 120, 'extrapolated'],
    ['none faithful, below every candidate: a whole number, at least 1', [m(10, 500)], Infinity, 3, 'extrapolated'],
    ['none faithful, and the lag is hopeless', [m(10, 100_000)], Infinity, 1, 'extrapolated'],
    ['nothing measured: the default', [], Infinity, DEFAULTS.timeScale, 'default'],
    ['nothing measured under a low cap: the cap', [], 30, 30, 'default'],
  ])('%s', (_name, measurements, cap, scale, basis) => {
    const choice = chooseTimeScale(measurements, cap);
    expect(choice).toMatchObject({ scale, basis, budgetSimMs: 1500 });
    expect(choice.text.length).toBeGreaterThan(10);
    if (basis === 'measured') expect(choice.measurement!.scale).toBe(scale);
  });

  it('says why, with the numbers', () => {
    expect(chooseTimeScale([m(720, 1.2, 0.9)], Infinity).text).toBe('harness lag p99 1.20 ms, webhook answer p95 0.90 ms at 720x (10 orders at 20 a second): lag times the scale under the calibration budget of 1.50 s simulated (half the fidelity budget)');
    expect(chooseTimeScale([m(300, 1)], 300).text).toMatch(/the scenario allows at most 300x$/);
    expect(chooseTimeScale([m(60, 30)], Infinity).text).toMatch(/^no probed scale stayed under .*harness lag p99 30.0 ms is 1.80 s simulated at 60x, over 1.50 s.*so 30x$/);
    expect(judgeMeasurement(m(600, 0.5, 6)).problems).toEqual(['webhook answer p95 6.00 ms is 3.60 s simulated at 600x, over 3.00 s']);
  });
});

describe('calibrateTimeScale: probes from the highest candidate down, bisecting', () => {
  const input: CalibrationInput = { scenarioPath: 'unused.js', env: {}, judges429: false, seed: 1, products: 10, customers: 10 };
  /** A world whose lag is a function of the scale, recording what was probed. */
  const fakeWorld = (lagAt: (scale: number) => number, probed: { scale: number; perSecond: number }[] = []) => ({
    probed,
    open: async (): Promise<CalibrationWorld> => ({
      async probe(scale, perSecond, durationMs) {
        probed.push({ scale, perSecond });
        return { ...m(scale, lagAt(scale), 0.5), targetPerSecond: perSecond, planned: (perSecond * durationMs) / 1000, placed: Math.ceil((perSecond * durationMs) / 1000) };
      },
      close: async () => undefined,
    }),
  });
  const profile = (p: Partial<ScenarioLoadProfile> = {}) => async (): Promise<ScenarioLoadProfile> => ({ peakPerSimSecond: 0.5, basis: 'executors', ...p });

  it('a quiet machine: the highest candidate, after one probe (and the warm-up)', async () => {
    const world = fakeWorld(() => 0.1);
    const result = await calibrateTimeScale(input, { profile: profile(), openWorld: world.open });
    expect(result).toMatchObject({ scale: 3600, basis: 'measured', caps: [], peakPerSimSecond: 0.5, peakBasis: 'executors', fidelityBudgetSimMs: 3000 });
    expect(world.probed.map((p) => p.scale)).toEqual([0, 3600]);
    // The probe drives the scenario's peak at that scale.
    expect(world.probed[1]!.perSecond).toBe(1800);
  });

  it('lag that grows with the rate: bisects to the boundary in a handful of probes', async () => {
    // 1.5 s budget: faithful while lag(s) * s <= 1500, lag = 0.5 + s/1000 ms -> boundary between 900 (1.26 s) and 1440 (2.79 s).
    const world = fakeWorld((s) => 0.5 + s / 1000);
    const result = await calibrateTimeScale(input, { profile: profile(), openWorld: world.open });
    expect(result.scale).toBe(900);
    expect(result.measurements.length).toBeLessThanOrEqual(5);
    expect(world.probed.slice(1).map((p) => p.scale)).toEqual(result.measurements.map((x) => x.scale));
    expect(result.measurements[0]!.scale).toBe(3600);
  });

  it('a busy machine: extrapolates from the lowest probe', async () => {
    const result = await calibrateTimeScale(input, { profile: profile(), openWorld: fakeWorld(() => 400).open });
    expect(result).toMatchObject({ basis: 'extrapolated', scale: 3 });
    expect(result.measurements.at(-1)!.scale).toBe(10);
  });

  it("caps at the scenario's own maximum (a candidate then) and at the 429 judgement's precision", async () => {
    const world = fakeWorld(() => 0.1);
    const capped = await calibrateTimeScale(input, { profile: profile({ maxScale: 450 }), openWorld: world.open });
    expect(capped).toMatchObject({ scale: 450, caps: [{ scale: 450 }] });
    expect(capped.caps[0]!.reason).toMatch(/shorter than k6's 1 s minimum above 450x/);
    const judged = await calibrateTimeScale({ ...input, judges429: true }, { profile: profile(), openWorld: fakeWorld(() => 0.1).open });
    expect(judged.scale).toBe(720);
    expect(judged.caps.map((c) => c.scale)).toEqual([720]);
    // 750x would make the 429 grace half a window (fidelity's rate-limit-precision).
    expect(rateLimitPrecisionCap()).toBe(720);
  });

  it('stops probing when its time is up, and when interrupted', async () => {
    let clock = 0;
    const slow = fakeWorld(() => 400);
    const result = await calibrateTimeScale(input, { profile: profile(), openWorld: slow.open, now: () => (clock += 1_000), maxMs: 3_000 });
    expect(result.measurements.length).toBeLessThan(3);
    const abort = new AbortController();
    abort.abort();
    const none = await calibrateTimeScale({ ...input, signal: abort.signal }, { profile: profile(), openWorld: slow.open });
    expect(none).toMatchObject({ basis: 'default', scale: DEFAULTS.timeScale, measurements: [] });
  });

  it('a world that cannot start costs the run nothing: the default scale, with the error', async () => {
    const result = await calibrateTimeScale(input, { profile: profile(), openWorld: async () => Promise.reject(new Error('EADDRINUSE')) });
    expect(result).toMatchObject({ basis: 'default', scale: DEFAULTS.timeScale, error: 'EADDRINUSE' });
  });

  it('resolveTimeScale: says what it does, and returns the chosen scale with the calibration', async () => {
    const lines: string[] = [];
    const options = optionsFrom(flags({ timeScale: 'auto' }));
    const resolved = await resolveTimeScale(options, { scenarioPath: 'unused.js', criteria: [{ measure: 'api.rateLimitIgnored' }], log: (l) => lines.push(l) }, { profile: profile(), openWorld: fakeWorld(() => 0.1).open });
    expect(resolved).toMatchObject({ timeScale: 720, timeScaleMode: 'auto', timeScaleCalibration: { scale: 720, basis: 'measured' } });
    expect(lines[0]).toMatch(/^Calibrating the time scale \(about \d s\)\.\.\.$/);
    expect(lines[1]).toMatch(/^Chose --time-scale 720: harness lag p99 0\.10 ms/);
    // A number given is used as it is.
    const fixed = optionsFrom(flags({ timeScale: 300 }));
    expect(await resolveTimeScale(fixed, { scenarioPath: 'unused.js', criteria: [], log: (l) => lines.push(l) })).toBe(fixed);
    expect(lines).toHaveLength(2);
  });
});

describe("the scenario's load: its busiest moment and its own maximum scale", () => {
  it('reads arrival-rate executors, summing those that overlap', () => {
    // At TIME_SCALE=1 a timeUnit is the simulated unit: 200 a minute is 3.33 a second.
    expect(peakArrivalsPerSecond({ scenarios: { a: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '60000ms', duration: '300000ms' } } })).toBeCloseTo(200 / 60);
    const overlapping = { a: { executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', stages: [{ target: 30, duration: '10s' }, { target: 5, duration: '10s' }] }, b: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '5s', startTime: '3s' } };
    expect(peakArrivalsPerSecond({ scenarios: overlapping })).toBe(32);
    const sequential = { a: { executor: 'constant-arrival-rate', rate: 4, duration: '2s' }, b: { executor: 'constant-arrival-rate', rate: 6, duration: '2s', startTime: '2s' }, fault: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } };
    expect(peakArrivalsPerSecond({ scenarios: sequential })).toBe(6);
    expect(peakArrivalsPerSecond({ scenarios: { v: { executor: 'constant-vus', vus: 5, duration: '1m' } } })).toBeUndefined();
    expect(peakArrivalsPerSecond(undefined)).toBeUndefined();
  });

  it("doorbuster: 200 orders a simulated minute times the volume, at most 300x (k6's 1 s minimum)", async () => {
    const profile = await scenarioLoadProfile(resolveScenario('doorbuster')!.path, { VOLUME_SCALE: '0.05' });
    expect(profile.basis).toBe('executors');
    expect(profile.peakPerSimSecond).toBeCloseTo((200 * 0.05) / 60, 6);
    expect(profile.maxScale).toBe(300);
  });

  it('worst-case-orders: at most 1800x; baseline-day has no maximum among the candidates', async () => {
    expect((await scenarioLoadProfile(resolveScenario('worst-case-orders')!.path, {})).maxScale).toBe(1800);
    const day = await scenarioLoadProfile(resolveScenario('baseline-day')!.path, {});
    expect(day.maxScale).toBeUndefined();
    // Its evening peak of 50 orders an hour, plus the abandoned carts' 8 an hour.
    expect(day.peakPerSimSecond).toBeGreaterThanOrEqual(50 / 3600);
  });
});

/** The flags commander hands the action, with the defaults. */
function flags(over: Partial<UatFlags>): UatFlags {
  return { scenario: 'doorbuster', integration: 'reference', plan: 'standard', timeScale: DEFAULTS.timeScale, seed: 1, runner: 'embedded', env: [], readyTimeout: 60, products: 200, customers: 100, pastOrders: 50, progress: false, ...over };
}

describe('--time-scale: a number or auto', () => {
  const parse = numberOrAutoOption('--time-scale', 0.001, 1_000_000);

  it.each([
    ['auto', 'auto'],
    ['AUTO', 'auto'],
    ['720', 720],
    ['0.5', 0.5],
    ['1e3', 1000],
  ])('%s -> %s', (given, expected) => {
    expect(parse(given)).toBe(expected);
  });

  it.each(['fast', '', '0', '-60', '2000000', 'NaN', 'autox'])('refuses "%s", naming the flag and both forms', (given) => {
    expect(() => parse(given)).toThrow(`--time-scale must be a number from 0.001 to 1000000 or auto; got "${given}".`);
  });

  it('auto becomes the auto mode with a placeholder every scenario loads at; a number is fixed', () => {
    expect(optionsFrom(flags({ timeScale: 'auto' }))).toMatchObject({ timeScale: 1, timeScaleMode: 'auto' });
    expect(optionsFrom(flags({ timeScale: 720 }))).toMatchObject({ timeScale: 720, timeScaleMode: 'fixed' });
  });

  it('a bad value exits 2 before anything starts, saying so on stderr', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const code = await main(['node', 'bc-harness', 'uat', '--scenario', 'doorbuster', '--integration', 'reference', '--time-scale', 'fast']);
    expect(code).toBe(2);
    expect(written.join('')).toContain('--time-scale must be a number from 0.001 to 1000000 or auto; got "fast".');
  });
});

describe('bc-harness uat --time-scale auto, through the real command', () => {
  it('runs at the chosen scale, records the calibration in run.json and the report, and passes (or is inconclusive, naming why)', async () => {
    const out = join(tempDir(), 'run');
    const { line, stderr } = await runUat(['--scenario', 'doorbuster', '--integration', 'reference', '--time-scale', 'auto', '--volume-scale', '0.05'], { out });
    expect(line.error).toBeUndefined();
    const timeScale = (line as unknown as { timeScale: number }).timeScale;
    expect(timeScale).toBeGreaterThan(0);
    // doorbuster's constant-arrival-rate stage allows at most 300x.
    expect(timeScale).toBeLessThanOrEqual(300);
    expect(stderr).toMatch(/Calibrating the time scale \(about \d+ s\)\.\.\./);
    expect(stderr).toContain(`Chose --time-scale ${timeScale}: `);

    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { clock: { scale: number }; options: Record<string, unknown>; timeScale: { mode: string; chosen: number; calibration: { scale: number; basis: string; measurements: ScaleMeasurement[]; caps: { scale: number }[]; budgetSimMs: number } } };
    expect(record.timeScale).toMatchObject({ mode: 'auto', chosen: timeScale, calibration: { scale: timeScale, budgetSimMs: 1500 } });
    expect(record.clock.scale).toBe(timeScale);
    expect(record.options).toMatchObject({ timeScale, timeScaleMode: 'auto' });
    expect(record.options.timeScaleCalibration).toBeUndefined();
    expect(record.timeScale.calibration.caps.map((c) => c.scale)).toContain(300);
    expect(record.timeScale.calibration.measurements.length).toBeGreaterThan(0);
    for (const probe of record.timeScale.calibration.measurements) expect(probe.scale).toBeLessThanOrEqual(300);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { run: { timeScale: number; timeScaleText: string } };
    expect(report.run.timeScale).toBe(timeScale);
    expect(report.run.timeScaleText).toMatch(new RegExp(`^${timeScale}x, chosen by --time-scale auto \\(calibration: (no probe stayed under budget; )?harness lag p99 [\\d.]+ ms`));

    expectVerdictOrInconclusive(line, 'pass');
    for (const id of ['no-lost-orders', 'no-corrupted-orders', 'no-integration-crashed']) expect(line.criteria.find((c) => c.id === id)!.passed, id).toBe(true);
  }, 180_000);
});
