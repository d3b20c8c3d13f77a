// Shared helpers for the load scenarios: real k6 code (no Node imports), so every scenario runs
// unchanged on k6, k6-operator, Grafana Cloud k6 and the harness's embedded runner.
//
// Time: scenarios are written in simulated time ("24h", "10m"). TIME_SCALE (simulated seconds per
// real second, the simulator's --time-scale) turns them into the real durations k6 runs, and
// VOLUME_SCALE (default 1) multiplies every arrival rate for short smoke runs, so a 5,000-order
// day can be rehearsed with 100 orders on the same curve.
//
// Environment (k6 -e or bc-harness load): SIM_URL, STORE_HASH, CONTROL_TOKEN, TIME_SCALE,
// VOLUME_SCALE, and for the connected-system mocks MOCKS_URL and MOCKS_CONTROL_TOKEN.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

function positive(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`Failed to read ${name}: "${raw}" is not a positive number. Pass -e ${name}=<number> (for example ${name}=60).`);
  }
  return value;
}

export const TIME_SCALE = positive('TIME_SCALE', 1);
export const VOLUME_SCALE = positive('VOLUME_SCALE', 1);

const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** Milliseconds of a duration written like "1h30m", "10m", "45s". */
export function durationMs(text) {
  let total = 0;
  let rest = String(text).trim();
  const part = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/;
  if (rest === '') throw new Error(`Failed to read the duration "${text}": write it like "10m" or "1h30m".`);
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) throw new Error(`Failed to read the duration "${text}": write it like "10m" or "1h30m".`);
    total += Number(match[1]) * UNIT_MS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

function ms(value) {
  return `${Math.round(value * 1000) / 1000}ms`;
}

/**
 * The real duration k6 should run for a simulated one. `minRealMs` guards k6's own minimums
 * (constant-vus and constant-arrival-rate refuse durations under 1 s): a time scale that would go
 * below it fails with a message that says which scale still works.
 */
export function real(simulated, minRealMs = 0, what = 'this scenario') {
  const realMs = durationMs(simulated) / TIME_SCALE;
  if (realMs < minRealMs) {
    const maxScale = Math.floor(durationMs(simulated) / minRealMs);
    throw new Error(`Failed to plan ${what}: at TIME_SCALE=${TIME_SCALE} its ${simulated} would last ${realMs.toFixed(1)} ms, under k6's minimum of ${minRealMs} ms. Use TIME_SCALE=${maxScale} or lower.`);
  }
  return ms(realMs);
}

/**
 * The real `timeUnit` for rates written per simulated unit ("orders per simulated minute"):
 * compressed by TIME_SCALE and stretched by VOLUME_SCALE, so the rate numbers stay integers.
 */
export function rateUnit(simulatedUnit) {
  return ms(durationMs(simulatedUnit) / (TIME_SCALE * VOLUME_SCALE));
}

/** Real iterations per second of a rate written per simulated unit. */
export function realPerSecond(ratePerUnit, simulatedUnit) {
  return (ratePerUnit * 1000 * TIME_SCALE * VOLUME_SCALE) / durationMs(simulatedUnit);
}

/**
 * VUs for an arrival-rate scenario: enough pre-allocated for ~500 ms iterations at the peak, and
 * headroom up to ~1 s iterations (a busy simulator) before k6 has to drop arrivals. Allocating a
 * VU mid-run costs an init of the script, which on a loaded 2-core machine was slow enough to
 * drop arrivals at 100 ms worth of pre-allocation.
 */
export function vusFor(peakPerUnit, simulatedUnit) {
  const perSecond = realPerSecond(peakPerUnit, simulatedUnit);
  return {
    preAllocatedVUs: Math.max(2, Math.ceil(perSecond * 0.5)),
    maxVUs: Math.max(20, Math.ceil(perSecond)),
  };
}

/** Area under a ramping-arrival-rate curve: the number of iterations it starts. */
export function stagesArea(startRate, stages, simulatedUnit) {
  let from = startRate;
  let area = 0;
  for (const s of stages) {
    area += ((from + s.target) / 2) * (durationMs(s.duration) / durationMs(simulatedUnit));
    from = s.target;
  }
  return area;
}

/** Stages written in simulated time, converted to real durations. */
export function realStages(stages) {
  return stages.map((s) => ({ target: s.target, duration: real(s.duration) }));
}

