// doorbuster: 1,000 orders in 5 simulated minutes, at a constant 200 a minute: the opening of a
// limited drop. Uses a constant-arrival-rate, so k6's 1 s minimum applies: TIME_SCALE <= 300.
//
//   bc-harness load doorbuster --time-scale 60
//   bc-harness load doorbuster --time-scale 30 -e OTHER_APPS_SHARE=0.4   # other apps on the store too
//
// OTHER_APPS_SHARE (0 to 0.95, default 0): the share of every quota window other apps installed on
// the store take, spread over the window as they would be, so an integration that spends its
// window early meets a 429 when the others' requests arrive.
import { baseThresholds, checkClock, clearFaults, pickProfile, placeOrder, rateUnit, real, setFaults, VOLUME_SCALE, vusFor } from './lib/sim.js';

const RATE_PER_MINUTE = 200;
const DURATION = '5m';
const MIX = { typical: 0.97, 'worst-case': 0.03 };
const OTHER_APPS_SHARE = Number(__ENV.OTHER_APPS_SHARE || 0);
if (!(OTHER_APPS_SHARE >= 0 && OTHER_APPS_SHARE <= 0.95)) throw new Error(`Failed to read OTHER_APPS_SHARE: "${__ENV.OTHER_APPS_SHARE}" is not a share from 0 to 0.95. Give e.g. -e OTHER_APPS_SHARE=0.4.`);

export const options = {
  scenarios: {
    doors_open: {
      executor: 'constant-arrival-rate',
      exec: 'shopper',
      rate: RATE_PER_MINUTE,
      timeUnit: rateUnit('1m'),
      duration: real(DURATION, 1000, 'doorbuster (constant-arrival-rate)'),
      ...vusFor(RATE_PER_MINUTE, '1m'),
    },
  },
  thresholds: baseThresholds(1000 * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'doorbuster',
  description: `1,000 orders in 5 minutes at a constant 200 a minute${OTHER_APPS_SHARE > 0 ? `, while other apps take ${Math.round(OTHER_APPS_SHARE * 100)}% of every quota window` : ''}.`,
  simulatedDuration: DURATION,
  expectedOrders: 1000,
  requires: ['simulator'],
  patterns: ['rate-limit-breach'],
  criteria: [
    { id: 'no-lost-orders', name: 'Every order reaches the ERP', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'A burst is exactly when careless integrations drop records on 429.' },
    { id: 'no-duplicate-orders', name: 'No order is written twice', flow: 'orders', measure: 'orders.duplicated', op: '==', limit: 0, why: 'Retries must stay idempotent.' },
    { id: 'honours-429', name: 'Every 429 is followed by waiting the reset time', flow: 'platform', measure: 'api.rateLimitIgnored', op: '==', limit: 0, why: 'The rate-limit-breach pattern.' },
    { id: 'burst-drains', name: 'Orders reach the ERP within 10 minutes (p95)', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 600, unit: 's', why: 'The burst lasts 5 minutes; the backlog should not outlive it by much.' },
  ],
};

export async function setup() {
  await checkClock();
  await clearFaults();
  if (OTHER_APPS_SHARE > 0) await setFaults({ quota: { otherAppsShare: OTHER_APPS_SHARE } }, 'other-apps');
}

export async function shopper() {
  await placeOrder(pickProfile(MIX));
}

export async function teardown() {
  await clearFaults();
}
