// erp-degraded: orders flow at 2 a minute for an hour while the ERP degrades: from minute 10 it
// answers slowly (5 simulated seconds), from minute 30 it answers 503, at minute 50 it recovers. The integration
// must retry with backoff, keep webhooks answered fast, never write an order twice, and alert.
//
// The ERP is one of the connected-system mocks: its faults are set through MOCKS_URL. Without it
// the ERP steps are skipped (logged, counted in scenario_steps_skipped) and only the orders flow.
import { baseThresholds, checkClock, clearFaults, faultScenarios, faultStepRunner, mocksFaults, pickProfile, placeOrder, rateUnit, realStages, stagesArea, VOLUME_SCALE, vusFor, warnIfNoMocks } from './lib/sim.js';

const UNIT = '1m';
const RATE = 2;
const STAGES = [{ target: RATE, duration: '60m' }];
const MIX = { typical: 0.9, b2b: 0.1 };

const timeline = [
  { at: '10m', label: 'erp-slow', mocks: { erp: { latencyMs: 5000 } } },
  { at: '30m', label: 'erp-503', mocks: { erp: { errorRate: 1 } } },
  { at: '50m', label: 'erp-recovered', mocks: { erp: {} } },
];

export const options = {
  scenarios: {
    shoppers: { executor: 'ramping-arrival-rate', exec: 'shopper', startRate: RATE, timeUnit: rateUnit(UNIT), stages: realStages(STAGES), ...vusFor(RATE, UNIT) },
    ...faultScenarios(timeline),
  },
  thresholds: baseThresholds(stagesArea(RATE, STAGES, UNIT) * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'erp-degraded',
  description: 'The ERP slows to 5 s answers for 20 minutes, then answers 503 for 20 minutes, while 120 orders flow.',
  simulatedDuration: '60m',
  expectedOrders: 120,
  requires: ['simulator', 'mocks'],
  patterns: ['silent-failure'],
  criteria: [
    { id: 'no-lost-orders', name: 'Every order reaches the ERP after it recovers', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: '5xx answers are retried with backoff, not dropped.' },
    { id: 'no-duplicate-orders', name: 'No order is written twice', flow: 'orders', measure: 'orders.duplicated', op: '==', limit: 0, why: 'A slow ERP that times out may still have written the order: writes must be upserts.' },
    { id: 'webhooks-answered', name: 'No webhook delivery fails while the ERP is down', flow: 'platform', measure: 'webhooks.failedDeliveries', op: '==', limit: 0, why: 'The receiver records and answers; it must not wait on the ERP.' },
    { id: 'failure-alerted', name: 'The ERP failures raised an alert', flow: 'orders', measure: 'alerts.raised', op: '>=', limit: 1, why: 'Swallowed errors are the silent-failure pattern.' },
  ],
};

export async function setup() {
  await checkClock();
  await clearFaults();
  warnIfNoMocks('erp-degraded');
}

export async function shopper() {
  await placeOrder(pickProfile(MIX));
}

export const faultStep = faultStepRunner(timeline);

export async function teardown() {
  await mocksFaults({ erp: {} }, 'erp-reset');
  await clearFaults();
}
