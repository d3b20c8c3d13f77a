// baseline-day: an ordinary day of 500 orders over 24 simulated hours on a daily curve: quiet
// nights (2 an hour at 03:00), a lunchtime bump and an evening peak (50 an hour at 20:00).
// A few abandoned carts feed the marketing flow.
//
//   bc-harness load baseline-day --time-scale 1440        # the day in a minute
//   k6 run -e SIM_URL=... -e STORE_HASH=... -e CONTROL_TOKEN=... -e TIME_SCALE=1440 scenarios/baseline-day.js
import { baseThresholds, checkClock, clearFaults, createCarts, pickProfile, placeOrder, rateUnit, realStages, stagesArea, VOLUME_SCALE, vusFor } from './lib/sim.js';

// Orders per simulated hour at each hour boundary (00:00 .. 24:00); linear in between. The area
// under the curve is exactly 500 orders.
const HOURLY = [8, 5, 3, 2, 2, 3, 6, 12, 18, 22, 24, 26, 26, 28, 24, 22, 24, 26, 36, 46, 50, 41, 30, 16, 8];
const UNIT = '1h';
const STAGES = HOURLY.slice(1).map((target) => ({ target, duration: '1h' }));
const MIX = { typical: 0.9, b2b: 0.08, 'worst-case': 0.02 };
const ORDERS = stagesArea(HOURLY[0], STAGES, UNIT) * VOLUME_SCALE;

export const options = {
  scenarios: {
    shoppers: {
      executor: 'ramping-arrival-rate',
      exec: 'shopper',
      startRate: HOURLY[0],
      timeUnit: rateUnit(UNIT),
      stages: realStages(STAGES),
      ...vusFor(Math.max(...HOURLY), UNIT),
    },
    carts: {
      executor: 'ramping-arrival-rate',
      exec: 'abandonedCart',
      startRate: 8,
      timeUnit: rateUnit(UNIT),
      stages: realStages([{ target: 8, duration: '24h' }]),
      ...vusFor(8, UNIT),
    },
  },
  thresholds: baseThresholds(ORDERS),
};

// Read by the UAT run (k6 ignores exports it does not know); see scenarios/README.md.
export const acceptance = {
  scenario: 'baseline-day',
  description: 'An ordinary day: 500 orders over 24 hours with quiet nights and an evening peak.',
  simulatedDuration: '24h',
  expectedOrders: 500,
  requires: ['simulator'],
  patterns: [],
  criteria: [
    { id: 'no-lost-orders', name: 'Every order reaches the ERP', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'A normal day must not lose anything.' },
    { id: 'no-duplicate-orders', name: 'No order is written twice', flow: 'orders', measure: 'orders.duplicated', op: '==', limit: 0, why: 'Webhook retries and duplicates must be absorbed by idempotent writes.' },
    { id: 'no-corrupted-orders', name: 'Every order arrives field for field', flow: 'orders', measure: 'orders.corrupted', op: '==', limit: 0, why: 'The mapping spec defines every field.' },
    { id: 'order-latency', name: 'Orders reach the ERP within 5 minutes (p95)', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 300, unit: 's', why: 'Warehouses pick from the ERP; a normal day has no excuse for a backlog.' },
    { id: 'quota-headroom', name: 'The integration uses at most half of any 30-second window', flow: 'platform', measure: 'api.peakWindowShare', op: '<=', limit: 0.5, why: 'Headroom is needed for other apps and for the peak days.' },
  ],
};

export async function setup() {
  await checkClock();
  await clearFaults();
}

export async function shopper() {
  await placeOrder(pickProfile(MIX));
}

export async function abandonedCart() {
  await createCarts(1, 60);
}

export async function teardown() {
  await clearFaults();
}
