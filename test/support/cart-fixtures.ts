/**
 * Test support for the carts and checkouts families: catalog products a cart can take (found
 * through the API, so the tests follow the seeded catalog rather than fixed ids) and the setup
 * calls of a checkout.
 */
import type { ApiResponse, TestSim } from './simulator.ts';

export interface CatalogPick {
  product_id: number;
  variant_id: number;
  price: number;
  /** For a product with variants: its variant options and a variant's value for each. */
  options?: { option_id: number; option_value: number }[];
}

async function ok(res: Promise<ApiResponse>, what: string): Promise<any> {
  const r = await res;
  if (r.status >= 300) throw new Error(`Setup ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.body;
}

async function products(sim: TestSim): Promise<any[]> {
  return (await ok(sim.api('GET', '/v3/catalog/products?include=variants,modifiers&limit=250'), 'GET /v3/catalog/products')).data;
}

const stocked = (p: any, v: any) => p.inventory_tracking === 'none' || v.inventory_level >= 20;
const noRequiredModifier = (p: any) => !(p.modifiers ?? []).some((m: any) => m.required);

/** A physical product with one variant and no options or required modifiers, in stock. */
export async function simpleProduct(sim: TestSim, skip = 0): Promise<CatalogPick> {
  const found = (await products(sim)).filter((p) => p.type === 'physical' && p.variants.length === 1 && p.variants[0].option_values.length === 0 && noRequiredModifier(p) && stocked(p, p.variants[0]) && !p.variants[0].purchasing_disabled);
  const p = found[skip];
  if (!p) throw new Error('Setup: the seeded catalog has no simple physical product in stock');
  return { product_id: p.id, variant_id: p.variants[0].id, price: p.variants[0].price ?? p.price };
}

/** A product with several variants and variant options, and one of its variants in stock. */
export async function productWithVariants(sim: TestSim): Promise<CatalogPick> {
  for (const p of await products(sim)) {
    if (p.variants.length < 2 || !noRequiredModifier(p)) continue;
    const v = p.variants.find((x: any) => x.option_values.length > 0 && stocked(p, x) && !x.purchasing_disabled);
    if (v) return { product_id: p.id, variant_id: v.id, price: v.price ?? p.price, options: v.option_values.map((o: any) => ({ option_id: o.option_id, option_value: o.id })) };
  }
  throw new Error('Setup: the seeded catalog has no product with variants in stock');
}

/** A new cart with `quantity` of a simple product; its JSON body. */
export async function newCart(sim: TestSim, quantity = 2, extra: Record<string, unknown> = {}): Promise<any> {
  const p = await simpleProduct(sim);
  return ok(sim.api('POST', '/v3/carts', { line_items: [{ product_id: p.product_id, quantity }], ...extra }), 'POST /v3/carts');
}

export const billingAddress = { first_name: 'Zoë', last_name: 'Ångström', email: 'zoe@example.com', address1: '100 Main Street', city: 'Austin', state_or_province: 'Texas', state_or_province_code: 'TX', country_code: 'US', postal_code: '78701', phone: '+15125550100' };

/** A cart whose checkout has a billing address and one consignment for its physical items; the consignment's JSON (with shipping options). */
export async function checkoutWithConsignment(sim: TestSim): Promise<{ cartId: string; consignment: any; checkout: any }> {
  const cart = (await newCart(sim)).data;
  await ok(sim.api('POST', `/v3/checkouts/${cart.id}/billing-address`, billingAddress), 'POST billing-address');
  const items = cart.line_items.physical_items.map((i: any) => ({ item_id: i.id, quantity: i.quantity }));
  const checkout = (await ok(sim.api('POST', `/v3/checkouts/${cart.id}/consignments?include=consignments.available_shipping_options`, [{ address: billingAddress, line_items: items }]), 'POST consignments')).data;
  return { cartId: cart.id, consignment: checkout.consignments[0], checkout };
}
