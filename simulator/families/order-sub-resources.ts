/**
 * Order sub-resources (issue 13): what orders.v2.oas2.yml and orders.v3.yml document beside the
 * hand-written order routes (v2-orders.ts, v3-orders.ts serve the orders, products, addresses,
 * coupons, shipments, transactions and refunds and are not repeated here). The orders stay the
 * store's own (store.ts), read through `ctx.store`; nothing here copies an order.
 *
 * - Metafields (`/v3/orders/{order_id}/metafields`, batch `/v3/orders/metafields`): the shared
 *   metafield table with `resource_type: order`; the owner is looked up in the store's orders
 *   (an archived order keeps its metafields and stays readable, like the order itself).
 * - Messages (`GET /v2/orders/{order_id}/messages`): the shopper's messages on an order. The API
 *   only reads them; the seed gives each seeded order that has a customer message one message
 *   with it (orders placed after the store was created or reset have none: messages come from the storefront's account pages,
 *   which the simulator does not model), so no `store/order/message/created` is raised.
 * - Taxes (`GET /v2/orders/{order_id}/taxes`): computed on each read from the order's products and
 *   shipping, so a refund or an edit shows at once.
 * - Payment actions (orders.v3.yml): capture and void of an authorized payment move
 *   `payment_status` to `capture pending` / `void pending` (the document: the payment request is
 *   scheduled and happens asynchronously) and raise `store/order/updated` through the store;
 *   anything other than `authorized` is a 422 naming `payment_status`. A refund quote prices the
 *   items with the same rules the refund itself applies (store.createRefund) without changing
 *   anything.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { OrderAggregate } from '../domain/model.ts';
import { paginate } from '../http/pagination.ts';
import { pageParams, parseFilterValue, parseWith, runOperation } from './engine.ts';
import { metafieldRoutes } from './metafields.ts';
import type { FamilyContext, FamilyDecl, FilterDecl, Item, OperationAnswer, OperationRequest, ResourceDecl } from './model.ts';

const V2 = 'orders.v2.oas2.yml';
const V3 = 'orders.v3.yml';

export interface OrderMessage extends Item {
  id: number;
  order_id: number;
  staff_id: number;
  customer_id: number;
  type: 'customer' | 'staff';
  subject: string;
  message: string;
  status: 'read' | 'unread';
  is_flagged: boolean;
  date_created: string;
}

/** The order in the path, or the platform's 404 (V2 for the V2 routes, the envelope is the error middleware's). */
function orderOf(req: OperationRequest, ctx: FamilyContext): OrderAggregate {
  const raw = req.params.order_id ?? '';
  const agg = /^\d+$/.test(raw) ? ctx.store.orders.get(Number(raw)) : undefined;
  if (!agg) throw new DomainError('not-found', `The requested order was not found: order ${raw} does not exist.`);
  return agg;
}

const dateFilter = (cmp: (a: number, b: number) => boolean): FilterDecl<OrderMessage> => ({
  type: 'string',
  test: (m, v: string) => {
    const at = Date.parse(v);
    return Number.isNaN(at) ? true : cmp(Date.parse(m.date_created), at);
  },
});

const messageFilters: Record<string, FilterDecl<OrderMessage>> = {
  min_id: { type: 'int', test: (m, v: number) => m.id >= v },
  max_id: { type: 'int', test: (m, v: number) => m.id <= v },
  customer_id: { type: 'int', test: (m, v: number) => m.customer_id === v },
  min_date_created: dateFilter((a, b) => a >= b),
  max_date_created: dateFilter((a, b) => a <= b),
  is_flagged: { type: 'bool', test: (m, v: boolean) => m.is_flagged === v },
  status: { type: 'string', test: (m, v: string) => m.status === v },
};

export const orderMessageResource: ResourceDecl<OrderMessage> = {
  name: 'order-message',
  label: 'order message',
  id: 'sequence',
  seed: (ctx) =>
    [...ctx.store.orders.values()]
      .filter((agg) => agg.createdAt <= ctx.seededAt && agg.order.customer_message.trim() !== '')
      .map((agg, i) => ({
        id: i + 1,
        order_id: agg.order.id,
        staff_id: 0,
        customer_id: agg.order.customer_id,
        type: 'customer' as const,
        subject: `Order #${agg.order.id}`,
        message: agg.order.customer_message,
        status: 'unread' as const,
        is_flagged: false,
        date_created: agg.order.date_created,
      })),
  filters: messageFilters,
  webhooks: { type: 'order', created: 'store/order/message/created', data: (m) => ({ id: m.order_id, message: { order_message_id: m.id } }) },
};

