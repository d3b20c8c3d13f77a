/**
 * Checkouts (checkouts.v3.yml, scope `store_checkout`): a cart's checkout (checkout id = cart id),
 * its billing address, its consignments (shipping address, line items, shipping option), the
 * customer message, and `POST /v3/checkouts/{id}/orders`, which makes the order through the store's
 * own order placement (`store.createOrder`, the path of `POST /v2/orders`: no second order builder)
 * and converts the cart (`store.convertCart`: `store/cart/converted`, the cart gone from memory and
 * the API, as webhooks.v3.yml says of a converted cart).
 *
 * The checkout's own state (billing address, consignments, message) is a family record keyed by the
 * cart id (`checkout`), deleted with its cart; it raises no webhook (webhooks.v3.yml has no
 * checkout scope), the ledger has it as `resource:* checkout`.
 *
 * Shipping options come from the shipping family: the first enabled zone whose locations match the
 * consignment address (country, state or zip zones), else the global zone; its enabled methods for
 * the cart's channel, priced as the method says (per order: `rate`; per item: `rate` x items;
 * by weight or by total: the matching `range`, else `default_cost`; free shipping: 0) plus the
 * zone's handling fee, at the cart currency's rate. Carrier methods (UPS, FedEx, ...) give no option
 * (no live rates). An option's id is a stable hash of the consignment and the method.
 *
 * Rules kept: a consignment's address needs `email`, `country_code`, `state_or_province` and
 * `postal_code` (CreateConsignmentRequest); its items are the cart's physical line items, each in one
 * consignment; a selected option is one of the consignment's available options (422 naming
 * `shipping_option_id`); an order needs a billing address with the fields the document lists
 * (first_name, last_name, address1, city, country_code, email), every physical item in a consignment
 * and every consignment's shipping option selected (422 naming the field). The order is created
 * Incomplete (status 0: "orders created will be set to incomplete order status").
 *
 * Chosen or not modelled: the cart is converted by the first order, at once (the platform deletes
 * it once the order is paid; the simulator has no payment step), so a second order from the same
 * checkout is a 404; one consignment per order (the store's order keeps one shipping address: a
 * checkout with two consignments is refused at order time, naming `consignments`); a line's
 * quantity cannot be split across consignments; gift certificates cannot be ordered; pickup options,
 * custom shipping, coupons (the simulator has no coupons resource), discounts, fees, taxes (always
 * 0), checkout settings and tokens are not served; stock is not taken by the order (createOrder does
 * not take it for API orders either); `version` is accepted and never checked.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Address, Cart } from '../domain/model.ts';
import { DomainError, unprocessable } from '../domain/errors.ts';
import { cents } from '../domain/format.ts';
import { cartOf, renderCart, type CartRecord } from './carts.ts';
import type { Currency } from './currencies.ts';
import { parseWith } from './engine.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl } from './model.ts';
import type { ShippingMethod, ShippingZone } from './shipping.ts';
import { seededUuid } from './state.ts';

const FILE = 'checkouts.v3.yml';

/** A checkout address as checkouts.v3.yml names its fields. */
export interface CheckoutAddress {
  id: string;
  first_name?: string;
  last_name?: string;
  email: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  state_or_province?: string;
  state_or_province_code?: string;
  country_code: string;
  postal_code?: string;
  phone?: string;
  custom_fields?: { field_id: string; field_value?: string }[];
}

export interface ShippingOption {
  id: string;
  type: string;
  description: string;
  image_url: string;
  cost: number;
  transit_time: string;
  additional_description: string;
}

export interface Consignment {
  id: string;
  address: CheckoutAddress;
  line_item_ids: string[];
  available_shipping_options: ShippingOption[];
  selected_shipping_option?: ShippingOption;
}

export interface CheckoutRecord extends Item {
  /** The cart's id. */
  id: string;
  billing_address?: CheckoutAddress;
  consignments: Consignment[];
  customer_message: string;
}

export const checkoutResource: ResourceDecl<CheckoutRecord> = {
  name: 'checkout',
  label: 'checkout',
  id: 'natural',
  create: (input) => input as Omit<CheckoutRecord, 'id'>,
};

