import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../lib/clock.ts';
import { createLedger } from '../../lib/ledger.ts';
import { CARRIABLE_LIMITS, MAX_LENGTHS, ORDER_OPTION_TYPES, UNCARRIABLE_WORST_CASE_EVERY } from '../../simulator/domain/order-profiles.ts';
import { planQuota } from '../../lib/plans.ts';
import { createQuota } from '../../simulator/domain/quota.ts';
import { generateCatalog } from '../../simulator/domain/seed.ts';
import { createStore } from '../../simulator/domain/store.ts';

const NOW = Date.UTC(2026, 10, 27, 12);

function makeStore(seed: number) {
  const clock = createVirtualClock({ scale: 0, start: NOW });
  const ledger = createLedger();
  const store = createStore({ hash: 'abc123', storeId: '1000001', plan: 'standard', seed, clock, ledger, quota: createQuota({ clock, quota: planQuota('standard') }), onWebhook: () => {}, products: 150, customers: 40, pastOrders: 20 });
  return { store, close: () => ledger.close() };
}

describe('seeded stores', () => {
  it('gives the same catalog and customers for the same seed', () => {
    expect(generateCatalog({ seed: 42, now: NOW })).toEqual(generateCatalog({ seed: 42, now: NOW }));
  });

  it('gives a different catalog for a different seed', () => {
    const a = generateCatalog({ seed: 42, now: NOW });
    const b = generateCatalog({ seed: 43, now: NOW });
    expect(a.products.map((p) => p.name)).not.toEqual(b.products.map((p) => p.name));
  });

  it('gives the same past orders and the same shopper orders for the same seed', () => {
    const one = makeStore(9);
    const two = makeStore(9);
    const snapshot = (s: typeof one.store) => [...s.orders.values()].map((o) => ({ order: { ...o.order, cart_id: '', payment_provider_id: '' }, products: o.products }));
    expect(snapshot(two.store)).toEqual(snapshot(one.store));
    const a = ['typical', 'b2b', 'worst-case'].map((p) => one.store.placeShopperOrder(p as 'typical'));
    const b = ['typical', 'b2b', 'worst-case'].map((p) => two.store.placeShopperOrder(p as 'typical'));
    expect(b.map((o) => o.products)).toEqual(a.map((o) => o.products));
    expect(b.map((o) => o.order.total_inc_tax)).toEqual(a.map((o) => o.order.total_inc_tax));
    one.close();
    two.close();
  });

  it('seeds variants with SKUs, prices and stock, and B2B customer groups', () => {
    const catalog = generateCatalog({ seed: 1, now: NOW });
    expect(catalog.variants.length).toBeGreaterThan(catalog.products.length);
    expect(new Set(catalog.variants.map((v) => v.sku)).size).toBe(catalog.variants.length);
    expect(catalog.customerGroups.filter((g) => g.discountPercent > 0).length).toBeGreaterThan(0);
    expect(catalog.customers.some((c) => c.customer_group_id > 0 && c.company !== '')).toBe(true);
  });
});

