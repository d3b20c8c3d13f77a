// flash-sale-10x: a sale day of 5,000 orders, ten times baseline-day. 40% (2,000) arrive in the
// first hour, and the first 10 minutes run at 120 orders a minute. An integration that makes 10
// API calls per order then needs 1,200 calls a minute, 600 per 30-second window: four times the
// Standard plan's 150. Abandoned carts rise with the traffic.
//
//   bc-harness load flash-sale-10x --time-scale 1440
import { baseThresholds, checkClock, clearFaults, createCarts, pickProfile, placeOrder, rateUnit, realStages, stagesArea, VOLUME_SCALE, vusFor } from './lib/sim.js';

// Rates are orders per simulated hour (120 a minute = 7,200 an hour).
const UNIT = '1h';
const PEAK = 7200;
// The sale hour: 10 minutes flat at the peak (1,200), down to 240/h over 10 minutes (620), then
// 240 -> 300/h over 40 minutes (180): 2,000 orders.
const SALE_HOUR = [
  { target: PEAK, duration: '10m' },
  { target: 240, duration: '10m' },
  { target: 300, duration: '40m' },
];
// The other 23 hours: 3,000 orders, tailing off with an evening bump (orders/h at each hour end).
const REST_OF_DAY = [260, 220, 180, 150, 130, 120, 120, 130, 150, 180, 240, 200, 160, 120, 90, 70, 60, 50, 40, 40, 50, 60, 60];
const STAGES = [...SALE_HOUR, ...REST_OF_DAY.map((target) => ({ target, duration: '1h' }))];
const MIX = { typical: 0.85, b2b: 0.1, 'worst-case': 0.05 };
const ORDERS = stagesArea(PEAK, STAGES, UNIT) * VOLUME_SCALE;

export const options = {
  scenarios: {
    shoppers: {
      executor: 'ramping-arrival-rate',
      exec: 'shopper',
      startRate: PEAK,
      timeUnit: rateUnit(UNIT),
      stages: realStages(STAGES),
      ...vusFor(PEAK, UNIT),
    },
    carts: {
      executor: 'ramping-arrival-rate',
      exec: 'abandonedCart',
      startRate: 600,
      timeUnit: rateUnit(UNIT),
      stages: realStages([
        { target: 600, duration: '10m' },
        { target: 30, duration: '50m' },
        { target: 30, duration: '23h' },
      ]),
      ...vusFor(600, UNIT),
    },
  },
  thresholds: baseThresholds(ORDERS),
};

export const acceptance = {
  scenario: 'flash-sale-10x',
  description: 'A sale day of 5,000 orders (10x baseline): 2,000 in the first hour, 120 a minute for the first 10 minutes, which needs four times the Standard quota at 10 calls per order.',
  simulatedDuration: '24h',
  expectedOrders: 5000,
  requires: ['simulator'],
  patterns: ['rate-limit-breach'],
  criteria: [
    { id: 'no-lost-orders', name: 'Every order reaches the ERP', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'A sale must not drop orders when the quota runs out.' },
    { id: 'no-duplicate-orders', name: 'No order is written twice', flow: 'orders', measure: 'orders.duplicated', op: '==', limit: 0, why: 'Retries under 429s must stay idempotent.' },
    { id: 'no-corrupted-orders', name: 'Every order arrives field for field', flow: 'orders', measure: 'orders.corrupted', op: '==', limit: 0, why: 'Worst-case orders are part of the mix.' },
    { id: 'honours-429', name: 'Every 429 is followed by waiting the reset time', flow: 'platform', measure: 'api.rateLimitIgnored', op: '==', limit: 0, why: 'Hammering on through 429s is the rate-limit-breach pattern.' },
    { id: 'peak-backlog-drains', name: 'The sale-hour backlog drains within 30 minutes (p95 latency)', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 1800, unit: 's', why: 'At 4x the quota an integration must batch; a backlog that never drains misses shipping cut-offs.' },
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
  await createCarts(1, 30);
}

export async function teardown() {
  await clearFaults();
}
