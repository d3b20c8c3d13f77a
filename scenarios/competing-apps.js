// competing-apps: other apps installed on the store take 40% of every quota window while orders
// arrive at 30 a minute for 30 simulated minutes (900 orders). The quota is per store and shared by
// all apps, so the integration has 90 of Standard's 150 requests per 30 s.
import { baseThresholds, checkClock, clearFaults, pickProfile, placeOrder, rateUnit, realStages, setFaults, stagesArea, VOLUME_SCALE, vusFor } from './lib/sim.js';

const UNIT = '1m';
const RATE = 30;
const STAGES = [{ target: RATE, duration: '30m' }];
const SHARE = 0.4;
const MIX = { typical: 0.9, b2b: 0.08, 'worst-case': 0.02 };

export const options = {
  scenarios: {
    shoppers: { executor: 'ramping-arrival-rate', exec: 'shopper', startRate: RATE, timeUnit: rateUnit(UNIT), stages: realStages(STAGES), ...vusFor(RATE, UNIT) },
  },
  thresholds: baseThresholds(stagesArea(RATE, STAGES, UNIT) * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'competing-apps',
  description: 'Other apps use 40% of every quota window while 900 orders arrive in 30 minutes.',
  simulatedDuration: '30m',
  expectedOrders: 900,
  requires: ['simulator'],
  patterns: ['rate-limit-breach'],
  criteria: [
    { id: 'no-lost-orders', name: 'Every order reaches the ERP', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'Less quota must mean slower, never lossy.' },
    { id: 'honours-429', name: 'Every 429 is followed by waiting the reset time', flow: 'platform', measure: 'api.rateLimitIgnored', op: '==', limit: 0, why: 'The rate-limit-breach pattern.' },
    { id: 'order-latency', name: 'Orders reach the ERP within 15 minutes (p95)', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 900, unit: 's', why: 'The rate-limit headers say how much is left; a limiter that reads them keeps up.' },
  ],
};

export async function setup() {
  await checkClock();
  await setFaults({ quota: { otherAppsShare: SHARE } }, 'other-apps');
}

export async function shopper() {
  await placeOrder(pickProfile(MIX));
}

export async function teardown() {
  await clearFaults();
}
