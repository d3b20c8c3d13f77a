// webhook-outage: the integration's webhook receiver is unreachable for 52 simulated hours,
// longer than the platform's whole retry ladder (60 s ... 24 h, 48 h 4 min in total), so the
// hooks are deactivated (after the last retry) and a deliveryException follows. Orders arrive
// during the first 2 hours of the outage and again for 2 hours after the receiver is back. A
// healthy integration notices, re-enables or re-creates its hooks and backfills what it missed.
//
// It needs the simulator fault `webhooks.unreachable` (probability 0..1 that a delivery attempt
// fails as if the receiver were down). A simulator without it answers 422; the scenario then logs
// that it could not provoke the outage and counts the step in scenario_steps_skipped.
//
//   bc-harness load webhook-outage --time-scale 10800     # 54 hours in 18 seconds
import { baseThresholds, checkClock, clearFaults, faultScenarios, faultStepRunner, pickProfile, placeOrder, rateUnit, real, realStages, stagesArea, VOLUME_SCALE, vusFor } from './lib/sim.js';

const UNIT = '1h';
const RATE = 30; // orders per simulated hour
const OUTAGE = '52h';
const MIX = { typical: 0.95, b2b: 0.05 };
const PHASE = [{ target: RATE, duration: '2h' }];

const timeline = [
  { at: '0s', label: 'receiver-down', plan: { webhooks: { unreachable: 1 } } },
  { at: OUTAGE, label: 'receiver-back', plan: {} },
];

export const options = {
  scenarios: {
    during_outage: { executor: 'ramping-arrival-rate', exec: 'shopper', startRate: RATE, timeUnit: rateUnit(UNIT), stages: realStages(PHASE), ...vusFor(RATE, UNIT) },
    after_recovery: { executor: 'ramping-arrival-rate', exec: 'shopper', startRate: RATE, timeUnit: rateUnit(UNIT), stages: realStages(PHASE), startTime: real(OUTAGE), ...vusFor(RATE, UNIT) },
    ...faultScenarios(timeline),
  },
  thresholds: baseThresholds(2 * stagesArea(RATE, PHASE, UNIT) * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'webhook-outage',
  description: 'The webhook receiver is unreachable for 52 hours, past the whole retry ladder; orders arrive during the outage and after it.',
  simulatedDuration: '54h',
  expectedOrders: 120,
  requires: ['simulator', 'sim:webhooks.unreachable'],
  patterns: ['webhook-deactivation'],
  criteria: [
    { id: 'hooks-recovered', name: 'No hook is left deactivated at the end', flow: 'platform', measure: 'webhooks.deactivatedAtEnd', op: '==', limit: 0, why: 'A health monitor re-enables or re-creates deactivated hooks.' },
    { id: 'outage-backfilled', name: 'Every order placed during the outage reaches the ERP', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'A reconciliation sweep must backfill what the webhooks never delivered.' },
    { id: 'no-duplicate-orders', name: 'No order is written twice', flow: 'orders', measure: 'orders.duplicated', op: '==', limit: 0, why: 'Backfill and late deliveries overlap; writes must be upserts.' },
    { id: 'outage-alerted', name: 'The deactivation raised an alert', flow: 'platform', measure: 'alerts.raised', op: '>=', limit: 1, why: 'A deactivated hook that nobody notices is the webhook-deactivation pattern.' },
  ],
};

export async function setup() {
  await checkClock();
  await clearFaults();
}

export async function shopper() {
  await placeOrder(pickProfile(MIX));
}

export const faultStep = faultStepRunner(timeline);

export async function teardown() {
  await clearFaults();
}