// ----- input -----

const addressFields = {
  first_name: z.string().max(255).optional(),
  last_name: z.string().max(255).optional(),
  email: z.email('is required: an email address'),
  company: z.string().max(255).optional(),
  address1: z.string().max(255).optional(),
  address2: z.string().max(255).optional(),
  city: z.string().max(100).optional(),
  state_or_province: z.string().max(100).optional(),
  state_or_province_code: z.string().max(10).optional(),
  country_code: z.string('is required: an ISO 3166-1 alpha-2 code such as US').regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US'),
  postal_code: z.string().max(30).optional(),
  phone: z.string().max(50).optional(),
  custom_fields: z.array(z.object({ field_id: z.string(), field_value: z.string().optional() })).optional(),
};
const addressBody = z.object({ ...addressFields, version: z.number().int().optional() });
const consignmentAddress = z.object({ ...addressFields, state_or_province: z.string('is required').min(1, 'is required'), postal_code: z.string('is required').min(1, 'is required') });
const consignmentLines = z.array(z.object({ item_id: z.string('is required: a line item id from the cart').min(1), quantity: z.number('must be a whole number of at least 1').int().min(1, 'must be at least 1') })).min(1, 'at least one line item');
const notModelled = (what: string) => z.undefined(`${what} is not supported by the simulator; send a shipping address`).optional();
const createConsignmentsBody = z.array(z.object({ address: consignmentAddress, line_items: consignmentLines, pickup_option: notModelled('pickup_option'), version: z.number().int().optional() })).min(1, 'at least one consignment');
const updateConsignmentBody = z
  .object({ address: consignmentAddress.optional(), line_items: consignmentLines.optional(), shipping_option_id: z.string().min(1).optional(), pickup_option: notModelled('pickup_option'), custom_shipping: z.undefined('custom_shipping is not supported by the simulator; select one of available_shipping_options').optional(), version: z.number().int().optional() })
  .refine((b) => b.address !== undefined || b.line_items !== undefined || b.shipping_option_id !== undefined, { message: 'send address and line_items, or shipping_option_id', path: ['shipping_option_id'] })
  .refine((b) => b.shipping_option_id === undefined || (b.address === undefined && b.line_items === undefined), { message: 'update the shipping option in a separate PUT from the address and line items, as the document says', path: ['shipping_option_id'] });
const messageBody = z.object({ customer_message: z.string('is required').max(2000, 'must be at most 2000 characters'), version: z.number().int().optional() });

// ----- state -----

const checkouts = (ctx: FamilyContext) => ctx.collection<CheckoutRecord>('checkout');
const blank = (id: string): CheckoutRecord => ({ id, consignments: [], customer_message: '' });

function checkoutOf(req: OperationRequest, ctx: FamilyContext): { cart: CartRecord; checkout: CheckoutRecord } {
  const cart = cartOf(req, ctx, 'checkoutId');
  return { cart, checkout: checkouts(ctx).find(cart.id) ?? blank(String(cart.id)) };
}

function save(next: CheckoutRecord, ctx: FamilyContext): CheckoutRecord {
  const table = checkouts(ctx);
  return table.find(next.id) ? table.replace(next) : table.insert(next);
}

const rateOf = (cart: Cart, ctx: FamilyContext) => Number(ctx.collection<Currency>('currency').all().find((c) => c.currency_code === cart.currency)?.currency_exchange_rate ?? 1) || 1;

