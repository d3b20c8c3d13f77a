/**
 * Reading BigCommerce records the way the mapping specs need them, in as few calls as possible.
 *
 * Orders: one `GET /v2/orders?min_id&max_id&limit=250&include=consignments.line_items&
 * consignment_structure=object` returns up to 250 orders with their lines and shipping addresses
 * (facts section d), instead of three calls per order (the order, /products, /shipping_addresses).
 * The consignment line items are capped at 50 per consignment with a `__warning__` (bigcommerce
 * docs issue #960), so an order whose consignments do not account for every unit (items_total)
 * gets its lines from `/orders/{id}/products`: only those orders pay the extra call.
 *
 * The assembled source has the shape the specs read (`source.read` in each spec): the order's
 * fields, `products` (the order products, by id) and `shipping_addresses`.
 */
import type { BcClient } from './bc-client.ts';
import type { ApiLane } from './limiter.ts';

export const PAGE_LIMIT = 250;
export const ORDER_INCLUDE = 'include=consignments.line_items&consignment_structure=object';

type Json = Record<string, any>;

export class UnexpectedAnswer extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Failed to ${call}: HTTP ${status} ${JSON.stringify(body)?.slice(0, 300) ?? ''}`);
    this.name = 'UnexpectedAnswer';
  }
}

/** Sorted ids in chunks whose span fits one page: each chunk is one `min_id..max_id` call. */
export function planIdRanges(ids: number[], span = PAGE_LIMIT): { min: number; max: number; ids: number[] }[] {
  const sorted = [...new Set(ids)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
  const out: { min: number; max: number; ids: number[] }[] = [];
  for (const id of sorted) {
    const last = out.at(-1);
    if (last && id - last.min < span) {
      last.max = id;
      last.ids.push(id);
    } else out.push({ min: id, max: id, ids: [id] });
  }
  return out;
}

const isLine = (x: unknown): x is Json => typeof x === 'object' && x !== null && 'sku' in x && 'quantity' in x;

/** An order from the list with consignments, as the specs' source; `complete` when every unit is there. */
export function assembleOrder(raw: Json): { source: Json; complete: boolean } {
  const { consignments, ...order } = raw;
  const c: Json = Array.isArray(consignments) ? (consignments[0] ?? {}) : (consignments ?? {});
  const shipping: Json[] = c.shipping ?? [];
  const groups: Json[] = [...shipping, ...(c.downloads ?? []), ...(c.pickups ?? []), ...(c.email?.gift_certificates ?? [])];
  let complete = groups.every((g) => g.__warning__ === undefined);
  const lines: Json[] = [];
  for (const g of groups) {
    const items: unknown[] = Array.isArray(g.line_items) ? g.line_items : g.line_items ? [g.line_items] : [];
    for (const item of items) {
      if (isLine(item)) lines.push(item);
      else complete = false;
    }
  }
  const units = lines.reduce((s, l) => s + Number(l.quantity ?? 0), 0);
  if (typeof order.items_total === 'number' && units !== order.items_total) complete = false;
  const byId = new Map(lines.map((l) => [l.id, l]));
  const products = [...byId.values()].sort((a, b) => a.id - b.id);
  const addresses = shipping.map(({ line_items: _l, __warning__: _w, ...a }) => a);
  return { source: { ...order, products, shipping_addresses: addresses }, complete };
}

/** Every line of an order, page by page (an order can have more than 250). */
export async function fetchOrderProducts(bc: BcClient, lane: ApiLane, orderId: number): Promise<Json[] | undefined> {
  const lines: Json[] = [];
  for (let page = 1; ; page++) {
    const res = await bc.request(lane, 'GET', `/v2/orders/${orderId}/products?limit=${PAGE_LIMIT}&page=${page}`);
    if (res.status === 404) return undefined;
    if (res.status === 204) break;
    if (res.status !== 200 || !Array.isArray(res.body)) throw new UnexpectedAnswer(`read the lines of order ${orderId}`, res.status, res.body);
    lines.push(...(res.body as Json[]));
    if (res.body.length < PAGE_LIMIT) break;
  }
  return lines;
}

/** Complete the orders whose consignments did not carry every line. */
export async function completeOrders(bc: BcClient, lane: ApiLane, raws: Json[]): Promise<{ sources: Json[]; extraCalls: number }> {
  const sources: Json[] = [];
  let extraCalls = 0;
  for (const raw of raws) {
    const { source, complete } = assembleOrder(raw);
    if (!complete) {
      extraCalls++;
      const lines = await fetchOrderProducts(bc, lane, source.id);
      if (!lines) continue;
      source.products = [...lines].sort((a, b) => a.id - b.id);
    }
    sources.push(source);
  }
  return { sources, extraCalls };
}

/** Orders by id: one call per id range; ids not returned were deleted or archived. */
export async function fetchOrdersByIds(bc: BcClient, ids: number[]): Promise<{ sources: Json[]; calls: number }> {
  const sources: Json[] = [];
  let calls = 0;
  for (const range of planIdRanges(ids)) {
    calls++;
    const res = await bc.request('orders', 'GET', `/v2/orders?min_id=${range.min}&max_id=${range.max}&limit=${PAGE_LIMIT}&sort=id:asc&${ORDER_INCLUDE}`);
    if (res.status === 204) continue;
    if (res.status !== 200 || !Array.isArray(res.body)) throw new UnexpectedAnswer(`list orders ${range.min}..${range.max}`, res.status, res.body);
    const wanted = new Set(range.ids);
    const { sources: got, extraCalls } = await completeOrders(bc, 'orders', (res.body as Json[]).filter((o) => wanted.has(o.id)));
    calls += extraCalls;
    sources.push(...got);
  }
  return { sources, calls };
}

export async function fetchRefunds(bc: BcClient, orderId: number): Promise<Json[] | undefined> {
  const res = await bc.request('orders', 'GET', `/v3/orders/${orderId}/payment_actions/refunds`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new UnexpectedAnswer(`read the refunds of order ${orderId}`, res.status, res.body);
  return ((res.body as Json)?.data ?? []) as Json[];
}

/** Customers by id with their addresses, up to 250 per call. */
export async function fetchCustomers(bc: BcClient, ids: number[]): Promise<{ customers: Json[]; calls: number }> {
  const customers: Json[] = [];
  let calls = 0;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += PAGE_LIMIT) {
    const chunk = sorted.slice(i, i + PAGE_LIMIT);
    calls++;
    const res = await bc.request('customers', 'GET', `/v3/customers?id:in=${chunk.join(',')}&include=addresses&limit=${PAGE_LIMIT}`);
    if (res.status !== 200) throw new UnexpectedAnswer(`read customers ${chunk[0]}..${chunk.at(-1)}`, res.status, res.body);
    customers.push(...(((res.body as Json)?.data ?? []) as Json[]));
  }
  return { customers, calls };
}

export async function fetchCart(bc: BcClient, id: string): Promise<Json | undefined> {
  const res = await bc.request('carts', 'GET', `/v3/carts/${encodeURIComponent(id)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new UnexpectedAnswer(`read cart ${id}`, res.status, res.body);
  return (res.body as Json)?.data as Json;
}

/** RFC-2822 or ISO date text to epoch ms (NaN when it is neither). */
export const dateMs = (text: unknown) => (typeof text === 'string' ? Date.parse(text) : Number.NaN);