/** A date filter value must be a date: a value that does not parse is a 400 naming it, like the other V2 filters. */
function checkDates(req: OperationRequest): void {
  for (const name of ['min_date_created', 'max_date_created']) {
    const raw = req.query[name];
    if (raw !== undefined && Number.isNaN(Date.parse(String(raw)))) throw new DomainError('bad-request', `Invalid query parameter ${name}: "${String(raw)}" is not a date`, { [name]: 'must be an RFC-2822 or ISO-8601 date' });
  }
}

function listMessages(req: OperationRequest, ctx: FamilyContext): OperationAnswer {
  const agg = orderOf(req, ctx);
  checkDates(req);
  return runOperation(orderSubResourcesFamily, { ...messagesRoute, op: 'list', scopeTo: (m) => (m as OrderMessage).order_id === agg.order.id }, req, ctx);
}

const money = (n: number) => n.toFixed(4);

/** The order's tax lines: one per taxed product, and shipping and handling when taxed (sales tax, the store's default class). */
function listTaxes(req: OperationRequest, ctx: FamilyContext): OperationAnswer {
  const agg = orderOf(req, ctx);
  if (req.query.details !== undefined) parseFilterValue({ type: 'bool', test: () => true }, 'details', req.query.details, 'v2');
  const { page, limit } = pageParams(req, 'v2');
  const order = agg.order;
  const addressId = agg.shippingAddresses[0]?.id ?? 0;
  const base = { order_id: order.id, order_address_id: addressId, tax_rate_id: 1, sales_tax_id: '', tax_class_id: 0, name: 'Sales Tax', class: 'Default Tax Class', priority: 0, order_pickup_method_id: 0 };
  const rateOf = (tax: number, net: number) => (net > 0 ? money((tax / net) * 100) : money(0));
  let id = 0;
  const lines = [
    ...agg.products
      .filter((p) => Number(p.total_tax) > 0)
      .map((p) => ({ ...base, id: ++id, rate: rateOf(Number(p.total_tax), Number(p.total_ex_tax)), priority_amount: p.total_tax, line_amount: p.total_tax, order_product_id: String(p.id), line_item_type: 'item' as const })),
    ...(Number(order.shipping_cost_tax) > 0 ? [{ ...base, id: ++id, rate: rateOf(Number(order.shipping_cost_tax), Number(order.shipping_cost_ex_tax)), priority_amount: order.shipping_cost_tax, line_amount: order.shipping_cost_tax, order_product_id: '0', line_item_type: 'shipping' as const }] : []),
    ...(Number(order.handling_cost_tax) > 0 ? [{ ...base, id: ++id, rate: rateOf(Number(order.handling_cost_tax), Number(order.handling_cost_ex_tax)), priority_amount: order.handling_cost_tax, line_amount: order.handling_cost_tax, order_product_id: '0', line_item_type: 'handling' as const }] : []),
  ];
  const data = paginate(lines, page, limit).data;
  return data.length === 0 ? { status: 204 } : { status: 200, body: data };
}

/** Capture or void: only an authorized payment can be (the document's 422 otherwise). */
function paymentAction(action: 'capture' | 'void') {
  return (req: OperationRequest, ctx: FamilyContext): OperationAnswer => {
    const agg = orderOf(req, ctx);
    if (agg.order.is_deleted) throw new DomainError('not-found', `The requested order was not found: order ${agg.order.id} is archived.`);
    const status = agg.order.payment_status;
    if (status !== 'authorized') {
      throw new DomainError('unprocessable', `Failed to ${action} the payment of order ${agg.order.id}: its payment_status is "${status}"; only an authorized payment can be ${action === 'capture' ? 'captured' : 'voided'}.`, { payment_status: `must be authorized, is "${status}"` });
    }
    ctx.store.updateOrder(agg.order.id, { payment_status: action === 'capture' ? 'capture pending' : 'void pending' });
    return { status: 201, body: {} };
  };
}

const quoteItem = z.object({
  item_type: z.enum(['PRODUCT', 'GIFT_WRAPPING', 'ORDER', 'SHIPPING', 'HANDLING', 'TAX', 'FEE'], 'must be PRODUCT, GIFT_WRAPPING, ORDER, SHIPPING, HANDLING, TAX or FEE'),
  item_id: z.number('must be an integer').int().min(0),
  quantity: z.number().int().positive('must be a positive integer').optional(),
  amount: z.number().min(0, 'must be 0 or more').optional(),
  reason: z.string().max(1000).optional(),
});
const quoteBody = z.object({ items: z.array(quoteItem).min(1, 'at least one item is required') });

const cents = (n: number) => Math.round(n * 100) / 100;

