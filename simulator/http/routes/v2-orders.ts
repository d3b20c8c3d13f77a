/**
 * Orders V2 (orders.v2.oas2.yml): bare objects and arrays, array errors, 4-decimal money strings
 * and RFC-2822 dates. Lists take the platform's filters; `limit` is at most 250 (the older V2 docs;
 * the current spec states no maximum), default 50.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { renameFields, type FaultPlan } from '../../domain/faults.ts';
import { parseDateFilter } from '../../domain/format.ts';
import type { Order, OrderConsignments, OrderProduct, ResourceLink, Shipment, ShippingAddress } from '../../../contracts/generated/index.ts';
import type { Departing } from '../../../contracts/known-keys.ts';
import type { OrderAggregate, V2OrderProduct, V2Shipment, V2ShippingAddress } from '../../domain/model.ts';
import { ORDER_STATUSES, statusById } from '../../domain/order-statuses.ts';
import type { Simulator } from '../../domain/simulator.ts';
import { renderShippingQuote, shippingQuotesOf } from '../../domain/shipping-quotes.ts';
import type { OrderFilter } from '../../domain/store.ts';
import { HttpError } from '../errors.ts';
import { handle, locals, requireScope } from '../middleware.ts';
import { createOrderJsonCache, utf8Bytes, type OrderJsonCache } from '../order-cache.ts';
import { idParam, parseBody, parseQuery } from '../validation.ts';

const dateFilter = z
  .string()
  .transform((value, ctx) => {
    const ms = parseDateFilter(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not an RFC-2822 or ISO-8601 date` });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

const intFilter = z.coerce.number().int().min(0).optional();

const listQuery = z.object({
  min_id: intFilter,
  max_id: intFilter,
  min_total: z.coerce.number().optional(),
  max_total: z.coerce.number().optional(),
  customer_id: intFilter,
  email: z.string().optional(),
  status_id: intFilter,
  cart_id: z.string().optional(),
  payment_method: z.string().optional(),
  channel_id: intFilter,
  external_order_id: z.string().optional(),
  min_date_created: dateFilter,
  max_date_created: dateFilter,
  min_date_modified: dateFilter,
  max_date_modified: dateFilter,
  is_deleted: z.enum(['true', 'false']).optional(),
  sort: z
    .string()
    .regex(/^(id|customer_id|date_created|date_modified|status_id|channel_id|external_id)(:(asc|desc))?$/, 'must be one of id, customer_id, date_created, date_modified, status_id, channel_id, external_id, optionally with :asc or :desc')
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(250, 'must be at most 250').default(50),
  include: z.string().optional(),
  consignment_structure: z.enum(['object']).optional(),
});

/** GET /orders/{id}: an unknown consignment_structure is ignored (the array structure), as before. */
const orderQuery = z.object({ include: z.string().optional(), consignment_structure: z.string().optional() }).loose();

const address = z.object({
  first_name: z.string().max(255).default(''),
  last_name: z.string().max(255).default(''),
  company: z.string().max(255).default(''),
  street_1: z.string().max(255).default(''),
  street_2: z.string().max(255).default(''),
  city: z.string().max(255).default(''),
  state: z.string().max(255).default(''),
  zip: z.string().min(2, 'must be two or more characters').max(30),
  country: z.string().max(255).default(''),
  country_iso2: z.string().length(2).default('US'),
  phone: z.string().max(50).default(''),
  email: z.string().max(255).default(''),
});

/** Money in a fee: a number or a numeric string ("Float, Float-As-String, Integer", orders.v2.oas2.yml). */
const feeMoney = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'must be a number or a numeric string').transform(Number)]);

/** One fee of a POST or PUT (orderFees_Post / orderFees_Put); the cross-field rules are in domain/order-fees.ts. */
const feeBody = z.object({
  id: z.number().int().positive().optional(),
  type: z.literal('custom_fee', 'must be custom_fee').optional(),
  display_name_customer: z.string().min(1).max(255).optional(),
  display_name_merchant: z.string().min(1).max(255).optional(),
  source: z.string().max(255).optional(),
  cost_ex_tax: feeMoney.optional(),
  cost_exc_tax: feeMoney.optional(),
  cost_inc_tax: feeMoney.optional(),
  cost_tax: feeMoney.optional(),
  tax_class_id: z.number().int().min(0).nullable().optional(),
});

