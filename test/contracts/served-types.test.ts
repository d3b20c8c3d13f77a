/**
 * The served shapes are typed by the contracts (issue 13). The type assertions here are checked by
 * `tsc --noEmit -p .` (part of `npm test`): dropping a renderer's contract return type, widening a
 * stored field past its contract, or renaming a field on one side only fails the compile. The
 * runtime tests keep the named departures honest: each must still be needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type {
  Cart as CartContract,
  Customer,
  Hook as HookContract,
  Order,
  OrderFee as OrderFeeContract,
  OrderProduct,
  Product,
  Refund as RefundContract,
  Shipment,
  ShippingAddress,
  Variant,
  WebhookPayload as WebhookPayloadContract,
} from '../../contracts/generated/index.ts';
import type { Departing, KnownKeys, OmitKnown, StripIndex } from '../../contracts/known-keys.ts';
import type { Hook, OrderFee, Refund, V2Order, V2OrderProduct, V2Shipment, V2ShippingAddress, V3Customer, V3Product, V3Variant } from '../../simulator/domain/model.ts';
import { buildWebhookPayload } from '../../simulator/domain/webhooks/payload.ts';
import { renderCart } from '../../simulator/families/carts.ts';
import type { ServedOrder } from '../../simulator/http/routes/v2-orders.ts';
import { PRODUCT_DEFAULTS, type ServedProduct, type ServedVariant } from '../../simulator/http/routes/v3-catalog.ts';
import { renderHook } from '../../simulator/http/routes/v3-hooks.ts';
import { startTestSim, type TestSim } from '../support/simulator.ts';

const contractsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../contracts/bigcommerce');
const requiredOf = (name: string): string[] => JSON.parse(fs.readFileSync(path.join(contractsDir, `${name}.schema.json`), 'utf8')).required;

interface Open {
  id: number;
  name?: string;
  readonly code: string;
  [k: string]: unknown;
}

describe('the key helpers', () => {
  it('strip the index signature and keep the declared keys with their modifiers', () => {
    expectTypeOf<KnownKeys<Open>>().toEqualTypeOf<'id' | 'name' | 'code'>();
    expectTypeOf<StripIndex<Open>>().toEqualTypeOf<{ id: number; name?: string; readonly code: string }>();
    // Plain Omit loses every declared key on a type with an index signature; OmitKnown does not.
    expectTypeOf<keyof Omit<Open, 'id'>>().toEqualTypeOf<string | number>();
    expectTypeOf<OmitKnown<Open, 'id'>>().toEqualTypeOf<{ name?: string; readonly code: string }>();
    expectTypeOf<Departing<Open, { id: string }>>().toHaveProperty('id').toEqualTypeOf<string>();
    expectTypeOf<Departing<Open, { id: string }>['code']>().toEqualTypeOf<string>();
  });
});

describe('renderers return the contract types', () => {
  it('hooks, carts and webhook payloads are the contract', () => {
    expectTypeOf(renderHook).returns.toEqualTypeOf<HookContract>();
    expectTypeOf(renderCart).returns.toEqualTypeOf<CartContract>();
    expectTypeOf(buildWebhookPayload).returns.toExtend<WebhookPayloadContract>();
  });

  it('orders, products and variants are the contract with their named departures only', () => {
    expectTypeOf<ServedOrder>().toExtend<Departing<Order, { payment_status: string; consignments?: unknown }>>();
    expectTypeOf<ServedOrder['payment_status']>().toEqualTypeOf<string>();
    expectTypeOf<ServedVariant>().toExtend<Departing<Variant, { map_price: number | null }>>();
    expectTypeOf<ServedVariant['map_price']>().toEqualTypeOf<number | null>();
    expectTypeOf<ServedVariant['sku']>().toEqualTypeOf<Variant['sku']>();
    expectTypeOf<ServedProduct>().toExtend<Departing<Product, { variants?: ServedVariant[] }>>();
    expectTypeOf<ServedProduct['price']>().toEqualTypeOf<Product['price']>();
  });
});

describe('stored models fit the contracts they are served as', () => {
  it('models derived from the contracts are the contract without its index signature', () => {
    expectTypeOf<Hook>().toEqualTypeOf<StripIndex<HookContract>>();
    expectTypeOf<OrderFee>().toEqualTypeOf<StripIndex<OrderFeeContract>>();
    expectTypeOf<V2Shipment>().toExtend<Shipment>();
    expectTypeOf<StripIndex<Shipment>>().toExtend<V2Shipment>();
  });

  it('written-out models are narrower than their contracts, never wider', () => {
    expectTypeOf<V2OrderProduct>().toExtend<OrderProduct>();
    expectTypeOf<V2ShippingAddress & { shipping_quotes: { url: string; resource: string } }>().toExtend<ShippingAddress>();
    expectTypeOf<Refund>().toExtend<RefundContract>();
    expectTypeOf<V3Customer>().toExtend<Customer>();
    expectTypeOf<V3Variant>().toExtend<ServedVariant>();
    expectTypeOf<V3Product & typeof PRODUCT_DEFAULTS>().toExtend<ServedProduct>();
    expectTypeOf<V2Order>().toExtend<Departing<Order, { payment_status: string; products?: unknown; shipping_addresses?: unknown; coupons?: unknown }>>();
  });
});

describe('the named departures are still needed', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ plan: 'enterprise', products: 3, customers: 0, pastOrders: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('a served product has every field the contract requires, those the store keeps no state for at their defaults', async () => {
    const { status, body } = await sim.api('GET', '/v3/catalog/products?limit=1');
    expect(status).toBe(200);
    const product = body.data[0] as Record<string, unknown>;
    const missing = requiredOf('product').filter((field) => !(field in product));
    expect(missing, 'required by contracts/bigcommerce/product.schema.json but not served').toEqual([]);
    expect(product).toMatchObject(PRODUCT_DEFAULTS);
    expect(Object.keys(PRODUCT_DEFAULTS).length).toBe(31);
  });

  it('variants are still served with a null map_price (ServedVariant)', async () => {
    const { status, body } = await sim.api('GET', '/v3/catalog/variants?limit=250');
    expect(status).toBe(200);
    expect((body.data as { map_price: unknown }[]).some((v) => v.map_price === null)).toBe(true);
  });
});
