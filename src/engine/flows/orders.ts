/**
 * Orders, BigCommerce to the ERP and the 3PL (DESIGN.md section 3: webhook, near real time).
 * The order webhooks only name the order; the planner fetches orders in batches of up to 250 with
 * their lines and addresses (`include=consignments.line_items`), and the reconciliation sweep
 * backfills by `min_date_modified`. Both targets are upserts keyed by the order id.
 */
import type { FlowDefinition } from './types.ts';

export const ORDER_SCOPES = ['store/order/created', 'store/order/updated', 'store/order/statusUpdated', 'store/order/archived'];

export const ordersFlow: FlowDefinition = {
  id: 'orders',
  routes: [
    { spec: 'orders-to-erp-sales-order', flow: 'orders', source: 'bc-order', target: 'erp.sales-order', policy: 'upsert' },
    { spec: 'orders-to-3pl-fulfillment-order', flow: 'orders', source: 'bc-order', target: '3pl.fulfillment-order', policy: 'upsert' },
  ],
  feeds: [],
  scopes: ORDER_SCOPES,
};
