/** Refunds and the transactions they add (V3 payment actions; orders.v3.yml). */
import { notFound, unprocessable } from '../errors.ts';
import { cents, iso, money } from '../format.ts';
import type { Refund } from '../model.ts';
import type { StoreContext } from './context.ts';
import type { OrderKit } from './order-kit.ts';

export function createRefunds(ctx: StoreContext, kit: OrderKit) {
  const { clock, ids, changed, emit } = ctx;
  const { purchaseTransaction, touchOrder, orderSnapshot, setStatus, getOrder } = kit;

  const api = {
    /** One refund by id, whatever its order (`GET /v3/orders/payment_actions/refunds/{refund_id}`). */
    getRefund(refundId: number): Refund {
      for (const agg of ctx.orders.values()) {
        const refund = agg.refunds.find((r) => r.id === refundId);
        if (refund) return refund;
      }
      throw notFound('refund');
    },

    createRefund(orderId: number, input: { items: { item_type: 'PRODUCT' | 'SHIPPING' | 'HANDLING' | 'ORDER' | 'GIFT_WRAPPING'; item_id: number; quantity?: number; amount?: number; reason?: string }[]; payments?: { provider_id: string; amount: number; offline?: boolean }[]; reason?: string }): Refund {
      const agg = getOrder(orderId, false);
      let total = 0;
      const items = input.items.map((item, i) => {
        if (item.item_type === 'PRODUCT') {
          const line = agg.products.find((p) => p.id === item.item_id);
          if (!line) throw unprocessable(`Order product ${item.item_id} is not on order ${orderId}.`, { [`items[${i}].item_id`]: 'unknown order product' });
          const quantity = item.quantity ?? 1;
          if (line.quantity_refunded + quantity > line.quantity) throw unprocessable(`Cannot refund ${quantity} of order product ${line.id}: only ${line.quantity - line.quantity_refunded} refundable.`, { [`items[${i}].quantity`]: 'exceeds the refundable quantity' });
          line.quantity_refunded += quantity;
          line.is_refunded = line.quantity_refunded >= line.quantity;
          total += Number(line.price_inc_tax) * quantity;
          return { item_type: item.item_type, item_id: item.item_id, quantity, requested_amount: null, reason: item.reason ?? '' };
        }
        const amount = item.amount ?? 0;
        total += amount;
        return { item_type: item.item_type, item_id: item.item_id, requested_amount: amount, reason: item.reason ?? '' };
      });
      total = cents(total);
      const already = Number(agg.order.refunded_amount);
      if (already + total > Number(agg.order.total_inc_tax) + 0.005) {
        throw unprocessable(`Refund of ${total} exceeds the refundable amount ${cents(Number(agg.order.total_inc_tax) - already)}.`, { items: 'refund total exceeds the order total' });
      }
      const refund: Refund = {
        id: ids.refund.next(),
        order_id: orderId,
        user_id: 0,
        created: iso(clock.now()),
        reason: input.reason ?? '',
        total_amount: total,
        total_tax: 0,
        uses_merchant_override_values: false,
        items,
        payments: (input.payments ?? [{ provider_id: 'testgateway', amount: total, offline: false }]).map((p, i) => ({ id: i + 1, provider_id: p.provider_id, amount: p.amount, offline: p.offline ?? false, is_declined: false, declined_message: '' })),
      };
      agg.refunds.push(refund);
      agg.transactions.push({ ...purchaseTransaction(agg, clock.now()), event: 'refund', amount: total, ...(agg.transactions[0] ? { reference_transaction_id: agg.transactions[0].id } : {}) });
      const refundedAmount = cents(already + total);
      agg.order.refunded_amount = money(refundedAmount);
      const full = refundedAmount >= Number(agg.order.total_inc_tax) - 0.005;
      agg.order.payment_status = full ? 'refunded' : 'partially refunded';
      touchOrder(agg);
      changed('resource:created', 'refund', refund.id, refund);
      emit('store/order/refund/created', { type: 'order', id: orderId, refund: { refund_id: refund.id } });
      // No document gives this scope's payload: the simulator's choice (decision 0014).
      emit('store/order/transaction/created', { type: 'order', id: orderId, transaction: { id: agg.transactions.at(-1)!.id } });
      setStatus(agg, full ? 4 : 14);
      changed('resource:updated', 'order', orderId, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id: orderId });
      return refund;
    },
  };
  return api;
}
