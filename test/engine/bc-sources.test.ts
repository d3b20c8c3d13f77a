import { describe, expect, it } from 'vitest';
import { assembleOrder, planIdRanges } from '../../src/engine/bc-sources.ts';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import { expectedRecord, specs } from '../support/engine-world.ts';
import { startTestSim } from '../support/simulator.ts';

describe('planIdRanges', () => {
  it.each([
    [[5], [[5, 5]]],
    [[3, 1, 2, 2], [[1, 3]]],
    [Array.from({ length: 250 }, (_, i) => 101 + i), [[101, 350]]],
    [Array.from({ length: 251 }, (_, i) => 101 + i), [[101, 350], [351, 351]]],
    [[100, 349, 350, 10_000], [[100, 349], [350, 350], [10_000, 10_000]]],
    [[0, -1, 1.5, 7], [[7, 7]]],
  ])('%j -> one call per range %j', (ids, ranges) => {
    expect(planIdRanges(ids as number[]).map((r) => [r.min, r.max])).toEqual(ranges);
  });
});

describe('assembleOrder', () => {
  it.each([
    // Over 50 lines on one consignment: the platform caps them, so the engine asks /products.
    ['b2b', false],
    // 100+ lines spread over three addresses, digital and zero-price lines: all carried.
    ['worst-case', true],
  ] as const)('builds the specs\' source from the list with consignments for a %s order (complete: %s), mapping to the same records as the ground truth', async (profile, expectComplete) => {
    const sim = await startTestSim();
    try {
      const [id] = (await sim.control('POST', `/stores/${sim.hash}/orders`, { profile, count: 1 })).body.ids;
      const listed = await sim.api('GET', `/v2/orders?min_id=${id}&max_id=${id}&include=consignments.line_items&consignment_structure=object`);
      const { source, complete } = assembleOrder(listed.body[0]);
      expect(complete).toBe(expectComplete);
      const full = complete ? source : { ...source, products: (await sim.api('GET', `/v2/orders/${id}/products?limit=250`)).body };
      const ledger = (await sim.control('GET', '/ledger?kinds=resource:created')).text.trim().split('\n').map((l) => JSON.parse(l));
      const truth = ledger.find((e) => e.resource === 'order' && e.id === id).body;
      for (const spec of ['orders-to-erp-sales-order', 'orders-to-3pl-fulfillment-order', 'orders-to-marketing-events']) {
        expect(applyMapping(specs().get(spec)!, full), spec).toEqual(applyMapping(specs().get(spec)!, truth));
      }
    } finally {
      await sim.close();
    }
  });

  it('is complete for a typical order, digital lines included, and maps to the same records as the ground truth', async () => {
    const sim = await startTestSim({ products: 200 });
    try {
      const ids = (await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 40 })).body.ids as number[];
      const listed = await sim.api('GET', `/v2/orders?min_id=${ids[0]}&max_id=${ids.at(-1)}&limit=250&include=consignments.line_items&consignment_structure=object`);
      const ledger = (await sim.control('GET', '/ledger?kinds=resource:created')).text.trim().split('\n').map((l) => JSON.parse(l));
      let digital = 0;
      for (const raw of listed.body) {
        const { source, complete } = assembleOrder(raw);
        expect(complete, `order ${raw.id}`).toBe(true);
        if (source.products.some((p: any) => p.type === 'digital')) digital++;
        const truth = ledger.find((e) => e.resource === 'order' && e.id === raw.id).body;
        expect(expectedRecord('orders-to-erp-sales-order', source), `order ${raw.id}`).toEqual(expectedRecord('orders-to-erp-sales-order', truth));
      }
      // The seeded catalog sells downloads: some typical orders have a digital line, which only the
      // digital consignment carries.
      expect(digital).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });
});