export function sim() {
  const url = __ENV.SIM_URL;
  const storeHash = __ENV.STORE_HASH;
  const token = __ENV.CONTROL_TOKEN;
  if (!url || !storeHash || !token) {
    throw new Error(
      'Failed to reach the simulator: SIM_URL, STORE_HASH and CONTROL_TOKEN must be set. `bc-harness load` sets them; with k6 run `bc-harness sim --json` and pass its url, stores[0].hash and controlToken as -e SIM_URL=... -e STORE_HASH=... -e CONTROL_TOKEN=....',
    );
  }
  return { url: url.replace(/\/$/, ''), storeHash, token };
}

function controlParams(name, extraTags) {
  return {
    headers: { Authorization: `Bearer ${sim().token}`, 'Content-Type': 'application/json' },
    tags: Object.assign({ name }, extraTags || {}),
  };
}

export const ordersPlaced = new Counter('orders_placed');
export const cartsCreated = new Counter('carts_created');
export const stepsSkipped = new Counter('scenario_steps_skipped');

/** Pick a profile from a mix like {typical: 0.9, b2b: 0.08, 'worst-case': 0.02}. */
export function pickProfile(mix) {
  const entries = Object.entries(mix);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = Math.random() * total;
  for (const [profile, weight] of entries) {
    r -= weight;
    if (r < 0) return profile;
  }
  return entries[entries.length - 1][0];
}

/** One shopper order through the control plane (not quota-counted; webhooks fire). */
export async function placeOrder(profile) {
  const s = sim();
  const res = await http.asyncRequest('POST', `${s.url}/__sim/stores/${s.storeHash}/orders`, JSON.stringify({ profile, count: 1 }), controlParams('place-order', { profile }));
  const ok = check(res, { 'order placed (201)': (r) => r.status === 201 });
  if (ok) ordersPlaced.add(1, { profile });
  return res;
}

/** Shopper carts that are abandoned after the idle time (marketing's abandoned-cart flow). */
export async function createCarts(count, abandonAfterMinutes) {
  const s = sim();
  const res = await http.asyncRequest('POST', `${s.url}/__sim/stores/${s.storeHash}/carts`, JSON.stringify({ count, abandonAfterMinutes }), controlParams('create-carts'));
  if (check(res, { 'carts created (201)': (r) => r.status === 201 })) cartsCreated.add(count);
  return res;
}

/**
 * Replace the simulator's fault plan. Returns false (and logs why) when the simulator refuses a
 * field it does not know, so a scenario can say what it could not provoke instead of failing.
 */
export async function setFaults(plan, label) {
  const s = sim();
  const res = await http.asyncRequest('PUT', `${s.url}/__sim/faults`, JSON.stringify(plan), controlParams('set-faults', { fault: label || 'plan' }));
  if (res.status === 422) {
    console.warn(`The simulator refused the fault plan for "${label}": ${res.body}. This simulator cannot provoke it yet; the scenario continues without it.`);
    stepsSkipped.add(1, { step: label || 'faults' });
    return false;
  }
  check(res, { 'fault plan applied (200)': (r) => r.status === 200 });
  return res.status === 200;
}

/** Back to no faults (setup and teardown); housekeeping, so it logs instead of adding a check. */
export async function clearFaults() {
  const s = sim();
  const res = await http.asyncRequest('PUT', `${s.url}/__sim/faults`, '{}', controlParams('set-faults', { fault: 'clear' }));
  if (res.status !== 200) console.warn(`Failed to clear the simulator's fault plan: ${s.url}/__sim/faults answered ${res.status}.`);
  return res.status === 200;
}

/** Fail fast when the script's TIME_SCALE differs from the simulator's clock. */
export async function checkClock() {
  const s = sim();
  const res = await http.asyncRequest('GET', `${s.url}/__sim/clock`, null, controlParams('clock'));
  if (res.status !== 200) throw new Error(`Failed to read the simulator clock: ${s.url}/__sim/clock answered ${res.status} (is CONTROL_TOKEN right?).`);
  const scale = res.json('scale');
  if (scale !== 0 && Math.abs(scale - TIME_SCALE) > 1e-9 * Math.max(1, scale)) {
    throw new Error(`Failed to start: the scenario was planned with TIME_SCALE=${TIME_SCALE} but the simulator runs at ${scale}. Pass -e TIME_SCALE=${scale} (bc-harness load does this for you).`);
  }
  return res.json();
}

/**
 * Faults at stage boundaries: one single-iteration scenario per step, started at the step's
 * simulated time. Spread the result into `options.scenarios` and export `faultStep` as
 * `export const faultStep = faultStepRunner(timeline)`.
 */
