/**
 * Orders: listing and counting, a shopper's order (placed through checkout, with its converted
 * cart), an order made through the API, updates, archiving, shipping addresses and fees.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, conflict, unprocessable, notFound } from '../errors.ts';
import { cents, iso, money } from '../format.ts';
import type { Address, Cart, OrderAggregate, V2ShippingAddress } from '../model.ts';
import { feeTotals, replaceFees, type FeeInput } from '../order-fees.ts';
import { generateOrder, type OrderProfile } from '../order-profiles.ts';
import { shippingQuotesOf } from '../shipping-quotes.ts';
import { statusById } from '../order-statuses.ts';
import type { StoreContext } from './context.ts';
import type { OrderKit } from './order-kit.ts';
import type { ApplyStock } from './stock.ts';

export interface OrderFilter {
  minId?: number;
  maxId?: number;
  minTotal?: number;
  maxTotal?: number;
  customerId?: number;
  email?: string;
  statusId?: number;
  cartId?: string;
  paymentMethod?: string;
  channelId?: number;
  externalOrderId?: string;
  minDateCreated?: number;
  maxDateCreated?: number;
  minDateModified?: number;
  maxDateModified?: number;
  /** true: only archived orders; false or absent: only live ones (`is_deleted` filter, not in the spec). */
  deleted?: boolean;
  sort?: { field: 'id' | 'customer_id' | 'date_created' | 'date_modified' | 'status_id' | 'channel_id' | 'external_id'; dir: 'asc' | 'desc' };
}

