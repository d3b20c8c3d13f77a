/**
 * 3PL freight references are realistic (9-35 characters, within BigCommerce's 50 for
 * tracking_number), except a stated minority: every OVERLONG_FREIGHT_REFERENCE_EVERY-th freight
 * shipment, which the shipments spec rejects. Shipments come the normal way: fulfilment orders
 * PUT to the 3PL, shipped by the mock two simulated hours later.
 */
import path from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';
import { FREIGHT_REFERENCE_LENGTH, OVERLONG_FREIGHT_REFERENCE_EVERY } from '../../src/mocks/domain/systems.ts';
import { startMocks, type RunningMocks } from '../../src/mocks/http/server.ts';

const START = Date.UTC(2026, 10, 27, 12);
const FULFILLMENT_ORDERS = 100;
/** BigCommerce's tracking_number maxLength (POST /v2/orders/{id}/shipments). */
const TRACKING_NUMBER_MAX = 50;

const running: RunningMocks[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

/** Ship FULFILLMENT_ORDERS orders of three consignments each through a fresh 3PL mock; its shipments feed. */
async function shipAll(seed: number): Promise<Record<string, any>[]> {
  const mocks = await startMocks({ seed, products: 60, customers: 30, timeScale: 0, start: START });
  running.push(mocks);
  const sku = mocks.systems.erp.inventory(undefined, 1)[0]!.itemNo as string;
  for (let i = 1; i <= FULFILLMENT_ORDERS; i++) {
    const consignments = [1, 2, 3].map((ref) => ({ consignmentRef: i * 10 + ref, shipTo: { name: 'Ada', address1: '1 Way', city: 'London', postalCode: 'N1', country: 'GB' }, serviceLevel: 'STANDARD', lines: [{ lineRef: i * 100 + ref, sku, quantity: 1 }] }));
    const body = { externalId: `FO-${i}`, orderRef: String(1000 + i), orderDate: '2026-11-27T12:00:00Z', consignments };
    const res = await request(`${mocks.url}/3pl/fulfillment-orders/FO-${i}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.statusCode, await res.body.text()).toBe(201);
  }
  mocks.clock.advance(2 * 3_600_000);
  // The feed returns shipments in the order the 3PL shipped them.
  return mocks.systems.threepl.shipments(undefined, 1000);
}

describe('3PL freight references', () => {
  it(`are 9-35 characters, except every ${OVERLONG_FREIGHT_REFERENCE_EVERY}th freight shipment, which is over BigCommerce's 50`, async () => {
    const shipments = await shipAll(7);
    expect(shipments).toHaveLength(FULFILLMENT_ORDERS * 3);
    const freight = shipments.filter((s) => s.carrier === 'DHLFREIGHT');
    // Enough freight for the share to mean something (the carrier is a seeded draw of three).
    expect(freight.length).toBeGreaterThanOrEqual(60);

    const overLong = freight.map((s, i) => [i + 1, s.trackingNumber as string] as const).filter(([, t]) => t.length > TRACKING_NUMBER_MAX);
    expect(overLong.map(([ordinal]) => ordinal)).toEqual(Array.from({ length: Math.floor(freight.length / OVERLONG_FREIGHT_REFERENCE_EVERY) }, (_, i) => (i + 1) * OVERLONG_FREIGHT_REFERENCE_EVERY));
    for (const [, t] of overLong) expect(t).toHaveLength(FREIGHT_REFERENCE_LENGTH.overLong);

    const fitting = freight.filter((_, i) => (i + 1) % OVERLONG_FREIGHT_REFERENCE_EVERY !== 0).map((s) => s.trackingNumber as string);
    for (const t of fitting) {
      expect(t.length, t).toBeGreaterThanOrEqual(FREIGHT_REFERENCE_LENGTH.min);
      expect(t.length, t).toBeLessThanOrEqual(FREIGHT_REFERENCE_LENGTH.max);
    }
    // Realistic spread, not one fixed length.
    expect(new Set(fitting.map((t) => t.length)).size).toBeGreaterThan(5);
    // Parcel carriers' numbers always fit.
    for (const s of shipments.filter((x) => x.carrier !== 'DHLFREIGHT')) expect((s.trackingNumber as string).length).toBeLessThanOrEqual(TRACKING_NUMBER_MAX);
  });

  it('are rejected by the shipments spec exactly when over-long, on tracking_number', async () => {
    const { specs } = loadSpecs(path.resolve(import.meta.dirname, '../../mappings'));
    const spec = specs.find((s) => s.compiled.spec.name === '3pl-shipments-to-bigcommerce')!.compiled;
    const shipments = await shipAll(7);
    for (const s of shipments) {
      const result = applyMapping(spec, s);
      if ((s.trackingNumber as string).length > TRACKING_NUMBER_MAX) {
        expect(result.errors.map((e) => [e.field, e.code]), String(s.shipmentId)).toEqual([['tracking_number', 'max-length']]);
      } else {
        expect(result.errors, String(s.shipmentId)).toEqual([]);
      }
    }
    expect(shipments.filter((s) => applyMapping(spec, s).errors.length > 0).length).toBe(Math.floor(shipments.filter((s) => s.carrier === 'DHLFREIGHT').length / OVERLONG_FREIGHT_REFERENCE_EVERY));
  });

  it('are the same for the same seed', async () => {
    const a = await shipAll(3);
    const b = await shipAll(3);
    expect(b.map((s) => [s.shipmentId, s.carrier, s.trackingNumber])).toEqual(a.map((s) => [s.shipmentId, s.carrier, s.trackingNumber]));
  });
});
