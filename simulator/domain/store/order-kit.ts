/**
 * The order helpers several areas share: orders, shipments, refunds and carts all find an order,
 * touch it, move its status and write its snapshot; the seed and shopper traffic generate orders
 * from the same context. Built once per store (store.ts), so no area makes closures per order.
 */
import { notFound, unprocessable } from '../errors.ts';
import { iso, rfc2822 } from '../format.ts';
import type { OrderAggregate, Transaction, V3Customer, V3Product } from '../model.ts';
import { statusById } from '../order-statuses.ts';
import type { StoreContext } from './context.ts';

export type OrderKit = ReturnType<typeof createOrderKit>;

const isPurchasable = (p: V3Product) => p.is_visible && p.availability === 'available';

/**
 * `list` when it still holds exactly the values of `source` that `keep` admits, in the map's order
 * (compared by identity, one pass, nothing allocated); otherwise a new such list. Callers only read
 * the list, so one list serves every order until the collection changes.
 */
export function currentList<T>(list: T[] | undefined, source: ReadonlyMap<unknown, T>, keep?: (item: T) => boolean): T[] {
  if (list !== undefined) {
    let i = 0;
    let same = true;
    for (const item of source.values()) {
      if (keep !== undefined && !keep(item)) continue;
      if (list[i] !== item) {
        same = false;
        break;
      }
      i++;
    }
    if (same && i === list.length) return list;
  }
  const fresh: T[] = [];
  for (const item of source.values()) if (keep === undefined || keep(item)) fresh.push(item);
  return fresh;
}

export function createOrderKit(ctx: StoreContext) {
  const { clock, info, ids, emit } = ctx;

  // The purchasable products and the customers an order draws from, kept between orders: copying
  // and filtering the whole catalog for every order was per-order work for a per-catalog answer.
  // Each order checks the lists still match the collections (no allocation) before using them, so a
  // change by any path (an API write, a reset, a test editing a product) is seen by the next order.
  let purchasable: V3Product[] | undefined;
  let customerList: V3Customer[] | undefined;
  const orderIds = { order: ids.order.next, orderProduct: ids.orderProduct.next, address: ids.address.next, coupon: ids.coupon.next };

  const orderContext = (at: number) => ({
    faker: ctx.faker,
    now: at,
    storeHash: info.hash,
    defaultCurrency: info.defaultCurrency,
    products: (purchasable = currentList(purchasable, ctx.products, isPurchasable)),
    variantsByProduct: ctx.variantsByProduct,
    customers: (customerList = currentList(customerList, ctx.customers)),
    groups: ctx.customerGroups,
    ids: orderIds,
  });

  const purchaseTransaction = (agg: OrderAggregate, at: number): Transaction => ({
    id: ids.transaction.next(),
    order_id: String(agg.order.id),
    event: agg.order.payment_status === 'pending' ? 'pending' : 'purchase',
    method: agg.order.payment_status === 'pending' ? 'offline' : 'credit_card',
    amount: Number(agg.order.total_inc_tax),
    currency: agg.order.currency_code,
    gateway: agg.order.payment_status === 'pending' ? 'custom' : 'testgateway',
    gateway_transaction_id: agg.order.payment_provider_id ?? '',
    status: 'ok',
    test: true,
    fraud_review: false,
    date_created: iso(at),
    payment_method_id: agg.order.payment_status === 'pending' ? 'custom' : 'testgateway.card',
  });

  // Every change to a stored order goes through here or setStatus, which bump its revision.
  const touchOrder = (agg: OrderAggregate) => {
    agg.revision++;
    agg.modifiedAt = clock.now();
    agg.order.date_modified = rfc2822(agg.modifiedAt);
  };

  const orderSnapshot = (agg: OrderAggregate) => ({
    ...agg.order,
    products: agg.products,
    shipping_addresses: agg.shippingAddresses,
    coupons: agg.coupons,
  });

  const setStatus = (agg: OrderAggregate, statusId: number) => {
    const previous = agg.order.status_id;
    if (previous === statusId) return;
    const status = statusById(statusId);
    if (!status) throw unprocessable(`The status_id ${statusId} is not a valid order status.`, { status_id: 'must be one of the ids from /v2/order_statuses' });
    agg.revision++;
    agg.order.status_id = status.id;
    agg.order.status = status.name;
    agg.order.custom_status = status.name;
    emit('store/order/statusUpdated', { type: 'order', id: agg.order.id, status: { previous_status_id: previous, new_status_id: statusId } });
  };

  const getOrder = (id: number, includeDeleted = true): OrderAggregate => {
    const agg = ctx.orders.get(id);
    if (!agg || (!includeDeleted && agg.order.is_deleted)) throw notFound('order');
    return agg;
  };

  return { orderContext, purchaseTransaction, touchOrder, orderSnapshot, setStatus, getOrder };
}
