// worst-case-orders: a steady stream of the worst-case profile (100+ lines, every option type,
// three shipping addresses, coupon + gift certificate + store credit, zero-price and digital
// lines, Arabic/Japanese/emoji names, fields at their maximum length, EUR): 2 a minute for 30
// simulated minutes. Constant-arrival-rate, so TIME_SCALE <= 1800.
import { baseThresholds, checkClock, clearFaults, placeOrder, rateUnit, real, VOLUME_SCALE, vusFor } from './lib/sim.js';

const RATE_PER_MINUTE = 2;
const DURATION = '30m';

export const options = {
  scenarios: {
    worst_case: {
      executor: 'constant-arrival-rate',
      exec: 'shopper',
      rate: RATE_PER_MINUTE,
      timeUnit: rateUnit('1m'),
      duration: real(DURATION, 1000, 'worst-case-orders (constant-arrival-rate)'),
      ...vusFor(RATE_PER_MINUTE, '1m'),
    },
  },
  thresholds: baseThresholds(60 * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'worst-case-orders',
  description: 'A steady stream of worst-case orders: 60 in 30 minutes. Every 8th (7 of 60) carries a 255-character SKU and a 50-character PO number that no integration may carry: the spec rejects it, so it must be dead-lettered; the rest must arrive field for field.',
  simulatedDuration: DURATION,
  expectedOrders: 60,
  requires: ['simulator'],
  patterns: ['silent-failure', 'payload-as-data'],
  criteria: [
    { id: 'no-corrupted-orders', name: 'Every worst-case order arrives field for field, or is rejected with a reason', flow: 'orders', measure: 'orders.corrupted', op: '==', limit: 0, why: 'Truncation, lost Unicode or a dropped address are the defects this profile exists to find.' },
    { id: 'no-lost-orders', name: 'Every order reaches the ERP or the dead-letter queue', flow: 'orders', measure: 'orders.lost', op: '==', limit: 0, why: 'A rejected order must be visible, not gone.' },
    { id: 'dead-letters-explained', name: 'Every dead-lettered order has a reason', flow: 'orders', measure: 'deadLetter.unexplained', op: '==', limit: 0, why: 'The silent-failure pattern.' },
  ],
};

export async function setup() {
  await checkClock();
  await clearFaults();
}

export async function shopper() {
  await placeOrder('worst-case');
}

export async function teardown() {
  await clearFaults();
}
