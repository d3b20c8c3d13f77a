// api-drift: orders flow at 2 a minute for an hour; at minute 30 a platform update renames an
// order field (by default status_id -> status_code; override with DRIFT_RESOURCE, DRIFT_FROM,
// DRIFT_TO). An integration that maps the old name silently writes empty values from then on.
import { baseThresholds, checkClock, clearFaults, faultScenarios, faultStepRunner, pickProfile, placeOrder, rateUnit, realStages, stagesArea, VOLUME_SCALE, vusFor } from './lib/sim.js';

const UNIT = '1m';
const RATE = 2;
const STAGES = [{ target: RATE, duration: '60m' }];
const MIX = { typical: 0.9, b2b: 0.05, 'worst-case': 0.05 };
const RENAME = { resource: __ENV.DRIFT_RESOURCE || 'order', from: __ENV.DRIFT_FROM || 'status_id', to: __ENV.DRIFT_TO || 'status_code' };

const timeline = [{ at: '30m', label: 'platform-update', plan: { api: { renameFields: [RENAME] } } }];

export const options = {
  scenarios: {
    shoppers: { executor: 'ramping-arrival-rate', exec: 'shopper', startRate: RATE, timeUnit: rateUnit(UNIT), stages: realStages(STAGES), ...vusFor(RATE, UNIT) },
    ...faultScenarios(timeline),
  },
  thresholds: baseThresholds(stagesArea(RATE, STAGES, UNIT) * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'api-drift',
  description: `A platform update renames ${RENAME.resource}.${RENAME.from} to ${RENAME.to} halfway through an hour of orders.`,
  simulatedDuration: '60m',
  expectedOrders: 120,
  requires: ['simulator'],
  patterns: ['mapping-drift'],
  criteria: [
    { id: 'no-silent-empty-fields', name: 'No mapped field turns silently empty after the update', flow: 'orders', measure: 'mapping.silentlyEmptied', op: '==', limit: 0, why: 'A renamed field mapped to empty is the mapping-drift pattern.' },
    { id: 'drift-surfaced', name: 'The drift is reported (alert or dead letter with the reason)', flow: 'orders', measure: 'alerts.raised', op: '>=', limit: 1, why: 'Drift must stop the line or be flagged, not corrupt the ERP quietly.' },
    { id: 'no-corrupted-orders', name: 'Orders before the update arrive field for field', flow: 'orders', measure: 'orders.corruptedBeforeDrift', op: '==', limit: 0, why: 'The integration worked before the update.' },
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