/** Shipping options for a consignment (see the module comment). */
function shippingOptions(cart: Cart, consignmentId: string, address: CheckoutAddress, lineIds: string[], ctx: FamilyContext): ShippingOption[] {
  const cc = address.country_code.toUpperCase();
  const zones = ctx.collection<ShippingZone>('shipping-zone').all().filter((z) => z.enabled);
  const matches = (z: ShippingZone) =>
    z.type !== 'global' &&
    z.locations.some((l) => l.country_iso2.toUpperCase() === cc && (z.type !== 'state' || l.state_iso2 === address.state_or_province_code) && (z.type !== 'zip' || l.zip === address.postal_code));
  const zone = zones.find(matches) ?? zones.find((z) => z.type === 'global');
  if (!zone) return [];
  const lines = cart.line_items.filter((l) => lineIds.includes(l.id));
  const items = lines.reduce((s, l) => s + l.quantity, 0);
  const subtotal = lines.reduce((s, l) => s + l.list_price * l.quantity, 0);
  const weight = lines.reduce((s, l) => s + (ctx.store.variants.get(l.variant_id)?.weight ?? ctx.store.products.get(l.product_id)?.weight ?? 0) * l.quantity, 0);
  const rate = rateOf(cart, ctx);
  const fromRange = (settings: Record<string, unknown>, x: number) => {
    const range = (settings.range as { lower_limit: number; upper_limit: number; shipping_cost: number }[] | undefined) ?? [];
    const hit = range.find((r) => x >= r.lower_limit && x < r.upper_limit);
    return hit ? hit.shipping_cost : typeof settings.default_cost === 'number' ? settings.default_cost : undefined;
  };
  const costOf = (m: ShippingMethod): number | undefined => {
    switch (m.type) {
      case 'perorder':
        return Number(m.settings.rate);
      case 'peritem':
        return Number(m.settings.rate) * items;
      case 'freeshipping':
        return 0;
      case 'weight':
        return fromRange(m.settings, weight);
      case 'total':
        return fromRange(m.settings, subtotal / rate);
      default:
        return undefined; // a carrier: live rates are not modelled
    }
  };
  const fee = zone.handling_fees;
  return ctx
    .collection<ShippingMethod>('shipping-method')
    .all()
    .filter((m) => m.zone_id === zone.id && m.enabled && m.channel_ids.includes(cart.channel_id))
    .flatMap((m) => {
      const base = costOf(m);
      if (base === undefined || !Number.isFinite(base)) return [];
      const handling = 'fixed_surcharge' in fee ? Number(fee.fixed_surcharge) : base * (Number(fee.percentage_surcharge) / 100);
      return [
        {
          id: createHash('sha1').update(`${consignmentId}:${m.id}`).digest('hex').slice(0, 32),
          type: `shipping_${m.type}`,
          description: m.name,
          image_url: '',
          cost: cents((base + (m.type === 'freeshipping' ? 0 : handling)) * rate),
          transit_time: '',
          additional_description: '',
        },
      ];
    });
}

// ----- rendering -----

function renderCheckout(cart: Cart, checkout: CheckoutRecord, req: OperationRequest, ctx: FamilyContext) {
  const include = String(req.query.include ?? '').split(',');
  const withOptions = include.includes('consignments.available_shipping_options');
  const view = renderCart(ctx.store, cart, new Set(), ctx);
  const shipping = cents(checkout.consignments.reduce((s, c) => s + (c.selected_shipping_option?.cost ?? 0), 0));
  const subtotal = cart.cart_amount;
  return {
    id: cart.id,
    cart: {
      id: cart.id,
      customer_id: cart.customer_id,
      email: cart.email,
      currency: view.currency,
      tax_included: false,
      base_amount: cart.base_amount,
      channel_id: cart.channel_id,
      discount_amount: 0,
      cart_amount_inc_tax: subtotal,
      cart_amount_ex_tax: subtotal,
      coupons: [],
      discounts: [],
      line_items: view.line_items,
      created_time: cart.created_time,
      updated_time: cart.updated_time,
    },
    ...(checkout.billing_address ? { billing_address: checkout.billing_address } : {}),
    consignments: checkout.consignments.map((c) => ({
      id: c.id,
      address: c.address,
      ...(withOptions ? { available_shipping_options: c.available_shipping_options } : {}),
      ...(c.selected_shipping_option ? { selected_shipping_option: c.selected_shipping_option } : {}),
      coupon_discounts: [],
      discounts: [],
      shipping_cost_inc_tax: c.selected_shipping_option?.cost ?? 0,
      shipping_cost_ex_tax: c.selected_shipping_option?.cost ?? 0,
      handling_cost_inc_tax: 0,
      handling_cost_ex_tax: 0,
      line_item_ids: c.line_item_ids,
    })),
    taxes: [],
    coupons: [],
    fees: [],
    order_id: null,
    shipping_cost_total_inc_tax: shipping,
    shipping_cost_total_ex_tax: shipping,
    handling_cost_total_inc_tax: 0,
    handling_cost_total_ex_tax: 0,
    tax_total: 0,
    subtotal_inc_tax: subtotal,
    subtotal_ex_tax: subtotal,
    grand_total: cents(subtotal + shipping),
    created_time: cart.created_time,
    updated_time: cart.updated_time,
    customer_message: checkout.customer_message,
    promotions: [],
  };
}

