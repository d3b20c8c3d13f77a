/**
 * The capacity model's formulas, each against numbers worked out by hand
 * (docs/decisions/0009-capacity-and-cost-model.md), and the request classification they rest on.
 */
import { describe, expect, it } from 'vitest';
import { apiFlowOf, driverOf } from '../../src/tco/api-flows.ts';
import {
  callsPerDay,
  maxBaseForFlashSale,
  maxFlashSaleMultiplier,
  orderCapacityPerWindow,
  peakOrdersPerWindow,
  planGroups,
  projectCapacity,
  spikeBreakpoint,
  windowCapacity,
  windowDemand,
  yearsUntil,
  yearVolumeFactor,
  type CapacityInput,
} from '../../src/tco/capacity-model.ts';
import { backlogDrain, judgeSaturation, slidingMax } from '../../src/tco/measure-run.ts';
import { planQuota } from '../../lib/plans.ts';

const standard = windowCapacity(planQuota('standard'));

describe('the capacity formulas', () => {
  it('500 orders a day at 10 requests per order is 5,000 requests a day', () => {
    expect(callsPerDay(500, 10)).toBe(5_000);
    expect(callsPerDay(500, 10, 288)).toBe(5_288);
  });

  it('takes the window quota from the plans module: Standard and Plus 150, Pro 450, Enterprise unlimited', () => {
    expect(standard).toBe(150);
    expect(windowCapacity(planQuota('plus'))).toBe(150);
    expect(windowCapacity(planQuota('pro'))).toBe(450);
    expect(windowCapacity(planQuota('enterprise'))).toBe(Infinity);
    // The hourly cap binds only when it is below 120 windows' worth.
    expect(windowCapacity({ perWindow: 150, perHour: 6_000 })).toBe(50);
    expect(planGroups().map((g) => g.label)).toEqual(['Standard/Plus', 'Pro', 'Enterprise']);
  });

  it('a ten times spike at 10 requests per order on Standard breaks at 15 orders per window', () => {
    expect(spikeBreakpoint({ capacity: standard, callsPerOrder: 10, multiplier: 10 })).toEqual({ spikeOrdersPerWindow: 15, baseOrdersPerWindow: 1.5 });
    // Keeping 20% for other apps and 6 scheduled requests a window: (150 × 0.8 − 6) / 10 = 11.4.
    expect(spikeBreakpoint({ capacity: standard, callsPerOrder: 10, multiplier: 10, otherAppsShare: 0.2, scheduledPerWindow: 6 }).spikeOrdersPerWindow).toBeCloseTo(11.4, 10);
  });

  it('puts a tenth of 500 orders in the busiest hour: 50 / 120 windows ≈ 0.4167 orders a window, 4.17 requests at 10 per order', () => {
    expect(peakOrdersPerWindow(500, 0.1)).toBeCloseTo(50 / 120, 12);
    expect(windowDemand(50 / 120, 10, 0.5)).toBeCloseTo(500 / 120 + 0.5, 12);
    expect(orderCapacityPerWindow(450, { callsPerOrder: 3, otherAppsShare: 0.2 })).toBe(120);
    expect(orderCapacityPerWindow(150, { callsPerOrder: 3, otherAppsShare: 0.2, scheduledPerWindow: 200 })).toBe(0);
  });

  it('lets an integration that queues survive a bigger sale than one that drops orders', () => {
    // c = 15 orders a window, b = 1.5, a 60-minute sale (120 windows), drained within 30 minutes (60 windows).
    const sale = { capacity: 15, base: 1.5, durationWindows: 120, drainWindows: 60 };
    expect(maxFlashSaleMultiplier({ ...sale, behaviour: 'drops' })).toBe(10);
    expect(maxFlashSaleMultiplier({ ...sale, behaviour: 'unproven' })).toBe(10);
    // (15 + 60 × 13.5 / 120) / 1.5 = (15 + 6.75) / 1.5 = 14.5
    expect(maxFlashSaleMultiplier({ ...sale, behaviour: 'queues' })).toBeCloseTo(14.5, 12);
    expect(maxFlashSaleMultiplier({ ...sale, base: 20, behaviour: 'queues' })).toBe(0);
    // The inverse: the largest normal peak at which a 14.5x sale still drains in time is 1.5.
    expect(maxBaseForFlashSale({ capacity: 15, multiplier: 14.5, behaviour: 'queues', durationWindows: 120, drainWindows: 60 })).toBeCloseTo(1.5, 12);
    expect(maxBaseForFlashSale({ capacity: 15, multiplier: 10, behaviour: 'drops', durationWindows: 120, drainWindows: 60 })).toBe(1.5);
  });

  it('finds when growth reaches a limit: doubling at 100% a year takes one year, at 30% about 2.64', () => {
    expect(yearsUntil(1, 2, 1)).toBe(1);
    expect(yearsUntil(1, 2, 0.3)).toBeCloseTo(Math.log(2) / Math.log(1.3), 12);
    expect(yearsUntil(3, 2, 0.3)).toBe(0);
    expect(yearsUntil(1, 2, 0)).toBe(Infinity);
    expect(yearsUntil(1, Infinity, 0.3)).toBe(Infinity);
    // The average of year 1 at 100% growth: ∫0..1 2^t dt = 1 / ln 2.
    expect(yearVolumeFactor(1, 1)).toBeCloseTo(1 / Math.log(2), 12);
    expect(yearVolumeFactor(0, 3)).toBe(1);
  });
});

