/**
 * Executors, two ways: the schedule maths as pure functions (exact, instant), and live runs of
 * small k6 scripts against a local target, which must start the expected number of iterations
 * within a tolerance. The live runs are started together and each test awaits its own.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { constantArrivalOffsets, rampingArrivalOffsets } from '../../src/load/executors/arrival-rate.ts';
import { describeScenario, planVUs } from '../../src/load/executors/index.ts';
import { gracefulRampingSteps, rawRampingSteps } from '../../src/load/executors/ramping-vus.ts';
import { consolidateOptions, type ScenarioConfig } from '../../src/load/options.ts';
import { type RunResult, runK6Script } from '../../src/load/runner.ts';
import { createSink, startTargetServer, type TargetServer } from './support/target-server.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const scenario = (raw: Record<string, unknown>): ScenarioConfig => consolidateOptions({ scenarios: { s: raw } }).scenarios[0]!;

describe('arrival schedules (pure)', () => {
  test('constant-arrival-rate starts iteration k at k * timeUnit / rate, the end included', () => {
    const offsets = [...constantArrivalOffsets({ rate: 50, timeUnitMs: 1000, durationMs: 10_000 })];
    expect(offsets).toHaveLength(501);
    expect(offsets[1]).toBeCloseTo(20, 9);
    expect(offsets.at(-1)).toBeCloseTo(10_000, 6);
  });

  test.each([
    { what: '0 -> 100/s over 10 s (the issue example)', startRate: 0, stages: [{ target: 100, durationMs: 10_000 }], expected: 500 },
    { what: 'reference b: 0 -> 100/s over 10 s then 100/s for 5 s', startRate: 0, stages: [{ target: 100, durationMs: 10_000 }, { target: 100, durationMs: 5_000 }], expected: 1000 },
    { what: 'reference c: 20 -> 100/s over 5 s then 100/s for 5 s', startRate: 20, stages: [{ target: 100, durationMs: 5_000 }, { target: 100, durationMs: 5_000 }], expected: 800 },
    { what: 'a ramp down to zero', startRate: 60, stages: [{ target: 0, durationMs: 2_000 }], expected: 60 },
    { what: 'a zero-length stage is an instant jump', startRate: 0, stages: [{ target: 10, durationMs: 0 }, { target: 10, durationMs: 3_000 }], expected: 30 },
  ])('ramping-arrival-rate starts the area under the curve: $what', ({ startRate, stages, expected }) => {
    const offsets = [...rampingArrivalOffsets({ startRate, timeUnitMs: 1000, stages })];
    expect(offsets).toHaveLength(expected);
    const end = stages.reduce((s, st) => s + st.durationMs, 0);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(end + 1e-6);
    // Monotonic: iterations start in order.
    expect(offsets.every((t, i) => i === 0 || t >= offsets[i - 1]!)).toBe(true);
  });

  test('ramping-arrival-rate counts 4 starts in the first second of 0 -> 100/s over 10 s, as k6 did (reference b)', () => {
    const offsets = [...rampingArrivalOffsets({ startRate: 0, timeUnitMs: 1000, stages: [{ target: 100, durationMs: 10_000 }] })];
    expect(offsets.filter((t) => t < 1000)).toHaveLength(4);
  });

  test('ramping-vus counts VUs up when the ramp reaches one, down when it leaves one (k6 raw steps)', () => {
    const config = { startVUs: 0, stages: [{ durationMs: 2000, target: 4 }, { durationMs: 2000, target: 4 }, { durationMs: 2000, target: 0 }] };
    expect(rawRampingSteps(config, true)).toEqual([
      { offsetMs: 0, vus: 0 },
      { offsetMs: 500, vus: 1 },
      { offsetMs: 1000, vus: 2 },
      { offsetMs: 1500, vus: 3 },
      { offsetMs: 2000, vus: 4 },
      { offsetMs: 4500, vus: 3 },
      { offsetMs: 5000, vus: 2 },
      { offsetMs: 5500, vus: 1 },
      { offsetMs: 6000, vus: 0 },
    ]);
    // Reference d2 (gracefulRampDown 1s): the header says 7s max duration.
    const graceful = gracefulRampingSteps({ ...config, gracefulRampDownMs: 1000, gracefulStopMs: 30_000 });
    expect(graceful.at(-1)).toEqual({ offsetMs: 7000, vus: 0 });
    expect(Math.max(...graceful.map((s) => s.vus))).toBe(4);
  });

  test('the plan reproduces the reference headers: max VUs and max duration including graceful stop', () => {
    const plan = (options: Record<string, unknown>) => planVUs(consolidateOptions(options).scenarios);
    expect(plan({ scenarios: { car: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '10s', preAllocatedVUs: 5, maxVUs: 20 } } })).toEqual({ maxPlanned: 5, maxPossible: 20, maxDurationMs: 40_000 });
    // e-two-scenarios: 4 max VUs, 10m32s.
    expect(
      plan({
        scenarios: {
          browse: { executor: 'constant-vus', exec: 'browse', vus: 2, duration: '3s' },
          buy: { executor: 'per-vu-iterations', exec: 'buy', vus: 2, iterations: 3, startTime: '2s' },
        },
      }),
    ).toEqual({ maxPlanned: 4, maxPossible: 4, maxDurationMs: 632_000 });
    expect(plan({ vus: 1, iterations: 5 }).maxDurationMs).toBe(630_000);
  });

  test.each([
    [{ executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '10s', preAllocatedVUs: 5, maxVUs: 20 }, '50.00 iterations/s for 10s (maxVUs: 5-20, gracefulStop: 30s)'],
    [{ executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', preAllocatedVUs: 2, maxVUs: 3, stages: [{ target: 100, duration: '5s' }, { target: 100, duration: '5s' }] }, 'Up to 100.00 iterations/s for 10s over 2 stages (maxVUs: 2-3, gracefulStop: 30s)'],
    [{ executor: 'constant-vus', vus: 2, duration: '2s', gracefulStop: '0s', exec: 'work' }, '2 looping VUs for 2s (exec: work)'],
    [{ executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '1s', stages: [{ duration: '2s', target: 4 }, { duration: '2s', target: 4 }, { duration: '2s', target: 0 }] }, 'Up to 4 looping VUs for 6s over 3 stages (gracefulRampDown: 1s, gracefulStop: 30s)'],
    [{ executor: 'per-vu-iterations', vus: 2, iterations: 3, startTime: '2s', exec: 'buy' }, '3 iterations for each of 2 VUs (maxDuration: 10m0s, exec: buy, startTime: 2s, gracefulStop: 30s)'],
    [{ executor: 'shared-iterations', vus: 4, iterations: 30, maxDuration: '30s' }, '30 iterations shared among 4 VUs (maxDuration: 30s, gracefulStop: 30s)'],
  ])('describes %o as k6 prints it', (raw, text) => {
    expect(describeScenario(scenario(raw))).toBe(text);
  });
});

describe('executors (live, against a local target)', () => {
  let target: TargetServer;
  const runs = new Map<string, Promise<{ result: RunResult; stderr: string }>>();
  const start = (fixture: string) => {
    const stderr = createSink();
    runs.set(
      fixture,
      runK6Script({ script: join(FIXTURES, `${fixture}.js`), env: { BASE_URL: target.url }, stdout: createSink(), stderr, progress: false }).then((result) => ({ result, stderr: stderr.text() })),
    );
  };
  const result = (fixture: string) => runs.get(fixture)!;

  beforeAll(async () => {
    target = await startTargetServer();
    for (const f of ['constant-arrival-rate', 'ramping-arrival-rate', 'dropped-iterations', 'constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations', 'graceful-stop']) start(f);
  });
  afterAll(async () => {
    await Promise.allSettled([...runs.values()]);
    await target.close();
  });

  test('constant-arrival-rate 100/s for 3 s starts 301 iterations (within 5%) on pre-allocated VUs', async () => {
    const { result: r } = await result('constant-arrival-rate');
    expect(r.exitCode).toBe(0);
    // A saturated test machine can leave no VU free for an arrival: those are dropped, not late.
    expect(Math.abs(r.complete + r.dropped - 301)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.complete - 301)).toBeLessThanOrEqual(15);
    expect(r.summary!.metrics.iterations!.values.count).toBe(r.complete);
  }, 30_000);

  test('ramping-arrival-rate 0 -> 100/s over 10 s starts 500 iterations (within 5%)', async () => {
    const { result: r } = await result('ramping-arrival-rate');
    expect(r.exitCode).toBe(0);
    expect(Math.abs(r.complete + r.dropped - 500)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.complete - 500)).toBeLessThanOrEqual(25);
    // The start lag of arrival-rate iterations is measured for the benchmark.
    expect(r.schedulingLag!.count).toBe(r.complete);
  }, 30_000);

  test('an arrival-rate scenario out of VUs drops iterations: started + dropped = scheduled, and k6 warns once', async () => {
    const { result: r, stderr } = await result('dropped-iterations');
    expect(r.exitCode).toBe(0);
    expect(r.dropped).toBeGreaterThan(40);
    expect(r.complete).toBeLessThan(40);
    expect(r.complete + r.dropped).toBe(101);
    expect(r.summaryExport!.metrics.dropped_iterations).toMatchObject({ count: r.dropped });
    expect(stderr.match(/Insufficient VUs, reached 2 active VUs and cannot initialize more/g)).toHaveLength(1);
    expect(r.summary!.metrics.vus_max!.values.max).toBe(2);
  }, 30_000);

  // Closed-model counts depend on how long an iteration takes on this machine, so they are checked
  // against VU-seconds / the measured iteration time (k6's own numbers obey the same relation).
  const expectedLoops = (r: RunResult, vuMs: number, finishing: number) => vuMs / r.summary!.metrics.iteration_duration!.values.avg! + finishing;

  test('constant-vus keeps 4 VUs looping for 2 s, bare sleep(0.1) included (4 x 2 s / iteration time)', async () => {
    const { result: r } = await result('constant-vus');
    expect(r.exitCode).toBe(0);
    const expected = expectedLoops(r, 8_000, 4);
    expect(Math.abs(r.complete - expected)).toBeLessThanOrEqual(expected * 0.05 + 1);
    expect(r.complete).toBeLessThanOrEqual(84);
    expect(r.summary!.metrics.iteration_duration!.values.min).toBeGreaterThan(99);
  }, 30_000);

  test('ramping-vus follows its stages (8 VU-seconds / iteration time)', async () => {
    const { result: r } = await result('ramping-vus');
    expect(r.exitCode).toBe(0);
    const expected = expectedLoops(r, 8_000, 4);
    expect(Math.abs(r.complete - expected)).toBeLessThanOrEqual(expected * 0.07 + 1);
    expect(r.summary!.metrics.vus_max!.values.value).toBe(4);
  }, 30_000);

  test('per-vu-iterations runs exactly 7 iterations on each of 3 VUs', async () => {
    const { result: r } = await result('per-vu-iterations');
    expect(r.exitCode).toBe(0);
    expect(r.complete).toBe(21);
    for (const vu of [1, 2, 3]) expect(r.summary!.metrics[`per_vu{vu:${vu}}`]!.values.count).toBe(7);
  }, 30_000);

  test('shared-iterations runs exactly 30 iterations among 4 VUs', async () => {
    const { result: r } = await result('shared-iterations');
    expect(r.exitCode).toBe(0);
    expect(r.complete).toBe(30);
  }, 30_000);

  test('gracefulStop 0s interrupts running iterations; gracefulStop 2s lets them finish', async () => {
    const { result: r } = await result('graceful-stop');
    expect(r.exitCode).toBe(0);
    expect(r.scenarios.find((s) => s.name === 'cut')).toMatchObject({ complete: 2, interrupted: 2 });
    expect(r.scenarios.find((s) => s.name === 'wait')).toMatchObject({ complete: 4, interrupted: 0 });
    // Interrupted iterations add no iteration_duration, and what ran after their sleep is dropped.
    expect(r.summary!.metrics['finished{scenario:cut}']!.values.count).toBe(2);
    expect(r.summary!.metrics.iteration_duration!.values.min).toBeGreaterThan(580);
  }, 30_000);
});