/** What the refund would be: the same pricing and limits as store.createRefund, with nothing written. */
function refundQuote(req: OperationRequest, ctx: FamilyContext): OperationAnswer {
  const agg = orderOf(req, ctx);
  if (agg.order.is_deleted) throw new DomainError('not-found', `The requested order was not found: order ${agg.order.id} is archived.`);
  const input = parseWith(quoteBody, req.body, 'v3');
  let total = 0;
  let tax = 0;
  let orderLevel = 0;
  input.items.forEach((item, i) => {
    if (item.item_type === 'PRODUCT' || item.item_type === 'GIFT_WRAPPING') {
      const line = agg.products.find((p) => p.id === item.item_id);
      if (!line) throw new DomainError('unprocessable', `Order product ${item.item_id} is not on order ${agg.order.id}.`, { [`items[${i}].item_id`]: 'unknown order product' });
      if (item.quantity === undefined) throw new DomainError('unprocessable', `items[${i}] of type ${item.item_type} needs a quantity.`, { [`items[${i}].quantity`]: 'is required for PRODUCT and GIFT_WRAPPING' });
      const left = line.quantity - line.quantity_refunded;
      if (item.quantity > left) throw new DomainError('unprocessable', `Cannot refund ${item.quantity} of order product ${line.id}: only ${left} refundable.`, { [`items[${i}].quantity`]: 'exceeds the refundable quantity' });
      const unit = item.item_type === 'PRODUCT' ? Number(line.price_inc_tax) : Number(line.wrapping_cost_inc_tax);
      total += unit * item.quantity;
      tax += (item.item_type === 'PRODUCT' ? Number(line.price_tax) : Number(line.wrapping_cost_tax)) * item.quantity;
      return;
    }
    if (item.amount === undefined) throw new DomainError('unprocessable', `items[${i}] of type ${item.item_type} needs an amount.`, { [`items[${i}].amount`]: `is required for ${item.item_type}` });
    total += item.amount;
    if (item.item_type === 'ORDER') orderLevel += item.amount;
  });
  total = cents(total);
  const refundable = cents(Number(agg.order.total_inc_tax) - Number(agg.order.refunded_amount));
  if (total > refundable + 0.005) throw new DomainError('unprocessable', `Refund of ${total} exceeds the refundable amount ${refundable} of order ${agg.order.id}.`, { items: 'refund total exceeds the order total' });
  const offline = agg.order.payment_status === 'pending' || agg.order.payment_provider_id === null;
  const provider = offline ? 'custom' : 'testgateway';
  return {
    status: 201,
    body: {
      data: {
        order_id: agg.order.id,
        total_refund_amount: total,
        total_refund_tax_amount: cents(tax),
        order_level_refund_amount: cents(orderLevel),
        rounding: 0,
        adjustment: 0,
        tax_inclusive: false,
        refund_methods: [[{ provider_id: provider, provider_description: offline ? agg.order.payment_method : 'Test Payment Gateway', amount: total, offline, offline_provider: offline, offline_reason: '' }]],
      },
      meta: {},
    },
  };
}

const messagesRoute = { method: 'GET', path: '/orders/{order_id}/messages', op: 'custom', resource: 'order-message', scope: 'store_v2_orders', spec: { file: V2 }, handler: listMessages, summary: "List an order's messages" } as const;

export const orderSubResourcesFamily: FamilyDecl = {
  name: 'order-sub-resources',
  envelope: 'v2',
  resources: [orderMessageResource],
  routes: [
    messagesRoute,
    { method: 'GET', path: '/orders/{order_id}/taxes', op: 'custom', resource: 'order-message', scope: 'store_v2_orders', spec: { file: V2 }, handler: listTaxes, summary: "List an order's tax lines" },
    { method: 'POST', path: '/orders/{order_id}/payment_actions/capture', op: 'custom', resource: 'order-message', scope: 'store_v2_transactions', spec: { file: V3 }, envelope: 'v3', handler: paymentAction('capture'), summary: "Capture an order's authorized payment" },
    { method: 'POST', path: '/orders/{order_id}/payment_actions/void', op: 'custom', resource: 'order-message', scope: 'store_v2_transactions', spec: { file: V3 }, envelope: 'v3', handler: paymentAction('void'), summary: "Void an order's authorized payment" },
    { method: 'POST', path: '/orders/{order_id}/payment_actions/refund_quotes', op: 'custom', resource: 'order-message', scope: 'store_v2_transactions', spec: { file: V3 }, envelope: 'v3', handler: refundQuote, summary: 'Quote a refund: amounts and refund methods, nothing changed' },
    ...metafieldRoutes({ type: 'order', exists: (id, ctx) => ctx.store.orders.has(id), base: '/orders', param: 'order_id', metafieldParam: 'metafield_id', file: V3, scope: 'store_v2_orders', envelope: 'v3' }),
  ],
};
