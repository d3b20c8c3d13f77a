// catalog-storm: the ERP publishes 10,000 price and stock changes in 30 simulated minutes (100
// batches of 100, alternating price and stock) while shoppers keep ordering 2 a minute. The
// integration has to push the changes into the store through the same quota its order sync uses.
// The ERP is one of the connected-system mocks (MOCKS_URL) and publishes the batches through
// `POST /erp/changes`; without the mocks, or with mocks that lack that endpoint, the ERP steps are
// skipped (said once, counted in scenario_steps_skipped) and only the orders flow.
// Constant-arrival-rate, so TIME_SCALE <= 1800.
import { baseThresholds, checkClock, clearFaults, erpChanges, erpChangesAvailable, pickProfile, placeOrder, rateUnit, real, VOLUME_SCALE, vusFor, warnIfNoMocks } from './lib/sim.js';
import exec from 'k6/execution';

const DURATION = '30m';
const BATCH = 100;
const MIX = { typical: 0.9, b2b: 0.1 };

export const options = {
  scenarios: {
    erp_changes: {
      executor: 'constant-arrival-rate',
      exec: 'erpBatch',
      // 10 batches every 3 simulated minutes: 100 batches of 100 changes in 30 minutes.
      rate: 10,
      timeUnit: rateUnit('3m'),
      duration: real(DURATION, 1000, 'catalog-storm (constant-arrival-rate)'),
      ...vusFor(10, '3m'),
    },
    shoppers: {
      executor: 'constant-arrival-rate',
      exec: 'shopper',
      rate: 2,
      timeUnit: rateUnit('1m'),
      duration: real(DURATION, 1000, 'catalog-storm (constant-arrival-rate)'),
      ...vusFor(2, '1m'),
    },
  },
  thresholds: baseThresholds(60 * VOLUME_SCALE),
};

export const acceptance = {
  scenario: 'catalog-storm',
  description: 'The ERP pushes 10,000 price and stock changes in 30 minutes while 60 orders flow.',
  simulatedDuration: DURATION,
  expectedOrders: 60,
  requires: ['simulator', 'mocks'],
  patterns: ['rate-limit-breach'],
  criteria: [
    { id: 'no-lost-stock-changes', name: 'Every ERP stock change reaches the store', flow: 'inventory', measure: 'inventory.lost', op: '==', limit: 0, why: 'A lost stock change oversells.' },
    { id: 'no-wrong-stock', name: 'The store never keeps a stock count the ERP did not publish', flow: 'inventory', measure: 'inventory.corrupted', op: '==', limit: 0, why: 'A stale count written over a newer one oversells just the same.' },
    { id: 'no-lost-price-changes', name: 'Every ERP price change reaches the store', flow: 'catalog', measure: 'prices.lost', op: '==', limit: 0, why: 'A stale price is sold at the wrong price.' },
    { id: 'no-wrong-prices', name: 'Prices arrive field for field', flow: 'catalog', measure: 'prices.corrupted', op: '==', limit: 0, why: 'The price flow also carries cost, weight and availability.' },
    { id: 'stock-latency', name: 'Stock changes reach the store within 15 minutes (p95)', flow: 'inventory', measure: 'inventory.syncLatencyP95Seconds', op: '<=', limit: 900, unit: 's', why: 'Absolute adjustments of up to 2,000 items per request make this possible within the quota.' },
    { id: 'price-latency', name: 'Price changes reach the store within 15 minutes (p95)', flow: 'catalog', measure: 'prices.syncLatencyP95Seconds', op: '<=', limit: 900, unit: 's', why: 'Batches of 10 products per request: 5,000 price changes cost 500 requests, which fits the quota if they are batched.' },
    { id: 'orders-not-starved', name: 'Orders still reach the ERP within 5 minutes (p95)', flow: 'orders', measure: 'orders.syncLatencyP95Seconds', op: '<=', limit: 300, unit: 's', why: 'Catalog traffic must not starve the order flow.' },
    { id: 'honours-429', name: 'Every 429 is followed by waiting the reset time', flow: 'platform', measure: 'api.rateLimitIgnored', op: '==', limit: 0, why: 'The rate-limit-breach pattern.' },
  ],
};

export async function setup() {
  await checkClock();
  await clearFaults();
  const withMocks = warnIfNoMocks('catalog-storm');
  return { erpChanges: withMocks && (await erpChangesAvailable('catalog-storm')) };
}

export async function erpBatch(data) {
  const kind = exec.scenario.iterationInTest % 2 === 0 ? 'price' : 'stock';
  await erpChanges(kind, BATCH, data.erpChanges);
}

export async function shopper() {
  await placeOrder(pickProfile(MIX));
}

export async function teardown() {
  await clearFaults();
}