const createOrderBody = z.object({
  customer_id: z.number().int().min(0).optional(),
  status_id: z.number().int().min(0).max(14).optional(),
  billing_address: address.extend({ form_fields: z.array(z.object({ name: z.string(), value: z.string() })).optional() }),
  shipping_addresses: z.array(address).optional(),
  products: z
    .array(
      z.union([
        z.object({ product_id: z.number().int().positive(), quantity: z.number().int().positive(), variant_id: z.number().int().positive().optional() }),
        z.object({ name: z.string().min(1).max(250), quantity: z.number().int().positive(), price_inc_tax: z.number().min(0), price_ex_tax: z.number().min(0), sku: z.string().optional() }),
      ]),
    )
    .min(1, 'at least one product is required'),
  customer_message: z.string().optional(),
  staff_notes: z.string().optional(),
  external_source: z.string().optional(),
  external_id: z.string().optional(),
  external_order_id: z.string().optional(),
  payment_method: z.string().optional(),
  channel_id: z.number().int().positive().optional(),
  // A new order has no fee to update: a fee with an id is refused by the fee rules (domain/order-fees.ts).
  fees: z.array(feeBody).optional(),
});

const updateOrderBody = z
  .object({
    status_id: z.number().int().min(0).max(14).optional(),
    customer_message: z.string().optional(),
    staff_notes: z.string().optional(),
    external_id: z.string().nullable().optional(),
    external_source: z.string().nullable().optional(),
    external_order_id: z.string().optional(),
    payment_status: z.string().optional(),
    billing_address: address.partial().optional(),
    is_deleted: z.boolean().optional(),
    // Fees replace the order's (PUT semantics): see domain/order-fees.ts.
    fees: z.array(feeBody).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field is required' });

const shipmentBody = z.object({
  order_address_id: z.number().int().positive(),
  items: z.array(z.object({ order_product_id: z.number().int().positive(), quantity: z.number().int().positive() })).min(1),
  tracking_number: z.string().max(50).optional(),
  tracking_carrier: z.string().optional(),
  tracking_link: z.string().max(500).optional(),
  shipping_method: z.string().optional(),
  shipping_provider: z.string().optional(),
  comments: z.string().optional(),
  merchant_shipping_cost: z.string().optional(),
});

const shipmentUpdateBody = shipmentBody.omit({ order_address_id: true, items: true }).partial();

/** shippingAddress_Put: the address fields, `shipping_method` and `form_fields`; costs and counts are not writable. */
const shippingAddressFields = address
  .partial()
  .extend({ zip: z.string().min(2, 'must be two or more characters').max(30).optional(), shipping_method: z.string().max(250).optional(), form_fields: z.array(z.object({ name: z.string(), value: z.string() })).optional() });
const shippingAddressBody = shippingAddressFields.refine((b) => Object.keys(b).length > 0, { message: 'at least one field is required' });

/** A field the document's address update does not take is refused with the platform's message (orders.v2.oas2.yml, 400 example). */
function refuseUnwritable(body: unknown, writable: readonly string[]): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const field = Object.keys(body).find((k) => !writable.includes(k));
  if (field) throw new HttpError(400, `The field '${field}' cannot be written to. Please remove it from your request before trying again.`, { [field]: 'cannot be written to' });
}

const consignmentsQuery = z.object({ include: z.string().optional() }).loose();

/**
 * An order as served. Two known departures from the contract (contracts/bigcommerce/order.schema.json):
 * - `payment_status` can be any string: PUT /v2/orders takes one and stores it as sent, while the
 *   contract (order_RespOnly) lists the values the platform answers with. order_Put has no
 *   payment_status at all.
 * - `consignments` without consignment_structure=object is the legacy array of consignments
 *   (bigcommerce-facts.md section d), which neither the spec nor the contract describes.
 */
export type ServedOrder = Departing<Order, { payment_status: string; consignments?: Order['consignments'] | OrderConsignments[] }>;

/** Where an order's links point: the request's own protocol and Host, so a client follows them back here. */
export function baseUrl(req: Request): string {
  return v2BaseUrl(req.protocol, req.get('host'), String(req.params.storeHash));
}

/** baseUrl from its parts (the fast order read has no express request: fast-order-read.ts). */
export function v2BaseUrl(protocol: string, host: string | undefined, storeHash: string): string {
  return `${protocol}://${host}/stores/${storeHash}/v2`;
}

const link = (base: string, resource: string): ResourceLink => ({ url: `${base}${resource}`, resource });

/**
 * An order's consignments (orderConsignment_Get): one shipping consignment per shipping address
 * (its id is the address id, so /consignments/shipping/{id}/shipping_quotes is that address's
 * quote), the digital lines as one download consignment, no pickups (not modelled).
 */
export function renderConsignments(base: string, agg: OrderAggregate, withLines: boolean) {
  const o = agg.order;
  const shipping = agg.shippingAddresses.map((a) => {
    const lines = agg.products.filter((p) => p.order_address_id === a.id);
    // Consignment line items are capped at 50 (bigcommerce/docs issue #960).
    const capped = lines.slice(0, 50);
    return {
      ...a,
      base_cost: Number(a.base_cost),
      cost_ex_tax: Number(a.cost_ex_tax),
      cost_inc_tax: Number(a.cost_inc_tax),
      cost_tax: Number(a.cost_tax),
      base_handling_cost: Number(a.base_handling_cost),
      handling_cost_ex_tax: Number(a.handling_cost_ex_tax),
      handling_cost_inc_tax: Number(a.handling_cost_inc_tax),
      handling_cost_tax: Number(a.handling_cost_tax),
      line_items: withLines ? capped : capped.map((p) => link(base, `/orders/${o.id}/products/${p.id}`)),
      shipping_quotes: link(base, `/orders/${o.id}/consignments/shipping/${a.id}/shipping_quotes`),
      ...(lines.length > 50 ? { __warning__: 'Consignment line items are limited to 50. Use /orders/{id}/products for the full list.' } : {}),
    };
  });
  const downloads = agg.products.filter((p) => p.type === 'digital');
  // With consignments.line_items the digital consignment carries the order products too
  // (digitalConsignment_Get.line_items is links or orderProducts; the parameter "includes the
  // response of /orders/{id}/products in consignments"), capped like the shipping ones.
  const cappedDownloads = downloads.slice(0, 50);
  return {
    pickups: [],
    shipping,
    downloads:
      downloads.length > 0
        ? [
            {
              recipient_email: o.billing_address.email,
              line_items: withLines ? cappedDownloads : cappedDownloads.map((p) => link(base, `/orders/${o.id}/products/${p.id}`)),
              ...(downloads.length > 50 ? { __warning__: 'Consignment line items are limited to 50. Use /orders/{id}/products for the full list.' } : {}),
            },
          ]
        : [],
    email: { gift_certificates: [] },
  };
}

export interface OrderRendering {
  /** baseUrl(req) of the request. */
  base: string;
  /** The fault plan in force (it may rename fields). */
  plan: FaultPlan;
  include?: readonly string[];
  /** consignment_structure=object. */
  objectStructure?: boolean;
}

/** An order as served, built fresh (a pure function of the order and the rendering). */
export function renderOrder(agg: OrderAggregate, { base, plan, include = [], objectStructure = false }: OrderRendering): ServedOrder {
  const o = agg.order;
  const body: ServedOrder = {
    ...o,
    products: { url: `${base}/orders/${o.id}/products`, resource: `/orders/${o.id}/products` },
    shipping_addresses: { url: `${base}/orders/${o.id}/shipping_addresses`, resource: `/orders/${o.id}/shipping_addresses` },
    coupons: { url: `${base}/orders/${o.id}/coupons`, resource: `/orders/${o.id}/coupons` },
  };
  if (include.includes('consignments') || include.includes('consignments.line_items')) {
    const consignment = renderConsignments(base, agg, include.includes('consignments.line_items'));
    body.consignments = objectStructure ? consignment : [consignment];
  }
  // The fees are a link to /orders/{id}/fees unless asked for (order_RespOnly.fees: orderFees_Resource or the list).
  body.fees = include.includes('fees') ? o.fees : link(base, `/orders/${o.id}/fees`);
  return renameFields(plan, 'order', body);
}

/**
 * An order's JSON as UTF-8 bytes, from the cache when it was built for this order revision, plan,
 * base URL and variant (order-cache.ts), otherwise rendered, encoded and kept. Byte for byte what
 * `JSON.stringify(renderOrder(...))` encodes to (test/simulator/order-cache.test.ts).
 */
export function orderJson(cache: OrderJsonCache, agg: OrderAggregate, rendering: OrderRendering): Buffer {
  const include = rendering.include ?? [];
  const variant = include.length === 0 && !rendering.objectStructure ? '' : `${include.join(',')}|${rendering.objectStructure ? 'object' : 'array'}`;
  const cached = cache.get(agg, rendering.plan, rendering.base, variant);
  if (cached !== undefined) return cached;
  const bytes = utf8Bytes(JSON.stringify(renderOrder(agg, rendering)));
  cache.set(agg, rendering.plan, rendering.base, variant, bytes);
  return bytes;
}

/** Real ms of rendering a list page before the event loop is let go (see the list route). */
const RENDER_SLICE_MS = 5;

// The punctuation of a list body, encoded once.
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * The JSON array of the orders' JSON: what `JSON.stringify` of the array gives (its elements' JSON
 * joined by commas), put together from the cached bytes with one copy, never as a string.
 */
