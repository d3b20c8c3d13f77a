/**
 * Orders V3 (orders.v3.yml): transactions and refunds. Refunds here are the merchant's
 * `payment_actions/refunds`; a refund moves the order to Refunded (4) or Partially Refunded (14)
 * and raises `store/order/refund/created`.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Refund as RefundContract } from '../../../contracts/generated/index.ts';
import type { Refund } from '../../domain/model.ts';
import type { Simulator } from '../../domain/simulator.ts';
import { handle, locals, requireScope } from '../middleware.ts';
import { idParam, parseBody } from '../validation.ts';

const refundBody = z.object({
  items: z
    .array(
      z.object({
        item_type: z.enum(['PRODUCT', 'SHIPPING', 'HANDLING', 'ORDER', 'GIFT_WRAPPING']),
        item_id: z.number().int().min(0),
        quantity: z.number().int().positive().optional(),
        amount: z.number().min(0).optional(),
        reason: z.string().max(1000).optional(),
      }),
    )
    .min(1, 'at least one item is required'),
  payments: z.array(z.object({ provider_id: z.string().min(1), amount: z.number().min(0), offline: z.boolean().optional() })).optional(),
  merchant_calculated_override: z.unknown().optional(),
});

/** A refund as served: the stored one, typed against the contract (the model is narrower: every optional field is stored). */
const renderRefund = (r: Refund): RefundContract => r;

export function createV3OrdersRouter(_sim: Simulator): Router {
  const router = Router({ mergeParams: true });
  const scope = requireScope('store_v2_transactions');

  router.get(
    '/orders/:id/transactions',
    scope,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      res.json({ data: agg.transactions, meta: { pagination: { total: agg.transactions.length, count: agg.transactions.length, per_page: 50, current_page: 1, total_pages: 1, links: { current: '?page=1&limit=50' } } } });
    }),
  );

  router.get(
    '/orders/:id/payment_actions/refunds',
    scope,
    handle((req, res) => {
      const agg = locals(res).store.getOrder(idParam(req.params.id as string, 'order'));
      res.json({ data: agg.refunds.map(renderRefund), meta: {} });
    }),
  );

  router.get(
    '/orders/payment_actions/refunds',
    scope,
    handle((_req, res) => {
      const refunds = [...locals(res).store.orders.values()].flatMap((a) => a.refunds.map(renderRefund));
      res.json({ data: refunds, meta: { pagination: { total: refunds.length, count: refunds.length, per_page: refunds.length, current_page: 1, total_pages: 1, links: { current: '?page=1' } } } });
    }),
  );

  router.get(
    '/orders/payment_actions/refunds/:refundId',
    scope,
    handle((req, res) => {
      res.json({ data: renderRefund(locals(res).store.getRefund(idParam(req.params.refundId as string, 'refund'))), meta: {} });
    }),
  );

  router.post(
    '/orders/:id/payment_actions/refunds',
    scope,
    handle((req, res) => {
      const id = idParam(req.params.id as string, 'order');
      const body = parseBody(refundBody, req.body);
      res.status(201).json({ data: renderRefund(locals(res).store.createRefund(id, body)), meta: {} });
    }),
  );

  return router;
}