const answer = (cart: Cart, checkout: CheckoutRecord, req: OperationRequest, ctx: FamilyContext) => ({ status: 200, body: { data: renderCheckout(cart, checkout, req, ctx), meta: {} } });

// ----- handlers -----

function getCheckout(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  return answer(cart, checkout, req, ctx);
}

function updateMessage(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const body = parseWith(messageBody, req.body, 'v3');
  return answer(cart, save({ ...checkout, customer_message: body.customer_message }, ctx), req, ctx);
}

const addressOf = (body: z.infer<typeof addressBody>, id: string): CheckoutAddress => {
  const { version: _v, ...fields } = body;
  return { id, ...fields, country_code: fields.country_code.toUpperCase() };
};

function addBillingAddress(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const body = parseWith(addressBody, req.body, 'v3');
  // A second POST replaces the address, keeping its id, as a storefront checkout re-submitting the form does.
  const address = addressOf(body, checkout.billing_address?.id ?? seededUuid(ctx.random).replace(/-/g, '').slice(0, 13));
  return answer(cart, save({ ...checkout, billing_address: address }, ctx), req, ctx);
}

function updateBillingAddress(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const id = req.params.addressId ?? '';
  if (!checkout.billing_address || checkout.billing_address.id !== id) throw new DomainError('not-found', `Checkout ${cart.id} has no billing address ${id}. Add one with POST /v3/checkouts/${cart.id}/billing-address; its id is billing_address.id.`);
  const body = parseWith(addressBody, req.body, 'v3');
  return answer(cart, save({ ...checkout, billing_address: addressOf(body, id) }, ctx), req, ctx);
}

/** Each item a physical line item of the cart, with its whole quantity, in no other consignment. */
function checkLines(cart: Cart, checkout: CheckoutRecord, lines: { item_id: string; quantity: number }[], at: string, exceptConsignment?: string): string[] {
  const taken = new Set(checkout.consignments.filter((c) => c.id !== exceptConsignment).flatMap((c) => c.line_item_ids));
  return lines.map((l, j) => {
    const field = `${at}line_items[${j}]`;
    const line = cart.line_items.find((x) => x.id === l.item_id);
    if (!line) throw unprocessable(`Line item ${l.item_id} is not a line item of cart ${cart.id}.`, { [`${field}.item_id`]: 'not a line item of this cart (ids are line_items.physical_items[].id)' });
    if (taken.has(l.item_id)) throw unprocessable(`Line item ${l.item_id} is already in another consignment.`, { [`${field}.item_id`]: 'already in another consignment' });
    if (l.quantity !== line.quantity) throw unprocessable(`Line item ${l.item_id} has quantity ${line.quantity}; a consignment takes the whole line (splitting a line across consignments is not modelled).`, { [`${field}.quantity`]: `must be ${line.quantity}` });
    taken.add(l.item_id);
    return l.item_id;
  });
}