export function createOrders(ctx: StoreContext, kit: OrderKit, applyStock: ApplyStock) {
  const { clock, info, ids, changed, emit } = ctx;
  const { orderContext, purchaseTransaction, touchOrder, orderSnapshot, setStatus, getOrder } = kit;

  /**
   * Replace an order's fees (order-fees.ts rules) and move its totals by the difference: the order
   * total includes its fees, so a refund can reach them.
   */
  const setFees = (agg: OrderAggregate, input: readonly FeeInput[]) => {
    const next = replaceFees(agg.order.fees, input, ids.fee.next);
    const before = feeTotals(agg.order.fees);
    const after = feeTotals(next);
    const o = agg.order;
    o.total_ex_tax = money(cents(Number(o.total_ex_tax) + after.ex - before.ex));
    o.total_inc_tax = money(cents(Number(o.total_inc_tax) + after.inc - before.inc));
    o.total_tax = money(cents(Number(o.total_tax) + after.tax - before.tax));
    o.fees = next;
  };

  const api = {
    listOrders(filter: OrderFilter): OrderAggregate[] {
      const result: OrderAggregate[] = [];
      for (const agg of ctx.orders.values()) {
        const o = agg.order;
        if (o.is_deleted !== (filter.deleted ?? false)) continue;
        if (filter.minId !== undefined && o.id < filter.minId) continue;
        if (filter.maxId !== undefined && o.id > filter.maxId) continue;
        if (filter.customerId !== undefined && o.customer_id !== filter.customerId) continue;
        if (filter.statusId !== undefined && o.status_id !== filter.statusId) continue;
        if (filter.email !== undefined && o.billing_address.email.toLowerCase() !== filter.email.toLowerCase()) continue;
        if (filter.cartId !== undefined && o.cart_id !== filter.cartId) continue;
        if (filter.paymentMethod !== undefined && o.payment_method !== filter.paymentMethod) continue;
        if (filter.channelId !== undefined && o.channel_id !== filter.channelId) continue;
        if (filter.externalOrderId !== undefined && o.external_order_id !== filter.externalOrderId) continue;
        const total = Number(o.total_inc_tax);
        if (filter.minTotal !== undefined && total < filter.minTotal) continue;
        if (filter.maxTotal !== undefined && total > filter.maxTotal) continue;
        if (filter.minDateCreated !== undefined && agg.createdAt < filter.minDateCreated) continue;
        if (filter.maxDateCreated !== undefined && agg.createdAt > filter.maxDateCreated) continue;
        if (filter.minDateModified !== undefined && agg.modifiedAt < filter.minDateModified) continue;
        if (filter.maxDateModified !== undefined && agg.modifiedAt > filter.maxDateModified) continue;
        result.push(agg);
      }
      const sort = filter.sort ?? { field: 'id', dir: 'asc' };
      const key = (a: OrderAggregate): number | string => {
        switch (sort.field) {
          case 'id':
            return a.order.id;
          case 'customer_id':
            return a.order.customer_id;
          case 'date_created':
            return a.createdAt;
          case 'date_modified':
            return a.modifiedAt;
          case 'status_id':
            return a.order.status_id;
          case 'channel_id':
            return a.order.channel_id;
          case 'external_id':
            return a.order.external_id ?? '';
          default:
            return sort.field satisfies never;
        }
      };
      const dir = sort.dir === 'desc' ? -1 : 1;
      result.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return (ka < kb ? -1 : ka > kb ? 1 : a.order.id - b.order.id) * dir;
      });
      return result;
    },

    getOrder,

    placeShopperOrder(profile: OrderProfile): OrderAggregate {
      const at = clock.now();
      const generated = generateOrder(profile, orderContext(at));
      const agg = generated.aggregate;
      if (agg.products.length === 0) {
        throw conflict('Failed to place the order: no product in the catalog has stock left. Reset the store or add inventory.');
      }
      // The shopper's cart becomes the order (store/cart/created then converted).
      const createdTime = iso(at);
      const cart: Cart = {
        id: agg.order.cart_id,
        customer_id: agg.order.customer_id,
        channel_id: 1,
        email: agg.order.billing_address.email,
        currency: agg.order.currency_code,
        base_amount: Number(agg.order.subtotal_ex_tax),
        cart_amount: Number(agg.order.total_inc_tax),
        line_items: agg.products.map((p) => ({ id: randomUUID(), product_id: p.product_id, variant_id: p.variant_id, sku: p.sku, quantity: p.quantity, list_price: Number(p.base_price) })),
        created_time: createdTime,
        updated_time: createdTime,
        lastActivityAt: at,
        state: 'converted',
        order_id: agg.order.id,
      };
      // A converted cart lives on only in the ledger: keeping every one in memory would cost more
      // than the orders themselves in a long flash sale.
      changed('resource:created', 'cart', cart.id, cart);
      emit('store/cart/created', { type: 'cart', id: cart.id });
      // Checkout creates the order as Incomplete (0) and moves it to its paid status, which is
      // why the platform's example statusUpdated payload goes from 0 to 11.
      const targetStatus = agg.order.status_id;
      const incomplete = statusById(0)!;
      agg.order.status_id = 0;
      agg.order.status = incomplete.name;
      agg.order.custom_status = incomplete.name;
      agg.transactions.push(purchaseTransaction(agg, at));
      ctx.orders.set(agg.order.id, agg);
      emit('store/order/created', { type: 'order', id: agg.order.id });
      // No document gives this scope's payload: the simulator's choice (decision 0014).
      emit('store/order/transaction/created', { type: 'order', id: agg.order.id, transaction: { id: agg.transactions.at(-1)!.id } });
      emit('store/cart/converted', { type: 'cart', id: cart.id, orderId: agg.order.id });
      setStatus(agg, targetStatus);
      changed('resource:created', 'order', agg.order.id, orderSnapshot(agg));
      for (const take of generated.stock) {
        const v = ctx.variants.get(take.variantId);
        if (v) applyStock(v, v.inventory_level - take.quantity, 'relative', true);
      }
      return agg;
    },

    createOrder(input: {
      customer_id?: number;
      status_id?: number;
      billing_address: Address & { form_fields?: { name: string; value: string }[] };
      shipping_addresses?: Address[];
      /** `list_price`: a cart line's price (a checkout's order keeps the cart's prices, which may be overridden); otherwise the catalog's. */
      products: ({ product_id: number; quantity: number; variant_id?: number; list_price?: number } | { name: string; quantity: number; price_inc_tax: number; price_ex_tax: number; sku?: string })[];
      customer_message?: string;
      staff_notes?: string;
      external_source?: string;
      external_id?: string;
      external_order_id?: string;
      payment_method?: string;
      channel_id?: number;
      /** A checkout's order (`POST /v3/checkouts/{id}/orders`): the cart it came from, its shipping and the storefront source. */
      checkout?: { cart_id: string; shipping_method: string; shipping_cost: number; currency: string; exchange_rate: number };
      fees?: FeeInput[];
    }): OrderAggregate {
      if (input.customer_id && input.customer_id > 0 && !ctx.customers.has(input.customer_id)) {
        throw unprocessable(`The customer_id ${input.customer_id} does not exist.`, { customer_id: 'unknown customer' });
      }
      const at = clock.now();
      // Generate a shell order, then replace its lines and addresses with the request's.
      const shell = generateOrder('typical', { ...orderContext(at), products: [] }).aggregate;
      const o = shell.order;
      const addressId = ids.address.next();
      const shipTo = input.shipping_addresses?.[0] ?? input.billing_address;
      const lines = input.products.map((line, i) => {
        if ('product_id' in line) {
          const product = ctx.products.get(line.product_id);
          if (!product) throw unprocessable(`The product_id ${line.product_id} does not exist.`, { [`products[${i}].product_id`]: 'unknown product' });
          const variant = line.variant_id !== undefined ? ctx.variants.get(line.variant_id) : ctx.variantsByProduct.get(product.id)?.[0];
          if (!variant || variant.product_id !== product.id) throw unprocessable(`The variant_id ${line.variant_id} does not belong to product ${product.id}.`, { [`products[${i}].variant_id`]: 'unknown variant' });
          const price = line.list_price ?? variant.price ?? product.price;
          return { product_id: product.id, variant_id: variant.id, name: product.name, sku: variant.sku, quantity: line.quantity, ex: price, inc: price, type: product.type };
        }
        return { product_id: 0, variant_id: 0, name: line.name, sku: line.sku ?? '', quantity: line.quantity, ex: line.price_ex_tax, inc: line.price_inc_tax, type: 'physical' as const };
      });
      const template = generateOrder('typical', orderContext(at)).aggregate.products[0];
      if (!template) throw conflict('Failed to create the order: the catalog has no purchasable product to model lines on.');
      ids.order.set(o.id + 1);
      shell.products = lines.map((l) => {
        const id = ids.orderProduct.next();
        const ex = cents(l.ex * l.quantity);
        const inc = cents(l.inc * l.quantity);
        return {
          ...template,
          id,
          order_id: o.id,
          product_id: l.product_id,
          variant_id: l.variant_id,
          order_address_id: addressId,
          name: l.name,
          name_customer: l.name,
          name_merchant: l.name,
          sku: l.sku,
          type: l.type,
          base_price: money(l.ex),
          price_ex_tax: money(l.ex),
          price_inc_tax: money(l.inc),
          price_tax: money(l.inc - l.ex),
          base_total: money(ex),
          total_ex_tax: money(ex),
          total_inc_tax: money(inc),
          total_tax: money(inc - ex),
          quantity: l.quantity,
          discounted_total_inc_tax: money(inc),
          product_options: [],
          applied_discounts: [],
        };
      });
      const subEx = cents(shell.products.reduce((s, p) => s + Number(p.total_ex_tax), 0));
      const subInc = cents(shell.products.reduce((s, p) => s + Number(p.total_inc_tax), 0));
      // A checkout's order carries the selected shipping option's cost (tax on shipping is not modelled).
      const shipping = cents(input.checkout?.shipping_cost ?? 0);
      shell.shippingAddresses = [
        {
          ...(shell.shippingAddresses[0] ?? ({} as never)),
          ...shipTo,
          id: addressId,
          order_id: o.id,
          items_total: lines.reduce((s, l) => s + l.quantity, 0),
          items_shipped: 0,
          base_cost: money(shipping),
          cost_ex_tax: money(shipping),
          cost_inc_tax: money(shipping),
          cost_tax: money(0),
          ...(input.checkout ? { shipping_method: input.checkout.shipping_method } : {}),
          form_fields: [],
        },
      ];
      shell.coupons = [];
      // An order made through the API has no checkout quote: its quote endpoints answer 204
      // (orders.v2.oas2.yml); a checkout's order keeps the quote of the shipping option chosen.
      if (input.checkout) shell.quotedAt = at;
      else delete shell.quotedAt;
      Object.assign(o, {
        customer_id: input.customer_id ?? 0,
        billing_address: { ...input.billing_address, form_fields: input.billing_address.form_fields ?? [] },
        subtotal_ex_tax: money(subEx),
        subtotal_inc_tax: money(subInc),
        subtotal_tax: money(subInc - subEx),
        base_shipping_cost: money(shipping),
        shipping_cost_ex_tax: money(shipping),
        shipping_cost_inc_tax: money(shipping),
        shipping_cost_tax: money(0),
        total_ex_tax: money(subEx + shipping),
        total_inc_tax: money(subInc + shipping),
        total_tax: money(subInc - subEx),
        coupon_discount: money(0),
        store_credit_amount: money(0),
        gift_certificate_amount: money(0),
        items_total: lines.reduce((s, l) => s + l.quantity, 0),
        customer_message: input.customer_message ?? '',
        staff_notes: input.staff_notes ?? '',
        external_source: input.external_source ?? null,
        external_id: input.external_id ?? null,
        external_order_id: input.external_order_id ?? '',
        payment_method: input.payment_method ?? 'Manual',
        payment_provider_id: '',
        payment_status: '',
        order_source: input.checkout ? 'checkout_api' : 'external',
        ...(input.checkout ? { cart_id: input.checkout.cart_id } : {}),
        channel_id: input.channel_id ?? 1,
        shipping_address_count: 1,
        order_is_digital: lines.every((l) => l.type === 'digital'),
        currency_id: 1,
        currency_code: input.checkout?.currency ?? info.defaultCurrency,
        default_currency_code: info.defaultCurrency,
        currency_exchange_rate: (input.checkout?.exchange_rate ?? 1).toFixed(10),
        store_default_to_transactional_exchange_rate: '1.0000000000',
        customer_locale: 'en',
        tax_provider_id: '',
      });
      // API-created orders default to Pending (1) (facts section d, status ids).
      const statusId = input.status_id ?? 1;
      const status = statusById(statusId);
      if (!status) throw unprocessable(`The status_id ${statusId} is not a valid order status.`, { status_id: 'must be one of the ids from /v2/order_statuses' });
      o.status_id = status.id;
      o.status = status.name;
      o.custom_status = status.name;
      o.fees = [];
      if (input.fees) setFees(shell, input.fees);
      ctx.orders.set(o.id, shell);
      changed('resource:created', 'order', o.id, orderSnapshot(shell));
      emit('store/order/created', { type: 'order', id: o.id });
      return shell;
    },

    updateOrder(id: number, patch: { status_id?: number; customer_message?: string; staff_notes?: string; external_id?: string | null; external_source?: string | null; external_order_id?: string; payment_status?: string; billing_address?: Partial<Address>; is_deleted?: boolean; fees?: FeeInput[] }): OrderAggregate {
      const { is_deleted: deleted, ...fields } = patch;
      const agg = getOrder(id);
      const o = agg.order;
      // An archived order stays readable; changing it takes `is_deleted` in the same request
      // (false restores it, true leaves it archived), so a stray update cannot revive it unseen.
      if (o.is_deleted && deleted === undefined) {
        throw new DomainError('not-found', `Failed to update order ${id}: it is archived. Restore it with PUT /v2/orders/${id} {"is_deleted": false} first.`, { is_deleted: 'order is archived' });
      }
      // `is_deleted: true` has the same result as DELETE (orders.v2.oas2.yml, order is_deleted).
      if (deleted === true && Object.keys(fields).length === 0) {
        if (!o.is_deleted) api.archiveOrder(id);
        return agg;
      }
      // Fees first: a bad fee refuses the whole update before anything changed.
      if (patch.fees !== undefined) setFees(agg, patch.fees);
      // Restoring is not documented; the simulator raises store/order/updated for it.
      if (deleted === false) o.is_deleted = false;
      if (patch.customer_message !== undefined) o.customer_message = patch.customer_message;
      if (patch.staff_notes !== undefined) o.staff_notes = patch.staff_notes;
      if (patch.external_id !== undefined) o.external_id = patch.external_id;
      if (patch.external_source !== undefined) o.external_source = patch.external_source;
      if (patch.external_order_id !== undefined) o.external_order_id = patch.external_order_id;
      if (patch.payment_status !== undefined) o.payment_status = patch.payment_status;
      if (patch.billing_address) o.billing_address = { ...o.billing_address, ...patch.billing_address };
      touchOrder(agg);
      if (patch.status_id !== undefined) setStatus(agg, patch.status_id);
      changed('resource:updated', 'order', id, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id });
      if (deleted === true && !o.is_deleted) api.archiveOrder(id);
      return agg;
    },

    archiveOrder(id: number): void {
      const agg = getOrder(id, false);
      agg.order.is_deleted = true;
      touchOrder(agg);
      changed('resource:deleted', 'order', id, orderSnapshot(agg));
      emit('store/order/archived', { type: 'order', id });
    },

    /** `DELETE /v2/orders`: archives every live order (orders.v2.oas2.yml "Archives all orders"), each raising store/order/archived. */
    archiveAllOrders(): number[] {
      const live = [...ctx.orders.values()].filter((a) => !a.order.is_deleted).map((a) => a.order.id);
      for (const id of live) api.archiveOrder(id);
      return live;
    },

    /**
     * `PUT /v2/orders/{id}/shipping_addresses/{id}`: the address fields only; "updating a shipping
     * address will NOT trigger the recalculation of shipping cost and tax" (orders.v2.oas2.yml).
     */
    updateShippingAddress(orderId: number, addressId: number, patch: Partial<Address> & { shipping_method?: string; form_fields?: { name: string; value: string }[] }): V2ShippingAddress {
      const agg = getOrder(orderId);
      const address = agg.shippingAddresses.find((a) => a.id === addressId);
      if (!address) throw notFound('shipping address');
      // The quotes checkout left stay as they were: freeze them before the address changes.
      if (agg.quotedAt !== undefined && agg.shippingQuotes === undefined) agg.shippingQuotes = shippingQuotesOf(agg);
      Object.assign(address, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      touchOrder(agg);
      changed('resource:updated', 'order', orderId, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id: orderId });
      return address;
    },

    countOrders(): { statuses: { id: number; name: string; system_label: string; custom_label: string; system_description: string; count: number; sort_order: number }[]; count: number } {
      const counts = new Map<number, number>();
      let count = 0;
      for (const agg of ctx.orders.values()) {
        if (agg.order.is_deleted) continue;
        counts.set(agg.order.status_id, (counts.get(agg.order.status_id) ?? 0) + 1);
        count++;
      }
      const statuses = [...counts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([sid, n]) => {
          const s = statusById(sid)!;
          return { id: s.id, name: s.name, system_label: s.system_label, custom_label: s.custom_label, system_description: s.system_description, count: n, sort_order: s.order };
        });
      return { statuses, count };
    },
  };
  return api;
}
