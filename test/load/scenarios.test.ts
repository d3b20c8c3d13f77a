/**
 * The load scenarios in scenarios/: real k6 scripts (no Node imports), valid options and
 * acceptance criteria, the curves the issue describes, and a short smoke run of every one against
 * the simulator at a high time scale, with the orders they place checked in the store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { planQuota } from '../../lib/plans.ts';
import { rampingArrivalOffsets } from '../../src/load/executors/arrival-rate.ts';
import { consolidateOptions, type RampingArrivalRateConfig } from '../../src/load/options.ts';
import { type RunResult, runK6Script } from '../../src/load/runner.ts';
import { listScenarios, loadAcceptance, loadScriptExports, SCENARIOS_DIR } from '../../src/load/scenario-catalog.ts';
import { startMocks } from '../../src/mocks/http/server.ts';
import { startTestSim, type TestSim } from '../support/simulator.ts';
import { createSink } from './support/target-server.ts';

const ISSUE_SCENARIOS = ['api-drift', 'baseline-day', 'catalog-storm', 'competing-apps', 'doorbuster', 'erp-degraded', 'flash-sale-10x', 'webhook-outage', 'worst-case-orders'];
const path = (name: string) => join(SCENARIOS_DIR, `${name}.js`);
const HOUR = 3_600_000;

/** The shoppers' schedule in simulated time: TIME_SCALE=1, VOLUME_SCALE=1. */
async function shopperSchedule(name: string, scenario = 'shoppers'): Promise<number[]> {
  const exports = await loadScriptExports(path(name), { TIME_SCALE: '1' });
  const config = consolidateOptions(exports.options).scenarios.find((s) => s.name === scenario) as RampingArrivalRateConfig;
  return [...rampingArrivalOffsets(config)];
}

test('scenarios/ holds exactly the scenarios the issue names', () => {
  expect(listScenarios()).toEqual(ISSUE_SCENARIOS);
});

