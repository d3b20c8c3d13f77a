/**
 * Returns and refunds, both ways. A store refund (webhook store/order/refund/created, then
 * `GET /v3/orders/{id}/payment_actions/refunds`) becomes an ERP credit memo, upserted by
 * BC-R<refund id> once the order's sales order is in the ERP (the ERP refuses a memo for an order
 * it does not know). An ERP credit memo (polled) becomes a store refund, posted once and looked
 * for before any retry, like shipments. Each direction's skip rule drops the other's echo.
 */
import { MINUTE, type FlowDefinition } from './types.ts';

export const returnsRefundsFlow: FlowDefinition = {
  id: 'returns-refunds',
  routes: [
    { spec: 'refunds-to-erp-credit-memo', flow: 'returns-refunds', source: 'bc-refund', target: 'erp.credit-memo', policy: 'upsert' },
    { spec: 'erp-credit-memos-to-refunds', flow: 'returns-refunds', source: 'erp-credit-memos', target: 'bc.refund', policy: 'once' },
  ],
  feeds: [{ name: 'erp-credit-memos', source: 'erp-credit-memos', system: 'erp', path: '/credit-memos', everyMs: 15 * MINUTE }],
  scopes: ['store/order/refund/created'],
};
