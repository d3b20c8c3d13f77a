/**
 * The order helpers several areas share: orders, shipments, refunds and carts all find an order,
 * touch it, move its status and write its snapshot; the seed and shopper traffic generate orders
 * from the same context. Built once per store (store.ts), so no area makes closures per order.
 */
import { notFound, unprocessable } from '../errors.ts';
import { iso, rfc2822 } from '../format.ts';
import type { OrderAggregate, Transaction } from '../model.ts';
import { statusById } from '../order-statuses.ts';
import type { StoreContext } from './context.ts';

export type OrderKit = ReturnType<typeof createOrderKit>;

export function createOrderKit(ctx: StoreContext) {
  const { clock, info, ids, emit } = ctx;

  const orderContext = (at: number) => ({
    faker: ctx.faker,
    now: at,
    storeHash: info.hash,
    defaultCurrency: info.defaultCurrency,
    products: [...ctx.products.values()].filter((p) => p.is_visible && p.availability === 'available'),
    variantsByProduct: ctx.variantsByProduct,
    customers: [...ctx.customers.values()],
    groups: ctx.customerGroups,
    ids: { order: ids.order.next, orderProduct: ids.orderProduct.next, address: ids.address.next, coupon: ids.coupon.next },
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