function addConsignments(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const body = parseWith(createConsignmentsBody, req.body, 'v3');
  const physical = new Set(cart.line_items.filter((l) => ctx.store.products.get(l.product_id)?.type !== 'digital').map((l) => l.id));
  let working = checkout;
  for (const [i, input] of body.entries()) {
    const ids = checkLines(cart, working, input.line_items, `[${i}].`);
    const digital = ids.find((id) => !physical.has(id));
    if (digital) throw unprocessable(`Line item ${digital} is a digital item, which needs no shipping.`, { [`[${i}].line_items`]: `${digital} is a digital item` });
    const id = seededUuid(ctx.random).replace(/-/g, '').slice(0, 13);
    const address = addressOf(input.address, seededUuid(ctx.random).replace(/-/g, '').slice(0, 13));
    working = { ...working, consignments: [...working.consignments, { id, address, line_item_ids: ids, available_shipping_options: shippingOptions(cart, id, address, ids, ctx) }] };
  }
  return answer(cart, save(working, ctx), req, ctx);
}

function consignmentOf(checkout: CheckoutRecord, req: OperationRequest): number {
  const id = req.params.consignmentId ?? '';
  const at = checkout.consignments.findIndex((c) => c.id === id);
  if (at < 0) throw new DomainError('not-found', `Checkout ${checkout.id} has no consignment ${id}.`);
  return at;
}

function updateConsignment(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const at = consignmentOf(checkout, req);
  const current = checkout.consignments[at]!;
  const body = parseWith(updateConsignmentBody, req.body, 'v3');
  let next: Consignment;
  if (body.shipping_option_id !== undefined) {
    const option = current.available_shipping_options.find((o) => o.id === body.shipping_option_id);
    if (!option) throw unprocessable(`Shipping option ${body.shipping_option_id} is not available for consignment ${current.id}. Use an id from consignments[].available_shipping_options (GET with include=consignments.available_shipping_options).`, { shipping_option_id: 'not one of the available shipping options' });
    next = { ...current, selected_shipping_option: option };
  } else {
    const ids = body.line_items ? checkLines(cart, checkout, body.line_items, '', current.id) : current.line_item_ids;
    const address = body.address ? addressOf(body.address, current.address.id) : current.address;
    // A new address or new items give new options; the selected one no longer holds.
    next = { id: current.id, address, line_item_ids: ids, available_shipping_options: shippingOptions(cart, current.id, address, ids, ctx) };
  }
  const consignments = checkout.consignments.map((c, i) => (i === at ? next : c));
  return answer(cart, save({ ...checkout, consignments }, ctx), req, ctx);
}