describe('the projection', () => {
  const base: CapacityInput = {
    orderDrivenPerOrder: 10,
    scheduledPerDay: 0,
    webhooksPerOrder: 3,
    behaviour: 'drops',
    ordersPerDay: 1_800,
    growth: 1,
    years: 3,
    peakHourShare: 0.1,
    otherAppsShare: 0,
    currentPlan: 'standard',
    flashSale: { multiplier: 10, durationMinutes: 60, drainWithinMinutes: 30 },
  };

  it('moves a store whose 10x sale is exactly at the Standard limit to Pro at once, and on Pro until the sale triples', () => {
    // 1,800 orders a day × 10% / 120 = 1.5 orders a window: the 10x sale needs 150 requests, all of Standard.
    const p = projectCapacity(base);
    expect(p.rows[0]!.peakOrdersPerWindow).toBeCloseTo(1.5, 12);
    expect(p.rows[0]!.flashSaleDemandPerWindow).toBeCloseTo(150, 10);
    expect(p.rows[0]!.callsPerDay).toBe(18_000);
    expect(p.rows[0]!.webhooksPerDay).toBe(5_400);
    expect(p.rows[1]!.ordersPerDay).toBe(3_600);
    const standardGroup = p.groups[0]!;
    expect(standardGroup.flashSaleOutgrownIn).toBe(0);
    // The normal peak (15 requests) reaches 150 when orders grow tenfold: log2(10) years.
    expect(standardGroup.normalDayOutgrownIn).toBeCloseTo(Math.log2(10), 12);
    // Pro holds a 10x sale up to a normal peak of 4.5 orders a window: log2(3) years.
    expect(p.groups[1]!.flashSaleOutgrownIn).toBeCloseTo(Math.log2(3), 12);
    expect(p.planSchedule.map((s) => [s.plan, s.from])).toEqual([
      ['standard', 0],
      ['pro', 0],
      ['enterprise', Math.log2(3)],
    ]);
    expect(p.rows[0]!.plans[0]).toMatchObject({ label: 'Standard/Plus', headroomShare: 0.9, maxMultiplier: 10, survivesFlashSale: true });
  });

  it('keeps the store on Standard when the integration spends a tenth of the requests and queues', () => {
    const p = projectCapacity({ ...base, orderDrivenPerOrder: 1, behaviour: 'queues' });
    expect(p.planSchedule).toHaveLength(1);
    expect(p.rows[3]!.plans[0]!.survivesFlashSale).toBe(true);
  });
});

describe('the measurements the model takes', () => {
  it('attributes requests to flows by method and path, and 204 polls to the schedule', () => {
    const cases: [string, string, string][] = [
      ['GET', '/stores/abc/v2/orders?min_id=5&limit=50', 'orders'],
      ['GET', '/stores/abc/v2/orders/12/products?limit=250', 'orders'],
      ['PUT', '/stores/abc/v2/orders/12', 'invoice-payment-status'],
      ['POST', '/stores/abc/v2/orders/12/shipments', 'shipment-tracking'],
      ['POST', '/stores/abc/v3/orders/12/payment_actions/refunds', 'returns-refunds'],
      ['GET', '/stores/abc/v3/orders/12/transactions', 'returns-refunds'],
      ['PUT', '/stores/abc/v3/inventory/adjustments/absolute', 'inventory'],
      ['PUT', '/stores/abc/v3/catalog/products', 'catalog-pricing'],
      ['GET', '/stores/abc/v3/customers?id:in=1,2', 'customers'],
      ['GET', '/stores/abc/v3/carts/09346904-4175-44fd-be53-f7e598531b6c', 'marketing-events'],
      ['GET', '/stores/abc/v3/hooks?limit=250', 'webhook-management'],
      ['GET', '/stores/abc/v2/store', 'other'],
    ];
    for (const [method, path, flow] of cases) expect(apiFlowOf(method, path), `${method} ${path}`).toBe(flow);
    expect(driverOf('orders', 'GET', 200)).toBe('orders');
    expect(driverOf('orders', 'GET', 204)).toBe('schedule');
    expect(driverOf('webhook-management', 'GET', 200)).toBe('schedule');
    expect(driverOf('inventory', 'PUT', 200)).toBe('schedule');
  });

  it('finds the busiest window and the backlog drain', () => {
    // [10 s, 40 s) holds four; [0, 30 s) only three.
    expect(slidingMax([0, 10_000, 29_999, 30_000, 31_000], 30_000)).toEqual({ count: 4, at: 10_000 });
    expect(slidingMax([], 30_000)).toEqual({ count: 0, at: null });
    const drain = backlogDrain([
      { at: 0, d: 1 },
      { at: 1, d: 1 },
      { at: 2, d: 1 },
      { at: 5, d: -1 },
      { at: 9, d: -1 },
      { at: 12, d: -1 },
    ]);
    expect(drain).toEqual({ peak: 3, peakAt: 2, drainMs: 10, leftAtEnd: 0 });
    expect(backlogDrain([{ at: 0, d: 1 }, { at: 1, d: 1 }, { at: 4, d: -1 }])).toMatchObject({ peak: 2, drainMs: null, leftAtEnd: 1 });
  });

  it('judges what the integration does at the quota from what the run showed', () => {
    expect(judgeSaturation({ lost: 85, placed: 101, quota429s: 255, ignored: 5, peakShare: 1 }).behaviour).toBe('drops');
    expect(judgeSaturation({ lost: 0, placed: 101, quota429s: 0, ignored: 0, peakShare: 0.8 }).behaviour).toBe('queues');
    expect(judgeSaturation({ lost: 0, placed: 101, quota429s: 3, ignored: 0, peakShare: 0.5 }).behaviour).toBe('queues');
    expect(judgeSaturation({ lost: 0, placed: 500, quota429s: 0, ignored: 0, peakShare: 0.15 }).behaviour).toBe('unproven');
    expect(judgeSaturation({ lost: 0, placed: 10, quota429s: 4, ignored: 2, peakShare: 1 }).behaviour).toBe('drops');
  });
});