export function faultScenarios(timeline) {
  const scenarios = {};
  timeline.forEach((step, index) => {
    scenarios[`fault_${index}_${step.label.replace(/[^0-9a-zA-Z_-]/g, '_')}`] = {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: real(step.at),
      maxDuration: '1m',
      exec: 'faultStep',
      env: { FAULT_STEP: String(index) },
      tags: { step: step.label },
    };
  });
  return scenarios;
}

export function faultStepRunner(timeline) {
  return async function faultStep() {
    const step = timeline[Number(__ENV.FAULT_STEP)];
    if (step.mocks) await mocksFaults(step.mocks, step.label);
    if (step.plan) await setFaults(step.plan, step.label);
  };
}

// ---- connected-system mocks (ERP, 3PL, CRM, marketing) ------------------------------------------
// `bc-harness mocks --json` prints their url and controlToken: pass them as MOCKS_URL and
// MOCKS_CONTROL_TOKEN (`bc-harness load` starts the mocks itself when it starts the simulator).
// Faults: `PUT {MOCKS_URL}/{system}/faults` {latencyMs, errorRate, rateLimit, down, downForMs}.
// Without MOCKS_URL the ERP steps are skipped and counted in scenario_steps_skipped.

export function mocks() {
  const url = __ENV.MOCKS_URL;
  if (!url) return undefined;
  return { url: url.replace(/\/$/, ''), token: __ENV.MOCKS_CONTROL_TOKEN || '' };
}

/** Say once, from setup(), that the mock-dependent steps will be skipped. */
export function warnIfNoMocks(scenario) {
  if (mocks()) return true;
  console.warn(`MOCKS_URL is not set: the connected-system (ERP) steps of ${scenario} are skipped and counted in scenario_steps_skipped. Start the mocks and pass -e MOCKS_URL=... -e MOCKS_CONTROL_TOKEN=... to run them.`);
  return false;
}

function mocksParams(name) {
  const m = mocks();
  return { headers: { Authorization: `Bearer ${m.token}`, 'Content-Type': 'application/json' }, tags: { name } };
}

/** Set connected systems' faults, e.g. {erp: {latencyMs: 5000}} or {erp: {errorRate: 1}}; {} clears. */
export async function mocksFaults(bySystem, label) {
  const m = mocks();
  if (!m) {
    stepsSkipped.add(1, { step: label });
    return false;
  }
  let ok = true;
  for (const [system, faults] of Object.entries(bySystem)) {
    const res = await http.asyncRequest('PUT', `${m.url}/${system}/faults`, JSON.stringify(faults), mocksParams('mocks-faults'));
    ok = check(res, { 'mock faults applied (200)': (r) => r.status === 200 }) && ok;
  }
  return ok;
}

/**
 * Whether the ERP mock can publish a batch of changes on request (`POST {MOCKS_URL}/erp/changes
 * {"kind": "price"|"stock", "count": N}`). Called from setup(); a mock without the endpoint (404)
 * makes the scenario skip those steps, saying so once.
 */
export async function erpChangesAvailable(scenario) {
  const m = mocks();
  if (!m) return false;
  const res = await http.asyncRequest('POST', `${m.url}/erp/changes`, JSON.stringify({ kind: 'price', count: 0 }), mocksParams('erp-changes'));
  if (res.status === 404 || res.status === 405) {
    console.warn(`The ERP mock at ${m.url} has no POST /erp/changes endpoint yet: the ERP change batches of ${scenario} are skipped and counted in scenario_steps_skipped.`);
    return false;
  }
  return res.status >= 200 && res.status < 300;
}

/** Make the ERP publish N price or stock changes, which the integration must sync to the store. */
export async function erpChanges(kind, count, available) {
  if (!available) {
    stepsSkipped.add(1, { step: `erp-${kind}-changes` });
    return false;
  }
  const res = await http.asyncRequest('POST', `${mocks().url}/erp/changes`, JSON.stringify({ kind, count }), mocksParams('erp-changes'));
  return check(res, { 'erp changes published (2xx)': (r) => r.status >= 200 && r.status < 300 });
}

/** Thresholds every scenario declares: shopper traffic works and the load generator kept up. */
export function baseThresholds(expectedIterations) {
  return {
    'http_req_failed{name:place-order}': ['rate<0.01'],
    checks: ['rate>0.99'],
    // Dropped arrivals mean the load was not applied as planned: the run would understate it.
    dropped_iterations: [`count<=${Math.max(1, Math.ceil(expectedIterations * 0.01))}`],
  };
}