function deleteConsignment(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const at = consignmentOf(checkout, req);
  return answer(cart, save({ ...checkout, consignments: checkout.consignments.filter((_, i) => i !== at) }, ctx), req, ctx);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** A checkout address as the store's (V2) order address. */
function orderAddress(a: CheckoutAddress): Address {
  return {
    first_name: a.first_name ?? '',
    last_name: a.last_name ?? '',
    company: a.company ?? '',
    street_1: a.address1 ?? '',
    street_2: a.address2 ?? '',
    city: a.city ?? '',
    state: a.state_or_province ?? '',
    zip: a.postal_code ?? '',
    country: regionNames.of(a.country_code) ?? a.country_code,
    country_iso2: a.country_code,
    phone: a.phone ?? '',
    email: a.email,
  };
}

const ORDER_ADDRESS_FIELDS = ['first_name', 'last_name', 'address1', 'city', 'country_code', 'email'] as const;

function createOrder(req: OperationRequest, ctx: FamilyContext) {
  const { cart, checkout } = checkoutOf(req, ctx);
  const billing = checkout.billing_address;
  if (!billing) throw unprocessable(`Checkout ${cart.id} has no billing address. Add one with POST /v3/checkouts/${cart.id}/billing-address before creating the order.`, { billing_address: 'is required' });
  const missing = ORDER_ADDRESS_FIELDS.filter((f) => !billing[f]);
  if (missing.length > 0) throw unprocessable(`The billing address lacks ${missing.join(', ')}, which an order needs.`, Object.fromEntries(missing.map((f) => [`billing_address.${f}`, 'is required to create an order'])));
  if ((cart.gift_certificates ?? []).length > 0) throw unprocessable('The cart holds gift certificates, which the simulator cannot turn into an order. Delete them from the cart first.', { 'line_items.gift_certificates': 'not supported in orders by the simulator' });
  const physical = cart.line_items.filter((l) => ctx.store.products.get(l.product_id)?.type !== 'digital');
  const shipped = new Set(checkout.consignments.flatMap((c) => c.line_item_ids));
  const unshipped = physical.filter((l) => !shipped.has(l.id));
  if (unshipped.length > 0) throw unprocessable(`Physical line items ${unshipped.map((l) => l.id).join(', ')} are in no consignment. Add a consignment with their shipping address (POST /v3/checkouts/${cart.id}/consignments).`, { consignments: `line items ${unshipped.map((l) => l.id).join(', ')} have no consignment` });
  checkout.consignments.forEach((c, i) => {
    if (!c.selected_shipping_option) throw unprocessable(`Consignment ${c.id} has no shipping option selected. Select one with PUT /v3/checkouts/${cart.id}/consignments/${c.id} {"shipping_option_id": ...}.`, { [`consignments[${i}].selected_shipping_option`]: 'is required: select a shipping option' });
  });
  if (checkout.consignments.length > 1) throw unprocessable('The checkout has several consignments; the simulator places orders with one shipping address. Put every item in one consignment.', { consignments: 'at most one consignment per order in the simulator' });
  const consignment = checkout.consignments[0];
  const order = ctx.store.createOrder({
    customer_id: cart.customer_id,
    status_id: 0,
    billing_address: orderAddress(billing),
    ...(consignment ? { shipping_addresses: [orderAddress(consignment.address)] } : {}),
    products: [
      ...cart.line_items.map((l) => ({ product_id: l.product_id, variant_id: l.variant_id, quantity: l.quantity, list_price: l.list_price })),
      ...(cart.custom_items ?? []).map((c) => ({ name: c.name, sku: c.sku, quantity: c.quantity, price_ex_tax: c.list_price, price_inc_tax: c.list_price })),
    ],
    customer_message: checkout.customer_message,
    payment_method: '',
    channel_id: cart.channel_id,
    checkout: { cart_id: String(cart.id), shipping_method: consignment?.selected_shipping_option?.description ?? 'None', shipping_cost: consignment?.selected_shipping_option?.cost ?? 0, currency: cart.currency, exchange_rate: rateOf(cart, ctx) },
  });
  if (checkouts(ctx).find(cart.id)) checkouts(ctx).remove(cart.id);
  ctx.store.convertCart(String(cart.id), order.order.id);
  return { status: 200, body: { data: { id: order.order.id }, meta: {} } };
}

const scope = 'store_checkout' as const;
const spec = { file: FILE };
const custom = { op: 'custom' as const, resource: 'checkout', scope, spec };

export const checkoutsFamily: FamilyDecl = {
  name: 'checkouts',
  envelope: 'v3',
  resources: [checkoutResource],
  routes: [
    { ...custom, method: 'GET', path: '/checkouts/{checkoutId}', handler: getCheckout, summary: 'Get a checkout (checkout id = cart id)' },
    { ...custom, method: 'PUT', path: '/checkouts/{checkoutId}', handler: updateMessage, summary: "Update a checkout's customer message" },
    { ...custom, method: 'POST', path: '/checkouts/{checkoutId}/billing-address', handler: addBillingAddress, summary: 'Add the billing address' },
    { ...custom, method: 'PUT', path: '/checkouts/{checkoutId}/billing-address/{addressId}', handler: updateBillingAddress, summary: 'Update the billing address' },
    { ...custom, method: 'POST', path: '/checkouts/{checkoutId}/consignments', handler: addConsignments, summary: 'Add consignments (shipping address and line items)' },
    { ...custom, method: 'PUT', path: '/checkouts/{checkoutId}/consignments/{consignmentId}', handler: updateConsignment, summary: "Update a consignment's address and items, or select its shipping option" },
    { ...custom, method: 'DELETE', path: '/checkouts/{checkoutId}/consignments/{consignmentId}', handler: deleteConsignment, summary: 'Delete a consignment' },
    { ...custom, method: 'POST', path: '/checkouts/{checkoutId}/orders', handler: createOrder, summary: 'Create the order from the checkout (converts the cart)' },
  ],
};
