/**
 * The worst-case order profile is hard but carriable: 40 worst-case orders of one seed run through
 * every order-sourced spec. Exactly the stated minority (every UNCARRIABLE_WORST_CASE_EVERY-th
 * order) is rejected, by the reject rules it was built to break; every other order maps with
 * warnings only and validates against the target's contract. Without this, a scenario of worst-case
 * orders could not tell an integration that carries them from one that dead-letters everything.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CARRIABLE_LIMITS, isUncarriableWorstCase, UNCARRIABLE_WORST_CASE_EVERY, WORST_CASE_PO } from '../../simulator/domain/order-profiles.ts';
import { applyMapping, type MappingResult } from '../../src/mappings/apply-mapping.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';
import { createSampleWorld } from '../../src/mappings/sample-sources.ts';
import { createTargetValidator } from '../../src/mappings/target-validator.ts';

const ORDERS = 40;
const ORDER_SPECS = ['orders-to-erp-sales-order', 'orders-to-3pl-fulfillment-order', 'orders-to-marketing-events'] as const;
const { specs } = loadSpecs(path.resolve(import.meta.dirname, '../../mappings'));
const byName = new Map(specs.map((s) => [s.compiled.spec.name, s.compiled]));
const validator = createTargetValidator();
const rule = (spec: string, target: string) => byName.get(spec)!.spec.constraints?.find((c) => c.target === target && c.maxLength !== undefined);

interface Mapped {
  ordinal: number;
  orderId: number;
  results: Record<(typeof ORDER_SPECS)[number], MappingResult>;
}

function mapWorstCaseOrders(seed: number): Mapped[] {
  const world = createSampleWorld({ seed });
  try {
    return Array.from({ length: ORDERS }, (_, i) => {
      const { order, sources } = world.sample('worst-case');
      const source = sources['bigcommerce/order'][0];
      const results = Object.fromEntries(ORDER_SPECS.map((name) => [name, applyMapping(byName.get(name)!, source)])) as Mapped['results'];
      return { ordinal: i + 1, orderId: order.order.id, results };
    });
  } finally {
    world.close();
  }
}

const mapped = mapWorstCaseOrders(11);
const world = createSampleWorld({ seed: 11 });
afterAll(() => world.close());

describe(`${ORDERS} worst-case orders of one seed through every order-sourced spec`, () => {
  it('finds every order-sourced spec', () => {
    for (const name of ORDER_SPECS) expect(byName.has(name), name).toBe(true);
  });

  it(`rejects exactly every ${UNCARRIABLE_WORST_CASE_EVERY}th order, floor(${ORDERS} / ${UNCARRIABLE_WORST_CASE_EVERY}) of them`, () => {
    const rejected = mapped.filter((m) => Object.values(m.results).some((r) => r.errors.length > 0)).map((m) => m.ordinal);
    expect(rejected).toEqual([8, 16, 24, 32, 40]);
    expect(rejected).toHaveLength(Math.floor(ORDERS / UNCARRIABLE_WORST_CASE_EVERY));
    expect(mapped.filter((m) => isUncarriableWorstCase(m.ordinal)).map((m) => m.ordinal)).toEqual(rejected);
  });

  it('rejects the uncarriable ones by the SKU and PO reject rules, and by nothing else', () => {
    // The rules the minority is built to break, as the specs declare them (action reject).
    expect(rule('orders-to-erp-sales-order', 'lines[].sku')).toMatchObject({ maxLength: 20, action: 'reject' });
    expect(rule('orders-to-erp-sales-order', 'customerPo')).toMatchObject({ maxLength: 20, action: 'reject' });
    expect(rule('orders-to-3pl-fulfillment-order', 'consignments[].lines[].sku')).toMatchObject({ maxLength: 50, action: 'reject' });
    for (const m of mapped.filter((x) => isUncarriableWorstCase(x.ordinal))) {
      const erp = m.results['orders-to-erp-sales-order'].errors;
      expect(erp.map((e) => [e.field.replace(/\[\d+\]/g, '[]'), e.code, e.message]).sort(), `order ${m.orderId}`).toEqual([
        ['customerPo', 'max-length', '50 characters; the target allows 20'],
        ['lines[].sku', 'max-length', '255 characters; the target allows 20'],
      ]);
      const threepl = m.results['orders-to-3pl-fulfillment-order'].errors;
      expect(threepl.map((e) => [e.field.replace(/\[\d+\]/g, '[]'), e.code, e.message]), `order ${m.orderId}`).toEqual([
        ['consignments[].lines[].sku', 'max-length', '255 characters; the target allows 50'],
      ]);
      // Marketing truncates SKUs (64) rather than rejecting them: the event still goes.
      expect(m.results['orders-to-marketing-events'].errors, `order ${m.orderId}`).toEqual([]);
    }
  });

  it('maps every other order without errors, valid for the target, with the worst case showing as warnings', () => {
    const carriable = mapped.filter((m) => !isUncarriableWorstCase(m.ordinal));
    expect(carriable).toHaveLength(ORDERS - Math.floor(ORDERS / UNCARRIABLE_WORST_CASE_EVERY));
    for (const m of carriable) {
      for (const name of ORDER_SPECS) {
        const r = m.results[name];
        expect(r.skipped, `${name} order ${m.orderId}`).toBeUndefined();
        expect(r.errors, `${name} order ${m.orderId}`).toEqual([]);
        expect(validator.validate(byName.get(name)!.spec.target.contract, r.record), `${name} order ${m.orderId}`).toEqual([]);
      }
      // Still hard: the ERP truncates names, streets, the message, descriptions and options.
      const erpWarned = new Set(m.results['orders-to-erp-sales-order'].warnings.map((w) => w.field.replace(/\[\d+\]/g, '[]')));
      for (const target of ['comment', 'billTo.company', 'billTo.street1', 'shipTos[].address.street1', 'lines[].description', 'lines[].options']) {
        expect(erpWarned, `order ${m.orderId}: ${target}`).toContain(target);
      }
      const erp = m.results['orders-to-erp-sales-order'].record as { customerPo: string; lines: unknown[] };
      expect(erp.customerPo).toBe(WORST_CASE_PO);
      expect(erp.lines.length).toBeGreaterThanOrEqual(100);
    }
  });

  it('keeps the carriable PO number and street lines at the limits the targets accept', () => {
    expect([...WORST_CASE_PO]).toHaveLength(CARRIABLE_LIMITS.customerPo);
    const { order } = world.sample('worst-case');
    const swiss = order.shippingAddresses.find((a) => a.country_iso2 === 'CH')!;
    expect([...swiss.street_1]).toHaveLength(CARRIABLE_LIMITS.streetLine);
    expect([...swiss.street_2]).toHaveLength(CARRIABLE_LIMITS.streetLine);
  });

  it('gives the same carriable and uncarriable orders for the same seed', () => {
    const again = mapWorstCaseOrders(11);
    expect(again.map((m) => [m.orderId, Object.values(m.results).map((r) => r.errors.length)])).toEqual(mapped.map((m) => [m.orderId, Object.values(m.results).map((r) => r.errors.length)]));
  });
});