export function orderListJson(orders: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  for (let i = 0; i < orders.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(orders[i]!);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/** What `res.json` declares. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Send JSON bytes with the headers and bytes `res.json` gives (`Content-Type: application/json;
 * charset=utf-8`, `Content-Length`, no body for HEAD), without what `res.send` does on every call
 * that a fixed JSON answer does not need: look up and re-parse the Content-Type, encode the text.
 * A conditional request, or an app with ETags on, takes express's own path, so a 304 is decided as
 * before; the Content-Type is set first, since `res.send` of a Buffer would otherwise declare
 * application/octet-stream.
 */
export function sendJsonBytes(req: Request, res: Response, bytes: Buffer): void {
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined || req.app.get('etag fn')) {
    res.send(bytes);
    return;
  }
  res.setHeader('Content-Length', String(bytes.length));
  if (req.method === 'HEAD') res.end();
  else res.end(bytes);
}

export function createV2OrdersRouter(sim: Simulator, options: { orderCache?: OrderJsonCache } = {}): Router {
  const router = Router({ mergeParams: true });
  const cache = options.orderCache ?? createOrderJsonCache();
  // The renderers return the contract types (contracts/generated), so a stored field the contract
  // does not allow, or a rendered field it requires and the route forgets, fails the compile.
  const renderOrderProduct = (plan: FaultPlan, p: V2OrderProduct): OrderProduct => renameFields(plan, 'order_product', p);
  const renderShippingAddress = (req: Request, a: V2ShippingAddress): ShippingAddress => ({ ...a, shipping_quotes: link(baseUrl(req), `/orders/${a.order_id}/shipping_addresses/${a.id}/shipping_quotes`) });

  const sendOrder = (req: Request, res: Response, agg: OrderAggregate, include: string[] = [], objectStructure = false) => {
    sendJsonBytes(req, res, orderJson(cache, agg, { base: baseUrl(req), plan: sim.faults(), include, objectStructure }));
  };

  const orders = requireScope('store_v2_orders');

  router.get(
    '/orders',
    orders,
    handle(async (req, res) => {
      const q = parseQuery(listQuery, req.query, 400);
      const [field, dir] = (q.sort ?? 'id:asc').split(':') as [NonNullable<OrderFilter['sort']>['field'], 'asc' | 'desc' | undefined];
      const list = locals(res).store.listOrders({
        minId: q.min_id,
        maxId: q.max_id,
        minTotal: q.min_total,
        maxTotal: q.max_total,
        customerId: q.customer_id,
        email: q.email,
        statusId: q.status_id,
        cartId: q.cart_id,
        paymentMethod: q.payment_method,
        channelId: q.channel_id,
        externalOrderId: q.external_order_id,
        minDateCreated: q.min_date_created,
        maxDateCreated: q.max_date_created,
        minDateModified: q.min_date_modified,
        maxDateModified: q.max_date_modified,
        deleted: q.is_deleted === 'true',
        sort: { field, dir: dir ?? 'asc' },
      });
      const page = list.slice((q.page - 1) * q.limit, q.page * q.limit);
      if (page.length === 0) {
        // An empty page answers 204 like the other V2 collections (not confirmed for /orders).
        res.status(204).end();
        return;
      }
      const include = (q.include ?? '').split(',').filter(Boolean);
      const rendering: OrderRendering = { base: baseUrl(req), plan: sim.faults(), include, objectStructure: q.consignment_structure === 'object' };
      // A page of orders not read since they changed is rendered in slices with the event loop let
      // go between them: 250 heavy orders take tens of milliseconds to render, during which the
      // simulator would answer nobody else (issue 15). A page of cached orders takes no slice.
      const bodies: Buffer[] = [];
      let sliceStarted = performance.now();
      for (const agg of page) {
        bodies.push(orderJson(cache, agg, rendering));
        if (performance.now() - sliceStarted > RENDER_SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStarted = performance.now();
        }
      }
      if (res.destroyed) return;
      sendJsonBytes(req, res, orderListJson(bodies));
    }),
  );

  router.get(
    '/orders/count',
    orders,
    handle((_req, res) => {
      res.json(locals(res).store.countOrders());
    }),
  );

  router.get(
    '/orders/:id',
    orders,
    handle((req, res) => {
      const q = parseQuery(orderQuery, req.query, 400);
      // An archived order stays readable, with is_deleted true (orders.v2.oas2.yml, order is_deleted).
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      const include = (q.include ?? '').split(',').filter(Boolean);
      sendOrder(req, res, agg, include, q.consignment_structure === 'object');
    }),
  );

  router.post(
    '/orders',
    orders,
    handle((req, res) => {
      const body = parseBody(createOrderBody, req.body, 400);
      const agg = locals(res).store.createOrder(body);
      res.status(201);
      sendOrder(req, res, agg);
    }),
  );

  router.put(
    '/orders/:id',
    orders,
    handle((req, res) => {
      const id = idParam(req.params.id as string, 'order');
      const body = parseBody(updateOrderBody, req.body, 400);
      if (body.status_id !== undefined && !statusById(body.status_id)) throw new HttpError(400, `The status_id ${body.status_id} is not a valid order status.`, { status_id: 'unknown status' });
      const agg = locals(res).store.updateOrder(id, body);
      sendOrder(req, res, agg);
    }),
  );

  router.delete(
    '/orders',
    orders,
    handle((_req, res) => {
      // "Archives all orders" (orders.v2.oas2.yml deleteOrders): archived, still readable, each raising store/order/archived.
      locals(res).store.archiveAllOrders();
      res.status(204).end();
    }),
  );

  router.delete(
    '/orders/:id',
    orders,
    handle((req, res) => {
      locals(res).store.archiveOrder(idParam(req.params.id as string, 'order'));
      res.status(204).end();
    }),
  );

  router.get(
    '/orders/:id/products',
    orders,
    handle((req, res) => {
      const q = parseQuery(z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(250).default(50) }).loose(), req.query, 400);
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      const plan = sim.faults();
      res.json(agg.products.slice((q.page - 1) * q.limit, q.page * q.limit).map((p) => renderOrderProduct(plan, p)));
    }),
  );

  router.get(
    '/orders/:id/products/:productId',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      const line = agg.products.find((p) => p.id === idParam(req.params.productId as string, 'order product'));
      if (!line) throw new HttpError(404, 'The requested order product was not found.');
      res.json(renderOrderProduct(sim.faults(), line));
    }),
  );

  router.get(
    '/orders/:id/shipping_addresses',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      res.json(agg.shippingAddresses.map((a) => renderShippingAddress(req, a)));
    }),
  );

  router.get(
    '/orders/:id/shipping_addresses/:addressId',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      const a = agg.shippingAddresses.find((x) => x.id === idParam(req.params.addressId as string, 'shipping address'));
      if (!a) throw new HttpError(404, 'The requested shipping address was not found.');
      res.json(renderShippingAddress(req, a));
    }),
  );

  router.put(
    '/orders/:id/shipping_addresses/:addressId',
    orders,
    handle((req, res) => {
      const orderId = idParam(req.params.id as string, 'order');
      const addressId = idParam(req.params.addressId as string, 'shipping address');
      refuseUnwritable(req.body, Object.keys(shippingAddressFields.shape));
      const body = parseBody(shippingAddressBody, req.body, 400);
      const a = locals(res).store.updateShippingAddress(orderId, addressId, body);
      res.json(renderShippingAddress(req, a));
    }),
  );

  /**
   * The quote persisted for one shipping address (= shipping consignment): 204 when the order has
   * none, as for orders made through the API or control panel (orders.v2.oas2.yml).
   */
  const sendQuote = (res: Response, agg: OrderAggregate, addressId: number, what: string) => {
    if (!agg.shippingAddresses.some((a) => a.id === addressId)) throw new HttpError(404, `The requested ${what} was not found.`);
    const quote = shippingQuotesOf(agg).find((q) => q.address_id === addressId);
    if (!quote) {
      res.status(204).end();
      return;
    }
    res.json(renderShippingQuote(quote));
  };

  router.get(
    '/orders/:id/shipping_addresses/:addressId/shipping_quotes',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      sendQuote(res, agg, idParam(req.params.addressId as string, 'shipping address'), 'shipping address');
    }),
  );

  router.get(
    '/orders/:id/consignments',
    orders,
    handle((req, res) => {
      const q = parseQuery(consignmentsQuery, req.query, 400);
      const include = (q.include ?? '').split(',').filter(Boolean);
      const unknown = include.filter((i) => i !== 'consignments.line_items');
      if (unknown.length > 0) throw new HttpError(400, `Invalid query parameter include: ${unknown.join(', ')} is not an include of consignments. Use include=consignments.line_items.`, { include: 'must be consignments.line_items' });
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      res.json(renderConsignments(baseUrl(req), agg, include.includes('consignments.line_items')));
    }),
  );

  router.get(
    '/orders/:id/consignments/shipping/:consignmentId/shipping_quotes',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      sendQuote(res, agg, idParam(req.params.consignmentId as string, 'shipping consignment'), 'shipping consignment');
    }),
  );

  router.get(
    '/orders/:id/fees',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      // The document's example answers `{fees: [...]}` (its schema names a single fee): see the conformance row.
      res.json({ fees: agg.order.fees });
    }),
  );

  router.get(
    '/orders/:id/coupons',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      if (agg.coupons.length === 0) {
        res.status(204).end();
        return;
      }
      res.json(agg.coupons);
    }),
  );

  const renderShipment = (s: V2Shipment): Shipment => renameFields(sim.faults(), 'shipment', s);

  router.get(
    '/orders/:id/shipments',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      // GET shipments answers 204 when none exist (orders.v2.oas2.yml, 2024-08).
      if (agg.shipments.length === 0) {
        res.status(204).end();
        return;
      }
      res.json(agg.shipments.map(renderShipment));
    }),
  );

  router.delete(
    '/orders/:id/shipments',
    orders,
    handle((req, res) => {
      // "Deletes all shipments associated with an order", each as a single delete (store/shipment/deleted each).
      locals(res).store.deleteShipments(idParam(req.params.id as string, 'order'));
      res.status(204).end();
    }),
  );

  router.get(
    '/orders/:id/shipments/count',
    orders,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      res.json({ count: agg.shipments.length });
    }),
  );

  router.post(
    '/orders/:id/shipments',
    orders,
    handle((req, res) => {
      const id = idParam(req.params.id as string, 'order');
      const body = parseBody(shipmentBody, req.body, 400);
      res.status(201).json(renderShipment(locals(res).store.createShipment(id, body)));
    }),
  );

  router.get(
    '/orders/:id/shipments/:shipmentId',
    orders,
    handle((req, res) => {
      res.json(renderShipment(locals(res).store.getShipment(idParam(req.params.id as string, 'order'), idParam(req.params.shipmentId as string, 'shipment'))));
    }),
  );

  router.put(
    '/orders/:id/shipments/:shipmentId',
    orders,
    handle((req, res) => {
      const body = parseBody(shipmentUpdateBody, req.body, 400);
      res.json(renderShipment(locals(res).store.updateShipment(idParam(req.params.id as string, 'order'), idParam(req.params.shipmentId as string, 'shipment'), body)));
    }),
  );

  router.delete(
    '/orders/:id/shipments/:shipmentId',
    orders,
    handle((req, res) => {
      locals(res).store.deleteShipment(idParam(req.params.id as string, 'order'), idParam(req.params.shipmentId as string, 'shipment'));
      res.status(204).end();
    }),
  );

  router.get(
    '/order_statuses',
    orders,
    handle((_req, res) => {
      res.json(ORDER_STATUSES);
    }),
  );

  router.get(
    '/order_statuses/:id',
    orders,
    handle((req, res) => {
      const s = statusById(Number(req.params.id));
      if (!s || !/^\d+$/.test(String(req.params.id))) throw new HttpError(404, 'The requested order status was not found.');
      res.json(s);
    }),
  );

  return router;
}
