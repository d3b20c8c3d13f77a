/**
 * Carts (carts.v3.yml, scope `store_cart`): create a cart, read it, change its customer, delete
 * it, add, update and delete its line items, and make its redirect URLs. The carts are the
 * store's own (`store.carts`: shopper activity makes and abandons them, checkouts convert them),
 * so the cart resource is backed by that map (`table`) and the store's paths and the API see one
 * cart; every API change still goes through the Collection, which writes the ledger
 * (`resource:* cart` with the full cart, the body the verifier renders again) and raises the
 * declared scopes.
 *
 * Rules kept from the platform: a line names a product that exists (422 naming the item), a variant
 * of it, and a quantity >= 1; a product with variants needs `variant_id` or option selections that
 * pick one; option selections name the product's variant options or modifiers and their values; a
 * required modifier must be selected; a variant whose purchasing is disabled, or stock below the
 * quantity when inventory is tracked, is refused. Prices come from the catalog (variant price, else
 * the product's; a modifier value's price adjuster applies), converted at the cart currency's
 * exchange rate; `list_price` overrides it. `base_amount` and `cart_amount` are the sum of the
 * lines' `extended_sale_price` plus custom items and gift certificates (no discounts, tax not
 * added: `tax_included: false`). Deleting the last item deletes the cart (204), as the document says.
 *
 * Webhooks (webhooks.v3.yml): `store/cart/created` (and `updated`, which "cart creation also
 * fires"), `updated` on every change, `deleted`; `store/cart/lineItem/created|updated|deleted` with
 * `{type: 'cart_line_item', id: <line item id>, cartId}` (the document's data: id "ID of the line
 * item", cartId "ID of the cart", type "can be cart or cart_line_item"). A cart made with items
 * raises `lineItem/created` for each of them. Removing the last item raises `lineItem/deleted`,
 * `updated` then `deleted`, as store_cart_deleted describes.
 *
 * Not modelled: `version` (optimistic concurrency: accepted, never checked), promotions
 * (`include=promotions.banners` answers no banners), gift wrapping, the rule that redirect URLs
 * are only for carts made through the API, cart metafields and cart settings.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Cart as CartContract } from '../../contracts/generated/index.ts';
import type { Cart, CartCustomItem, CartGiftCertificate, CartLine } from '../domain/model.ts';
import { DomainError, unprocessable } from '../domain/errors.ts';
import { cents } from '../domain/format.ts';
import type { Store } from '../domain/store.ts';
import { parseWith } from './engine.ts';
import type { Currency } from './currencies.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl, WebhookDecl } from './model.ts';
import type { Modifier, OptionValue as ModifierValueRecord } from './product-options.ts';
import { raiseWebhook, seededUuid } from './state.ts';

const FILE = 'carts.v3.yml';

export type CartRecord = Cart & Item;

/** Line item scopes: the lines live inside the cart record, so the family raises them itself, from this declaration. */
export const lineItemWebhooks: WebhookDecl<Item & { cartId: string }> = {
  type: 'cart_line_item',
  created: 'store/cart/lineItem/created',
  updated: 'store/cart/lineItem/updated',
  deleted: 'store/cart/lineItem/deleted',
  data: (item) => ({ cartId: item.cartId }),
};
const cartWebhooks: WebhookDecl<CartRecord> = { type: 'cart', created: 'store/cart/created', updated: 'store/cart/updated', deleted: 'store/cart/deleted' };

export const cartResource: ResourceDecl<CartRecord> = {
  name: 'cart',
  label: 'cart',
  id: 'uuid',
  table: (ctx) => ctx.store.carts as unknown as Map<number | string, CartRecord>,
  webhooks: cartWebhooks,
  afterChange(when, item, ctx, previous) {
    // "Cart creation also fires the store/cart/updated webhook" (webhooks.v3.yml).
    if (when === 'created') raiseWebhook(ctx.store, cartWebhooks, 'updated', item);
    // New activity on an abandoned cart makes it active again; watch it for the next abandonment.
    if (when === 'updated' && previous?.state === 'abandoned' && item.state === 'active') ctx.store.watchCart(String(item.id));
  },
  onDelete(item, ctx) {
    // The checkout is the cart's (checkout id = cart id): it goes with it.
    const checkouts = ctx.collection('checkout');
    if (checkouts.find(item.id)) checkouts.remove(item.id);
  },
};