test.each([...ISSUE_SCENARIOS, 'lib/sim'])('%s imports only k6 modules and relative files, so real k6 runs it unchanged', (name) => {
  const source = readFileSync(join(SCENARIOS_DIR, `${name}.js`), 'utf8');
  const specifiers = [...source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  expect(specifiers.length).toBeGreaterThan(0);
  for (const s of specifiers) expect(s, `${name} imports ${s}`).toMatch(/^(k6(\/[a-z-]+)*|\.\.?\/[\w./-]+\.js)$/);
  expect(source).not.toMatch(/\brequire\(|\bprocess\.|node:/);
});

test.each(ISSUE_SCENARIOS)('%s: options are valid k6 options and the acceptance criteria validate', async (name) => {
  const exports = await loadScriptExports(path(name), { TIME_SCALE: '60' });
  const options = consolidateOptions(exports.options);
  expect(options.scenarios.length).toBeGreaterThan(0);
  expect(Object.keys(options.thresholds)).toEqual(expect.arrayContaining(['checks', 'dropped_iterations', 'http_req_failed{name:place-order}']));
  const acceptance = await loadAcceptance(path(name), { TIME_SCALE: '60' });
  expect(acceptance.scenario).toBe(name);
  expect(new Set(acceptance.criteria.map((c) => c.id)).size).toBe(acceptance.criteria.length);
});

describe('the curves', () => {
  test('baseline-day: 500 orders over 24 h, quiet at night, peaking in the evening', async () => {
    const starts = await shopperSchedule('baseline-day');
    expect(starts).toHaveLength(500);
    expect(Math.max(...starts)).toBeLessThanOrEqual(24 * HOUR);
    const inHour = (h: number) => starts.filter((t) => t >= h * HOUR && t < (h + 1) * HOUR).length;
    expect(inHour(3)).toBeLessThanOrEqual(3);
    const busiest = Array.from({ length: 24 }, (_, h) => inHour(h));
    expect(busiest.indexOf(Math.max(...busiest))).toBeGreaterThanOrEqual(18);
  });

  test('flash-sale-10x: 5,000 orders (10x baseline), 40% in the first hour, 120 a minute in the first 10 minutes, 4x the Standard quota at 10 calls an order', async () => {
    const starts = await shopperSchedule('flash-sale-10x');
    expect(starts).toHaveLength(5000);
    // The n-th order starts when the area under the curve reaches n, so the 2,000th is at 1:00:00.
    const upTo = (ms: number) => starts.filter((t) => t <= ms + 1e-6).length;
    expect(upTo(HOUR)).toBe(2000);
    for (let minute = 0; minute < 10; minute++) expect(upTo((minute + 1) * 60_000) - upTo(minute * 60_000)).toBe(120);
    const callsPerWindow = (120 / 2) * 10;
    expect(callsPerWindow / planQuota('standard').perWindow!).toBe(4);
  });

  test('doorbuster: 1,000 orders in 5 minutes', async () => {
    const exports = await loadScriptExports(path('doorbuster'), { TIME_SCALE: '1' });
    const [s] = consolidateOptions(exports.options).scenarios;
    expect(s).toMatchObject({ executor: 'constant-arrival-rate', rate: 200, timeUnitMs: 60_000, durationMs: 300_000 });
  });

  test('a time scale too high for a constant-arrival-rate fails at init with the scale that works', async () => {
    await expect(loadScriptExports(path('doorbuster'), { TIME_SCALE: '1000' })).rejects.toThrow('Use TIME_SCALE=300 or lower');
  });

  test('webhook-outage keeps the receiver down for longer than the whole retry ladder (48 h 4 min)', async () => {
    const exports = await loadScriptExports(path('webhook-outage'), { TIME_SCALE: '1' });
    const options = consolidateOptions(exports.options);
    const back = options.scenarios.find((s) => s.name.includes('receiver-back'))!;
    const ladderSeconds = [60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400].reduce((a, b) => a + b, 0);
    expect(back.startTimeMs).toBeGreaterThan(ladderSeconds * 1000 + 2 * HOUR);
  });

  test('VOLUME_SCALE scales the number of orders on the same curve; TIME_SCALE only compresses time', async () => {
    const exports = await loadScriptExports(path('baseline-day'), { TIME_SCALE: '3600', VOLUME_SCALE: '0.1' });
    const config = consolidateOptions(exports.options).scenarios.find((s) => s.name === 'shoppers') as RampingArrivalRateConfig;
    const starts = [...rampingArrivalOffsets(config)];
    expect(starts).toHaveLength(50);
    expect(Math.max(...starts)).toBeLessThanOrEqual(24_000 + 1e-6);
  });
});

// Smoke runs: each scenario against its own simulator at a time scale that makes it last a second
// or a few, with VOLUME_SCALE keeping the order count small and the real rate at or under a few
// hundred orders a second (the simulator shares this process and its two cores with the runner).
const SMOKE: Record<string, { timeScale: number; volume: number }> = {
  'baseline-day': { timeScale: 43_200, volume: 0.1 },
  'flash-sale-10x': { timeScale: 21_600, volume: 0.01 },
  doorbuster: { timeScale: 300, volume: 0.05 },
  'worst-case-orders': { timeScale: 1_800, volume: 0.5 },
  'catalog-storm': { timeScale: 1_800, volume: 0.5 },
  'webhook-outage': { timeScale: 54_000, volume: 0.25 },
  'erp-degraded': { timeScale: 3_600, volume: 0.25 },
  'api-drift': { timeScale: 3_600, volume: 0.25 },
  'competing-apps': { timeScale: 1_800, volume: 0.05 },
};

interface Smoke {
  result: RunResult;
  stderr: string;
  sim: TestSim;
  ordersBefore: number;
  ordersAfter: number;
  faults: unknown[];
}

describe('smoke runs against the simulator (embedded runner)', () => {
  const runs = new Map<string, Promise<Smoke>>();
  const sims: TestSim[] = [];

  beforeAll(() => {
    // Every run has its promise from the start; two batches run one scenario at a time each, so
    // the scenarios do not all compete for the same two cores at once.
    const starters = new Map<string, () => void>();
    for (const name of Object.keys(SMOKE)) {
      runs.set(name, new Promise<Smoke>((resolve, reject) => starters.set(name, () => smoke(name).then(resolve, reject))));
      runs.get(name)!.catch(() => undefined);
    }
    const batch = async (list: string[]) => {
      for (const name of list) {
        starters.get(name)!();
        await runs.get(name)!.catch(() => undefined);
      }
    };
    const names = Object.keys(SMOKE);
    void batch(names.filter((_, i) => i % 2 === 0));
    void batch(names.filter((_, i) => i % 2 === 1));
  });
  afterAll(async () => {
    await Promise.allSettled([...runs.values()]);
    await Promise.all(sims.map((s) => s.close()));
  });

  async function smoke(name: string): Promise<Smoke> {
    const { timeScale, volume } = SMOKE[name]!;
    const sim = await startTestSim({ timeScale, products: 40, customers: 20, pastOrders: 0 });
    sims.push(sim);
    const store = () => sim.running.sim.store(sim.hash)!;
    const ordersBefore = store().orders.size;
    const stderr = createSink();
    const result = await runK6Script({
      script: path(name),
      env: { SIM_URL: sim.url, STORE_HASH: sim.hash, CONTROL_TOKEN: sim.controlToken, TIME_SCALE: String(timeScale), VOLUME_SCALE: String(volume) },
      stdout: createSink(),
      stderr,
      progress: false,
    });
    const ledger = await sim.control('GET', '/ledger?kinds=faults:changed');
    const faults = ledger.text.split('\n').filter(Boolean).map((l) => JSON.parse(l).plan);
    return { result, stderr: stderr.text(), sim, ordersBefore, ordersAfter: store().orders.size, faults };
  }
  const waitFor = (name: string) => runs.get(name)!;

  test.each(Object.keys(SMOKE))('%s completes at a high time scale, passing its thresholds, and every order it counted is in the store', async (name) => {
    const { result, ordersBefore, ordersAfter, stderr } = await waitFor(name);
    const crossed = Object.entries(result.summary!.metrics).filter(([, m]) => Object.values(m.thresholds ?? {}).some((t) => !t.ok)).map(([k]) => k);
    const acceptance = await loadAcceptance(path(name), { TIME_SCALE: String(SMOKE[name]!.timeScale), VOLUME_SCALE: String(SMOKE[name]!.volume) });
    // At 10^3-10^5x compression the simulator and the load generator share this process with the
    // rest of the suite; an arrival that finds no free VU in a stall is dropped (and the scenario's
    // 1% dropped_iterations threshold says so). Up to 5% is tolerated here; nothing else may fail.
    if (result.exitCode !== 0) {
      expect(crossed, stderr).toEqual(['dropped_iterations']);
      expect(result.dropped).toBeLessThanOrEqual(Math.ceil(acceptance.expectedOrders * SMOKE[name]!.volume * 0.05));
    }
    expect([0, 99]).toContain(result.exitCode);
    const placed = result.summary!.metrics.orders_placed?.values.count ?? 0;
    const expected = acceptance.expectedOrders * SMOKE[name]!.volume;
    expect(Math.abs(placed + result.dropped - expected), `placed ${placed} + dropped ${result.dropped}, expected ${expected}`).toBeLessThanOrEqual(Math.max(2, expected * 0.03));
    expect(ordersAfter - ordersBefore).toBe(placed);
  }, 120_000);

  test('api-drift renames the order field mid-run through the fault plan, and clears it at the end', async () => {
    const { faults } = await waitFor('api-drift');
    expect(faults).toContainEqual(expect.objectContaining({ api: expect.objectContaining({ renameFields: [{ resource: 'order', from: 'status_id', to: 'status_code' }] }) }));
    expect((faults.at(-1) as { api: { renameFields: unknown[] } }).api.renameFields).toEqual([]);
  }, 120_000);

  test('competing-apps gives 40% of every window to other apps during the run', async () => {
    const { faults } = await waitFor('competing-apps');
    expect(faults).toContainEqual(expect.objectContaining({ quota: { otherAppsShare: 0.4 } }));
  }, 120_000);

  test('webhook-outage either makes the receiver unreachable or says the simulator cannot yet, and counts the skipped step', async () => {
    const { faults, stderr, result } = await waitFor('webhook-outage');
    const applied = faults.some((f) => (f as { webhooks?: { unreachable?: number } }).webhooks?.unreachable === 1);
    if (!applied) {
      expect(stderr).toContain('The simulator refused the fault plan for \\"receiver-down\\"');
      expect(result.summary!.metrics.scenario_steps_skipped!.values.count).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);

  test.each(['catalog-storm', 'erp-degraded'])('%s skips its ERP steps cleanly without MOCKS_URL and says so once', async (name) => {
    const { stderr, result } = await waitFor(name);
    expect(stderr.match(/MOCKS_URL is not set/g)).toHaveLength(1);
    expect(result.summary!.metrics.scenario_steps_skipped!.values.count).toBeGreaterThan(0);
  }, 120_000);
});

describe('smoke runs with the connected-system mocks', () => {
  async function withMocks(name: string) {
    const { timeScale, volume } = SMOKE[name]!;
    const sim = await startTestSim({ timeScale, products: 40, customers: 20, pastOrders: 0 });
    const mocks = await startMocks({ seed: 7, timeScale, products: 40, customers: 20 });
    try {
      const stderr = createSink();
      const result = await runK6Script({
        script: path(name),
        env: { SIM_URL: sim.url, STORE_HASH: sim.hash, CONTROL_TOKEN: sim.controlToken, TIME_SCALE: String(timeScale), VOLUME_SCALE: String(volume), MOCKS_URL: mocks.url, MOCKS_CONTROL_TOKEN: mocks.controlToken },
        stdout: createSink(),
        stderr,
        progress: false,
      });
      const faults = await fetch(`${mocks.url}/erp/faults`, { headers: { authorization: `Bearer ${mocks.controlToken}` } }).then((r) => r.json());
      return { result, stderr: stderr.text(), faults };
    } finally {
      await mocks.close();
      await sim.close();
    }
  }

  test('erp-degraded slows the ERP, makes it answer 503, recovers it through the mocks\' fault endpoint, and resets it', async () => {
    const { result, faults, stderr } = await withMocks('erp-degraded');
    expect([0, 99], stderr).toContain(result.exitCode);
    const applied = result.summary!.root_group.groups.flatMap((g) => g.checks).concat(result.summary!.root_group.checks).filter((c) => c.name === 'mock faults applied (200)');
    // Three steps of the timeline (in their own scenarios) plus the reset in teardown.
    expect(applied.reduce((n, c) => n + c.passes, 0)).toBe(4);
    expect(applied.reduce((n, c) => n + c.fails, 0)).toBe(0);
    expect(result.summary!.metrics.scenario_steps_skipped).toBeUndefined();
    expect(faults).toMatchObject({ latencyMs: 0, errorRate: 0, down: false });
  }, 60_000);

  test('catalog-storm says once that the ERP mock cannot publish change batches yet (no POST /erp/changes) and skips them', async () => {
    const { result, stderr } = await withMocks('catalog-storm');
    expect([0, 99], stderr).toContain(result.exitCode);
    if (stderr.includes('has no POST /erp/changes endpoint yet')) {
      expect(stderr.match(/has no POST \/erp\/changes endpoint yet/g)).toHaveLength(1);
      expect(result.summary!.metrics.scenario_steps_skipped!.values.count).toBeGreaterThan(0);
    } else {
      expect(result.summary!.metrics.scenario_steps_skipped).toBeUndefined();
    }
  }, 60_000);
});