describe('order profiles', () => {
  it('builds a worst-case order with every hard case an integration meets', () => {
    const { store, close } = makeStore(3);
    const agg = store.placeShopperOrder('worst-case');
    const o = agg.order;
    expect(agg.products.length).toBeGreaterThanOrEqual(100);
    const optionTypes = new Set(agg.products.flatMap((p) => p.product_options.map((x) => x.type)));
    for (const type of ORDER_OPTION_TYPES) expect(optionTypes).toContain(type);
    expect(agg.shippingAddresses.length).toBeGreaterThanOrEqual(2);
    expect(agg.coupons.length).toBeGreaterThan(0);
    expect(Number(o.gift_certificate_amount)).toBeGreaterThan(0);
    expect(Number(o.store_credit_amount)).toBeGreaterThan(0);
    expect(agg.products.some((p) => Number(p.price_ex_tax) === 0)).toBe(true);
    expect(agg.products.some((p) => p.type === 'digital')).toBe(true);
    expect(o.total_tax).toBe('0.0000');
    const names = agg.shippingAddresses.map((a) => `${a.first_name} ${a.last_name}`).join(' ');
    expect(names).toMatch(/[\u0600-\u06FF]/); // right-to-left (Arabic)
    expect(names).toMatch(/\p{Extended_Pictographic}/u); // emoji
    expect(agg.products.some((p) => [...p.name].length === MAX_LENGTHS.productName)).toBe(true);
    expect([...o.customer_message]).toHaveLength(MAX_LENGTHS.customerMessage);
    expect(o.currency_code).not.toBe(o.store_default_currency_code);
    close();
  });

  it(`makes every ${UNCARRIABLE_WORST_CASE_EVERY}th worst-case order of a store uncarriable, counting again after a reset`, () => {
    const { store, close } = makeStore(3);
    // Uncarriable: a SKU past the ERP's 20 characters (lines[].sku, reject) and a PO past its 20 (customerPo, reject).
    const uncarriable = () =>
      Array.from({ length: UNCARRIABLE_WORST_CASE_EVERY * 2 }, () => store.placeShopperOrder('worst-case')).map((agg) => {
        const po = agg.order.billing_address.form_fields.find((f) => f.name === 'PO Number')!.value;
        return agg.products.some((p) => p.sku.length > 20) || [...po].length > CARRIABLE_LIMITS.customerPo;
      });
    const first = uncarriable();
    expect(first.flatMap((u, i) => (u ? [i + 1] : []))).toEqual([UNCARRIABLE_WORST_CASE_EVERY, UNCARRIABLE_WORST_CASE_EVERY * 2]);
    store.reset();
    expect(uncarriable()).toEqual(first);
    close();
  });

  it('builds a B2B order with group pricing, 50+ lines and a PO number form field', () => {
    const { store, close } = makeStore(4);
    const agg = store.placeShopperOrder('b2b');
    expect(agg.products.length).toBeGreaterThanOrEqual(50);
    const customer = store.customers.get(agg.order.customer_id)!;
    expect(customer.customer_group_id).toBeGreaterThan(0);
    const group = store.customerGroups.find((g) => g.id === customer.customer_group_id)!;
    const line = agg.products[0]!;
    expect(Number(line.price_ex_tax)).toBeCloseTo(Number(line.base_price) * (1 - group.discountPercent / 100), 1);
    expect(agg.order.billing_address.form_fields).toContainEqual({ name: 'PO Number', value: expect.stringMatching(/^PO-\d{8}$/) });
    close();
  });

  it('keeps order totals consistent with their lines', () => {
    const { store, close } = makeStore(5);
    for (let i = 0; i < 20; i++) {
      const agg = store.placeShopperOrder('typical');
      const sub = agg.products.reduce((s, p) => s + Number(p.total_ex_tax), 0);
      expect(Number(agg.order.subtotal_ex_tax)).toBeCloseTo(sub, 2);
      expect(Number(agg.order.total_inc_tax)).toBeCloseTo(Number(agg.order.total_ex_tax) + Number(agg.order.total_tax), 2);
      expect(agg.order.items_total).toBe(agg.products.reduce((s, p) => s + p.quantity, 0));
    }
    close();
  });

  it('draws each order from the catalog and customers as they are now, not as an earlier order saw them', () => {
    const { store, close } = makeStore(8);
    store.placeShopperOrder('typical');
    // Hidden or unavailable products (an API write or a direct edit) leave the next order's lines.
    const products = [...store.products.values()];
    const kept = products.find((p) => p.inventory_tracking === 'none' && store.variantsOf(p.id).length > 0)!;
    for (const p of products) if (p !== kept) p.is_visible = false;
    for (let i = 0; i < 5; i++) expect(new Set(store.placeShopperOrder('typical').products.map((l) => l.product_id))).toEqual(new Set([kept.id]));
    store.updateProducts([{ id: kept.id, availability: 'disabled' }]);
    expect(() => store.placeShopperOrder('typical')).toThrow(/no product in the catalog has stock left/);
    // A product made afterwards is purchasable at once.
    const made = store.createProduct({ name: 'Made after the first order', type: 'physical', sku: 'MADE-AFTER-1', price: 12, weight: 1, inventory_tracking: 'none' });
    expect(new Set(store.placeShopperOrder('typical').products.map((l) => l.product_id))).toEqual(new Set([made.id]));
    // The customer list is current too: with every other customer gone, orders go to the one registered last (or a guest).
    const [registered] = store.registerShopperCustomers(1);
    for (const c of [...store.customers.values()]) if (c !== registered) store.customers.delete(c.id);
    const customerIds = new Set(Array.from({ length: 10 }, () => store.placeShopperOrder('typical').order.customer_id));
    expect([...customerIds].every((id) => id === 0 || id === registered!.id)).toBe(true);
    expect(customerIds.has(registered!.id)).toBe(true);
    close();
  });

  it('takes stock for every tracked line of a shopper order', () => {
    const { store, close } = makeStore(6);
    const before = new Map([...store.variants.values()].map((v) => [v.id, v.inventory_level]));
    const agg = store.placeShopperOrder('typical');
    for (const line of agg.products) {
      const product = store.products.get(line.product_id)!;
      if (product.inventory_tracking === 'none') continue;
      expect(store.variants.get(line.variant_id)!.inventory_level).toBe(before.get(line.variant_id)! - line.quantity);
    }
    close();
  });
});