// ----- rendering -----

const INCLUDE_VALUES = ['redirect_urls', 'line_items.physical_items.options', 'line_items.digital_items.options', 'promotions.banners'] as const;
type Include = (typeof INCLUDE_VALUES)[number];

/** `include=` as a set, refusing a value the document does not list (422 naming `include`). */
export function includesOf(query: Record<string, unknown>): Set<Include> {
  const raw = query.include;
  if (raw === undefined || raw === '') return new Set();
  const values = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = values.filter((v) => !(INCLUDE_VALUES as readonly string[]).includes(v));
  if (bad.length > 0) throw unprocessable(`Invalid query parameter include: "${bad.join(',')}" is not one of ${INCLUDE_VALUES.join(', ')}.`, { include: `must be a comma-separated list of ${INCLUDE_VALUES.join(', ')}` });
  return new Set(values as Include[]);
}

/** The selected options of a line as `{name, nameId, value, valueId}` (variant options from the catalog, modifiers from the product-options family when it is there). */
function lineOptions(store: Store, line: CartLine, ctx?: FamilyContext): { name: string; nameId: number; value: string; valueId: number }[] {
  const variant = store.variants?.get(line.variant_id);
  const fromVariant = (variant?.option_values ?? []).map((v) => ({ name: v.option_display_name, nameId: v.option_id, value: v.label, valueId: v.id }));
  const variantOptionIds = new Set(fromVariant.map((o) => o.nameId));
  const fromModifiers = (line.option_selections ?? [])
    .filter((s) => !variantOptionIds.has(s.option_id))
    .flatMap((s) => {
      const modifier = ctx?.collection<Modifier>('product-modifier').find(s.option_id);
      if (!modifier) return [];
      const value = typeof s.option_value === 'number' ? ctx!.collection<ModifierValueRecord>('product-modifier-value').find(s.option_value) : undefined;
      return [{ name: modifier.display_name, nameId: modifier.id, value: value ? value.label : String(s.option_value), valueId: value ? value.id : 0 }];
    });
  return [...fromVariant, ...fromModifiers];
}

/**
 * A cart as `GET /v3/carts/{id}` answers it (Cart_Full). Reads only `store.products` and the hash
 * unless `include` asks for options (the verifier renders ledger carts with just those), and
 * gives lines from ledger bodies written before line items had ids an id from their position.
 */
