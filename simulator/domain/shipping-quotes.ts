/**
 * The shipping quote a storefront checkout persists on an order, one per shipping address
 * (`GET /v2/orders/{id}/shipping_addresses/{id}/shipping_quotes`, and the same quote under the
 * shipping consignment of that address). Pure: made from the address alone, with no draw from the
 * seeded faker, so giving orders quotes changes no other seeded value.
 *
 * The quote names the shipping method the order was shipped with, as the shipping family seeds it
 * (families/shipping.ts: zone 1 "United States" Flat Rate 1 and Freight 2, zone 2 "International"
 * Flat Rate 4). Static methods ("bcstatic") quote no carrier rate: `shipping_provider_quote` is an
 * empty array for them (orders.v2.oas2.yml, shippingQuotes_Base), so the quoted cost is the
 * address's own `base_cost`.
 */
import { createHash } from 'node:crypto';
import { rfc2822 } from './format.ts';
import type { OrderAggregate, ShippingQuote, V2ShippingAddress } from './model.ts';

/** The shipping family's seeded method ids, by zone and method name. */
function methodFor(address: V2ShippingAddress): { id: number; code: string } {
  if (address.shipping_method === 'Freight') return { id: 2, code: 'weight' };
  return address.country_iso2 === 'US' ? { id: 1, code: 'perorder' } : { id: 4, code: 'perorder' };
}

/** A uuid that depends only on the order and address, so the same seed gives the same quotes. */
function quoteUuid(orderId: number, addressId: number): string {
  const h = createHash('sha1').update(`shipping-quote:${orderId}:${addressId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The quote checkout left for one shipping address of a storefront order, at `at` (simulated ms). */
export function shippingQuoteFor(address: V2ShippingAddress, at: number): ShippingQuote {
  const method = methodFor(address);
  return {
    // Quote ids are strings in the document; the address id keeps them unique per store.
    id: String(address.id),
    uuid: quoteUuid(address.order_id, address.id),
    timestamp: rfc2822(at),
    shipping_provider_id: 'bcstatic',
    shipping_provider_quote: [],
    provider_code: method.code,
    carrier_code: '',
    rate_code: '',
    rate_id: '',
    method_id: method.id,
    address_id: address.id,
  };
}

/** The quote as the API answers it (without the address it belongs to). */
export function renderShippingQuote(quote: ShippingQuote): Omit<ShippingQuote, 'address_id'> {
  const { address_id: _address, ...body } = quote;
  return body;
}

/** The quotes persisted on an order: none for an API order, else one per address as checkout left it. */
export function shippingQuotesOf(agg: OrderAggregate): ShippingQuote[] {
  if (agg.shippingQuotes !== undefined) return agg.shippingQuotes;
  const at = agg.quotedAt;
  return at === undefined ? [] : agg.shippingAddresses.map((a) => shippingQuoteFor(a, at));
}