export function renderCart(store: Store, cart: Cart, include: ReadonlySet<string> = new Set(), ctx?: FamilyContext): CartContract {
  const items = cart.line_items.map((line, i) => {
    const product = store.products.get(line.product_id);
    const digital = product?.type === 'digital';
    const withOptions = include.has(digital ? 'line_items.digital_items.options' : 'line_items.physical_items.options');
    const extended = cents(line.list_price * line.quantity);
    return {
      digital,
      item: {
        id: line.id ?? `${cart.id.slice(0, 8)}-${i + 1}`,
        parent_id: null,
        variant_id: line.variant_id,
        product_id: line.product_id,
        sku: line.sku,
        name: product?.name ?? line.sku,
        url: `https://store-${store.info.hash}.example${product?.custom_url.url ?? '/'}`,
        quantity: line.quantity,
        is_taxable: true,
        // carts.v3.yml types image_url as a URI, so an empty string is not allowed; the simulator keeps
        // no cart images, so every line gets the store's placeholder picture.
        image_url: `https://store-${store.info.hash}.example/images/ProductDefault.gif`,
        discounts: [],
        coupons: [],
        discount_amount: 0,
        coupon_amount: 0,
        original_price: line.original_price ?? line.list_price,
        list_price: line.list_price,
        sale_price: line.list_price,
        extended_list_price: extended,
        extended_sale_price: extended,
        is_require_shipping: !digital,
        is_mutable: true,
        options: withOptions ? lineOptions(store, line, ctx) : [],
      },
    };
  });
  return {
    id: cart.id,
    parent_id: null,
    customer_id: cart.customer_id,
    email: cart.email,
    currency: { code: cart.currency },
    tax_included: false,
    base_amount: cart.base_amount,
    discount_amount: 0,
    cart_amount: cart.cart_amount,
    coupons: [],
    discounts: [],
    line_items: {
      physical_items: items.filter((i) => !i.digital).map((i) => i.item),
      digital_items: items.filter((i) => i.digital).map((i) => i.item),
      gift_certificates: (cart.gift_certificates ?? []).map((g) => ({ ...g, taxable: false })),
      custom_items: (cart.custom_items ?? []).map((c) => ({ id: c.id, sku: c.sku, name: c.name, quantity: c.quantity, list_price: c.list_price, extended_list_price: cents(c.list_price * c.quantity), ...(c.image_url ? { image_url: c.image_url } : {}) })),
    },
    created_time: cart.created_time,
    updated_time: cart.updated_time,
    channel_id: cart.channel_id,
    locale: cart.locale ?? 'en',
    ...(include.has('redirect_urls') ? { redirect_urls: redirectUrls(store, cart) } : {}),
    ...(include.has('promotions.banners') ? { promotions: { banners: [] } } : {}),
  };
}

/** Redirect URLs of a cart: the store's cart page with a token derived from the cart (one per call on the platform; the simulator's are stable). */
function redirectUrls(store: Store, cart: Cart) {
  const token = createHash('sha256').update(`${store.info.hash}:${cart.id}:${cart.updated_time}`).digest('hex');
  const base = `https://store-${store.info.hash}.example/cart.php`;
  return {
    cart_url: `${base}?action=load&id=${cart.id}&token=${token}`,
    checkout_url: `${base}?action=loadInCheckout&id=${cart.id}&token=${token}`,
    embedded_checkout_url: `${base}?embedded=1&action=loadInCheckout&id=${cart.id}&token=${token}`,
  };
}

// ----- input -----

const positiveInt = (what: string) => z.number(`must be ${what}`).int(`must be ${what}`).positive(`must be ${what}`);
const quantity = z.number('must be a whole number of at least 1').int('must be a whole number of at least 1').min(1, 'must be at least 1');
const price = z.number('must be a number').min(0, 'must not be negative');
const optionSelection = z.object({
  option_id: positiveInt('an option or modifier id'),
  option_value: z.union([z.number(), z.string()], 'must be an option value id, or the text of a text modifier'),
  name: z.string().optional(),
  value: z.string().optional(),
  nameId: z.number().optional(),
  valueId: z.number().optional(),
});
const lineItem = z.object({
  quantity,
  product_id: positiveInt('a product id'),
  variant_id: positiveInt('a variant id').optional(),
  list_price: price.optional(),
  name: z.string().optional(),
  option_selections: z.array(optionSelection).optional(),
  gift_wrapping: z.unknown().optional(),
});
const customItem = z.object({
  sku: z.string('is required').min(1, 'is required'),
  name: z.string('is required').min(1, 'is required').max(250, 'must be at most 250 characters'),
  quantity,
  list_price: price,
  image_url: z.url('must be a URL').optional(),
});
const contact = z.object({ name: z.string().optional(), email: z.email('must be an email address').optional() });
const giftCertificate = z.object({
  name: z.string('is required').min(1, 'is required'),
  theme: z.enum(['Birthday', 'Boy', 'Celebration', 'Christmas', 'General', 'Girl'], 'must be one of Birthday, Boy, Celebration, Christmas, General, Girl'),
  amount: z.number('must be a number from 1 to 1000').min(1, 'must be from 1 to 1000').max(1000, 'must be from 1 to 1000'),
  quantity,
  sender: contact,
  recipient: contact,
  message: z.string().max(200, 'must be at most 200 characters').optional(),
});
const items = {
  line_items: z.array(lineItem).optional(),
  custom_items: z.array(customItem).optional(),
  gift_certificates: z.array(giftCertificate).optional(),
  version: z.number().int().optional(),
};
const hasItems = (b: { line_items?: unknown[]; custom_items?: unknown[]; gift_certificates?: unknown[] }) => (b.line_items?.length ?? 0) + (b.custom_items?.length ?? 0) + (b.gift_certificates?.length ?? 0) > 0;
const noItemsMessage = { message: 'at least one of line_items, custom_items or gift_certificates must have an item', path: ['line_items'] };

const createBody = z
  .object({
    ...items,
    customer_id: z.number('must be a customer id (0 for a guest)').int().min(0, 'must be a customer id (0 for a guest)').optional(),
    channel_id: positiveInt('a channel id').optional(),
    currency: z.object({ code: z.string('must be an ISO 4217 code').regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code') }).optional(),
    locale: z.string().min(2, 'must be a locale such as en or en-US').max(35).optional(),
  })
  .refine(hasItems, noItemsMessage);
const addBody = z.object(items).refine(hasItems, noItemsMessage);
const updateItemBody = z.object({
  line_item: z.object({ quantity, product_id: positiveInt('a product id').optional(), variant_id: positiveInt('a variant id').optional(), list_price: price.optional(), option_selections: z.array(optionSelection).optional() }, 'is required: {quantity, product_id, list_price?}'),
  version: z.number().int().optional(),
});
const updateCartBody = z.object({ customer_id: z.number('is required: a customer id (0 for a guest)').int().min(0, 'must be a customer id (0 for a guest)'), version: z.number().int().optional() });
const redirectBody = z.object({ query_params: z.record(z.string(), z.string()).optional() }).optional();

type LineInput = z.infer<typeof lineItem>;

/** The currency a cart is priced in and its rate against the store's default: a currency the store has, enabled and transactional. */
function currencyOf(code: string | undefined, ctx: FamilyContext): { code: string; rate: number } {
  const currencies = ctx.collection<Currency>('currency').all();
  const wanted = (code ?? currencies.find((c) => c.is_default)?.currency_code ?? ctx.store.info.defaultCurrency).toUpperCase();
  const found = currencies.find((c) => c.currency_code === wanted);
  if (!found || !found.enabled) throw unprocessable(`Currency ${wanted} is not enabled in this store. Use a currency from GET /v2/currencies.`, { 'currency.code': 'unknown or disabled currency' });
  if (!found.is_transactional && !found.is_default) throw unprocessable(`Currency ${wanted} is display-only (is_transactional false): a cart cannot be priced in it.`, { 'currency.code': 'not a transactional currency' });
  return { code: wanted, rate: Number(found.currency_exchange_rate) || 1 };
}

/** A catalog line checked against the store, priced, with a new id. `at`: the field prefix (`line_items[0]`). */
export function resolveLine(input: LineInput, at: string, cart: { currency: string }, ctx: FamilyContext): CartLine {
  const { store } = ctx;
  const product = store.products.get(input.product_id);
  if (!product) throw unprocessable(`Product ${input.product_id} in ${at} does not exist.`, { [`${at}.product_id`]: `product ${input.product_id} not found` });
  const variants = store.variantsOf(product.id);
  const variantOptions = store.productOptions.filter((o) => o.product_id === product.id);
  const selections = input.option_selections ?? [];
  const modifiers = ctx.collection<Modifier>('product-modifier').all().filter((m) => m.product_id === product.id);
  // Each selection names a variant option or a modifier of this product, and one of its values.
  const picked = new Map<number, number>();
  let adjust = 0;
  let adjustPercent = 0;
  selections.forEach((s, j) => {
    const field = `${at}.option_selections[${j}]`;
    const option = variantOptions.find((o) => o.id === s.option_id);
    if (option) {
      const value = option.option_values.find((v) => v.id === Number(s.option_value));
      if (!value) throw unprocessable(`Option value ${String(s.option_value)} is not a value of option ${option.id} ("${option.display_name}") of product ${product.id}.`, { [`${field}.option_value`]: `not a value of option ${option.id}` });
      picked.set(option.id, value.id);
      return;
    }
    const modifier = modifiers.find((m) => m.id === s.option_id);
    if (!modifier) throw unprocessable(`Option ${s.option_id} in ${field} is not an option or modifier of product ${product.id}.`, { [`${field}.option_id`]: `not an option of product ${product.id}` });
    const values = ctx.collection<ModifierValueRecord & { adjusters?: { price?: { adjuster: string | null; adjuster_value: number } } }>('product-modifier-value').all().filter((v) => v.option_id === modifier.id);
    if (values.length === 0) return; // a free-input modifier (text, date, file): any value
    const value = values.find((v) => v.id === Number(s.option_value));
    if (!value) throw unprocessable(`Value ${String(s.option_value)} is not a value of modifier ${modifier.id} ("${modifier.display_name}") of product ${product.id}.`, { [`${field}.option_value`]: `not a value of modifier ${modifier.id}` });
    const adjuster = value.adjusters?.price;
    if (adjuster?.adjuster === 'relative') adjust += adjuster.adjuster_value;
    if (adjuster?.adjuster === 'percentage') adjustPercent += adjuster.adjuster_value;
  });
  const missingModifier = modifiers.find((m) => m.required && !selections.some((s) => s.option_id === m.id));
  if (missingModifier) throw unprocessable(`Product ${product.id} needs its required modifier ${missingModifier.id} ("${missingModifier.display_name}") in ${at}.option_selections.`, { [`${at}.option_selections`]: `modifier ${missingModifier.id} ("${missingModifier.display_name}") is required` });

  let variant = input.variant_id !== undefined ? variants.find((v) => v.id === input.variant_id) : undefined;
  if (input.variant_id !== undefined && !variant) throw unprocessable(`Variant ${input.variant_id} in ${at} is not a variant of product ${product.id}.`, { [`${at}.variant_id`]: `not a variant of product ${product.id}` });
  if (!variant) {
    if (variantOptions.length === 0 && variants.length === 1) variant = variants[0];
    else if (picked.size === variantOptions.length && variantOptions.length > 0) variant = variants.find((v) => v.option_values.every((ov) => picked.get(ov.option_id) === ov.id));
    if (!variant) throw unprocessable(`Product ${product.id} has variants: ${at} needs variant_id, or option_selections naming a value of each of its options (${variantOptions.map((o) => `${o.id} "${o.display_name}"`).join(', ')}).`, { [`${at}.variant_id`]: `is required: product ${product.id} has variants` });
  } else {
    const clash = variant.option_values.find((ov) => picked.has(ov.option_id) && picked.get(ov.option_id) !== ov.id);
    if (clash) throw unprocessable(`The option selections in ${at} do not match variant ${variant.id}.`, { [`${at}.option_selections`]: `option ${clash.option_id} of variant ${variant.id} is value ${clash.id}` });
  }
  if (variant.purchasing_disabled) throw unprocessable(`Variant ${variant.id} of product ${product.id} cannot be purchased${variant.purchasing_disabled_message ? `: ${variant.purchasing_disabled_message}` : '.'}`, { [`${at}.variant_id`]: 'purchasing is disabled' });
  if (product.inventory_tracking !== 'none' && variant.inventory_level < input.quantity) {
    throw unprocessable(`Only ${variant.inventory_level} of ${variant.sku} are in stock; ${at} asks for ${input.quantity}.`, { [`${at}.quantity`]: `only ${variant.inventory_level} in stock` });
  }
  const base = (variant.price ?? product.price) * (1 + adjustPercent / 100) + adjust;
  const { rate } = currencyOf(cart.currency, ctx);
  const catalogPrice = cents(base * rate);
  return {
    id: seededUuid(ctx.random),
    product_id: product.id,
    variant_id: variant.id,
    sku: variant.sku,
    quantity: input.quantity,
    list_price: input.list_price ?? catalogPrice,
    original_price: catalogPrice,
    ...(selections.length > 0 ? { option_selections: selections.map((s) => ({ option_id: s.option_id, option_value: s.option_value })) } : {}),
  };
}

/** The cart's amounts from its items: every write recomputes them, so the stored cart and its answer agree. */
export function withTotals(cart: Cart, now: string, at: number): Cart {
  const lines = cart.line_items.reduce((s, l) => s + cents(l.list_price * l.quantity), 0);
  const custom = (cart.custom_items ?? []).reduce((s, c) => s + cents(c.list_price * c.quantity), 0);
  const gifts = (cart.gift_certificates ?? []).reduce((s, g) => s + cents(g.amount * g.quantity), 0);
  const base = cents(lines + custom + gifts);
  return { ...cart, base_amount: base, cart_amount: base, updated_time: now, lastActivityAt: at, state: 'active' };
}

function newItems(body: z.infer<typeof addBody>, cart: { currency: string }, ctx: FamilyContext) {
  return {
    lines: (body.line_items ?? []).map((l, i) => resolveLine(l, `line_items[${i}]`, cart, ctx)),
    custom: (body.custom_items ?? []).map((c): CartCustomItem => ({ id: seededUuid(ctx.random), sku: c.sku, name: c.name, quantity: c.quantity, list_price: c.list_price, ...(c.image_url ? { image_url: c.image_url } : {}) })),
    gifts: (body.gift_certificates ?? []).map((g): CartGiftCertificate => ({ id: seededUuid(ctx.random), ...g })),
  };
}

const itemIds = (cart: Cart) => [...cart.line_items.map((l) => l.id), ...(cart.custom_items ?? []).map((c) => c.id), ...(cart.gift_certificates ?? []).map((g) => g.id)];
const raiseItems = (ctx: FamilyContext, when: 'created' | 'updated' | 'deleted', cartId: string, ids: string[]) => {
  for (const id of ids) raiseWebhook(ctx.store, lineItemWebhooks, when, { id, cartId });
};

const carts = (ctx: FamilyContext) => ctx.collection<CartRecord>('cart');
/** The cart of the path, 404 when it does not exist (a converted cart no longer does). */
export function cartOf(req: OperationRequest, ctx: FamilyContext, param = 'cartId'): CartRecord {
  const id = req.params[param] ?? '';
  const cart = carts(ctx).find(id);
  if (!cart || cart.state === 'converted') throw new DomainError('not-found', `Cart ${id} was not found. A cart that became an order, was deleted, or lost its last item no longer exists.`);
  return cart;
}
const answer = (status: number, cart: Cart, req: OperationRequest, ctx: FamilyContext) => ({ status, body: { data: renderCart(ctx.store, cart, includesOf(req.query), ctx), meta: {} } });

function customerOf(id: number | undefined, ctx: FamilyContext, field = 'customer_id'): { id: number; email: string } {
  if (!id) return { id: 0, email: '' };
  const customer = ctx.store.customers.get(id);
  if (!customer) throw unprocessable(`Customer ${id} does not exist.`, { [field]: `customer ${id} not found` });
  return { id, email: customer.email };
}

function createCart(req: OperationRequest, ctx: FamilyContext) {
  const include = includesOf(req.query);
  const body = parseWith(createBody, req.body, 'v3');
  const customer = customerOf(body.customer_id, ctx);
  const channelId = body.channel_id ?? 1;
  if (!ctx.collection('channel').find(channelId)) throw unprocessable(`Channel ${channelId} does not exist.`, { channel_id: `channel ${channelId} not found` });
  const currency = currencyOf(body.currency?.code, ctx).code;
  const { lines, custom, gifts } = newItems(body, { currency }, ctx);
  const now = ctx.nowIso();
  const draft: Cart = withTotals(
    { id: '', customer_id: customer.id, channel_id: channelId, email: customer.email, currency, base_amount: 0, cart_amount: 0, line_items: lines, ...(custom.length > 0 ? { custom_items: custom } : {}), ...(gifts.length > 0 ? { gift_certificates: gifts } : {}), locale: body.locale ?? 'en', created_time: now, updated_time: now, lastActivityAt: ctx.clock.now(), state: 'active' },
    now,
    ctx.clock.now(),
  );
  const { id: _id, ...fields } = draft;
  const cart = carts(ctx).insert(fields as Omit<CartRecord, 'id'>);
  raiseItems(ctx, 'created', String(cart.id), itemIds(cart));
  ctx.store.watchCart(String(cart.id));
  return { status: 201, body: { data: renderCart(ctx.store, cart, include, ctx), meta: {} } };
}

function getCart(req: OperationRequest, ctx: FamilyContext) {
  includesOf(req.query);
  return answer(200, cartOf(req, ctx), req, ctx);
}

function updateCart(req: OperationRequest, ctx: FamilyContext) {
  const cart = cartOf(req, ctx);
  const body = parseWith(updateCartBody, req.body, 'v3');
  const customer = customerOf(body.customer_id, ctx);
  const saved = carts(ctx).replace(withTotals({ ...cart, customer_id: customer.id, email: customer.email }, ctx.nowIso(), ctx.clock.now()) as CartRecord);
  // carts.v3.yml answers this update with 201.
  return answer(201, saved, req, ctx);
}

function deleteCart(req: OperationRequest, ctx: FamilyContext) {
  carts(ctx).remove(cartOf(req, ctx).id);
  return { status: 204 };
}

function addItems(req: OperationRequest, ctx: FamilyContext) {
  const cart = cartOf(req, ctx);
  const body = parseWith(addBody, req.body, 'v3');
  const { lines, custom, gifts } = newItems(body, cart, ctx);
  const next = withTotals(
    { ...cart, line_items: [...cart.line_items, ...lines], ...(custom.length > 0 ? { custom_items: [...(cart.custom_items ?? []), ...custom] } : {}), ...(gifts.length > 0 ? { gift_certificates: [...(cart.gift_certificates ?? []), ...gifts] } : {}) },
    ctx.nowIso(),
    ctx.clock.now(),
  );
  const saved = carts(ctx).replace(next as CartRecord);
  raiseItems(ctx, 'created', String(saved.id), [...lines, ...custom, ...gifts].map((i) => i.id));
  return answer(201, saved, req, ctx);
}

function itemOf(cart: Cart, req: OperationRequest): string {
  const id = req.params.itemId ?? '';
  if (!itemIds(cart).includes(id)) throw new DomainError('not-found', `Line item ${id} is not in cart ${cart.id}. Line item ids are the \`id\` of each item in GET /v3/carts/${cart.id}.`);
  return id;
}

function updateItem(req: OperationRequest, ctx: FamilyContext) {
  const cart = cartOf(req, ctx);
  const id = itemOf(cart, req);
  const { line_item: patch } = parseWith(updateItemBody, req.body, 'v3');
  const line = cart.line_items.find((l) => l.id === id);
  // "custom_items cannot be updated via the API at this time" (carts.v3.yml); gift certificates neither.
  if (!line) throw unprocessable(`Item ${id} is a custom item or gift certificate, which cannot be updated: add a new one and delete this one.`, { itemId: 'only catalog line items can be updated' });
  if (patch.product_id !== undefined && patch.product_id !== line.product_id) throw unprocessable(`Item ${id} is product ${line.product_id}; to change the product, delete the item and add the other one.`, { 'line_item.product_id': `must be ${line.product_id}` });
  if (patch.variant_id !== undefined && patch.variant_id !== line.variant_id) throw unprocessable(`Item ${id} is variant ${line.variant_id}; "if a variant needs to be changed, the product will need to be removed and re-added".`, { 'line_item.variant_id': `must be ${line.variant_id}` });
  const product = ctx.store.products.get(line.product_id);
  const variant = ctx.store.variants.get(line.variant_id);
  if (product && variant && product.inventory_tracking !== 'none' && variant.inventory_level < patch.quantity) {
    throw unprocessable(`Only ${variant.inventory_level} of ${variant.sku} are in stock; the item asks for ${patch.quantity}.`, { 'line_item.quantity': `only ${variant.inventory_level} in stock` });
  }
  const nextLine: CartLine = { ...line, quantity: patch.quantity, ...(patch.list_price !== undefined ? { list_price: patch.list_price } : {}) };
  const saved = carts(ctx).replace(withTotals({ ...cart, line_items: cart.line_items.map((l) => (l.id === id ? nextLine : l)) }, ctx.nowIso(), ctx.clock.now()) as CartRecord);
  raiseItems(ctx, 'updated', String(saved.id), [id]);
  return answer(200, saved, req, ctx);
}

function deleteItem(req: OperationRequest, ctx: FamilyContext) {
  const cart = cartOf(req, ctx);
  const id = itemOf(cart, req);
  const next = withTotals(
    { ...cart, line_items: cart.line_items.filter((l) => l.id !== id), custom_items: (cart.custom_items ?? []).filter((c) => c.id !== id), gift_certificates: (cart.gift_certificates ?? []).filter((g) => g.id !== id) },
    ctx.nowIso(),
    ctx.clock.now(),
  );
  raiseItems(ctx, 'deleted', String(cart.id), [id]);
  const saved = carts(ctx).replace(next as CartRecord);
  if (itemIds(saved).length === 0) {
    // "Removing the last line_item in the Cart deletes the Cart" (204).
    carts(ctx).remove(saved.id);
    return { status: 204 };
  }
  return answer(200, saved, req, ctx);
}

function createRedirectUrls(req: OperationRequest, ctx: FamilyContext) {
  const cart = cartOf(req, ctx);
  const body = parseWith(redirectBody, req.body, 'v3') ?? {};
  const urls = redirectUrls(ctx.store, cart);
  const query = new URLSearchParams(body.query_params ?? {}).toString();
  const withQuery = (url: string) => (query ? `${url}&${query}` : url);
  return { status: 201, body: { data: { cart_url: withQuery(urls.cart_url), checkout_url: withQuery(urls.checkout_url), embedded_checkout_url: withQuery(urls.embedded_checkout_url) }, meta: {} } };
}

const scope = 'store_cart' as const;
const spec = { file: FILE };
const custom = { op: 'custom' as const, resource: 'cart', scope, spec };

export const cartsFamily: FamilyDecl = {
  name: 'carts',
  envelope: 'v3',
  resources: [cartResource],
  routes: [
    { ...custom, method: 'POST', path: '/carts', handler: createCart, summary: 'Create a cart (line items, custom items, gift certificates)' },
    { ...custom, method: 'GET', path: '/carts/{cartId}', handler: getCart, summary: 'Get a cart' },
    { ...custom, method: 'PUT', path: '/carts/{cartId}', handler: updateCart, summary: "Update a cart's customer" },
    { ...custom, method: 'DELETE', path: '/carts/{cartId}', handler: deleteCart, summary: 'Delete a cart' },
    { ...custom, method: 'POST', path: '/carts/{cartId}/items', handler: addItems, summary: 'Add line items to a cart' },
    { ...custom, method: 'PUT', path: '/carts/{cartId}/items/{itemId}', handler: updateItem, summary: "Update a line item's quantity or list price" },
    { ...custom, method: 'DELETE', path: '/carts/{cartId}/items/{itemId}', handler: deleteItem, summary: 'Delete a line item (the last one deletes the cart)' },
    { ...custom, method: 'POST', path: '/carts/{cartId}/redirect_urls', handler: createRedirectUrls, summary: "Create a cart's redirect URLs" },
  ],
};
