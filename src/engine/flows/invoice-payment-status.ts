/**
 * Invoice and payment status, ERP to BigCommerce: the ERP's invoices polled by watermark, each
 * setting the order's status and staff notes (`PUT /v2/orders/{id}`, absolute, so repeating it is
 * harmless; the latest invoice of an order wins because it has the same key).
 */
import { MINUTE, type FlowDefinition } from './types.ts';

export const invoicePaymentStatusFlow: FlowDefinition = {
  id: 'invoice-payment-status',
  routes: [{ spec: 'erp-invoices-to-order-status', flow: 'invoice-payment-status', source: 'erp-invoices', target: 'bc.order', policy: 'upsert' }],
  feeds: [{ name: 'erp-invoices', source: 'erp-invoices', system: 'erp', path: '/invoices', everyMs: 15 * MINUTE }],
  scopes: [],
};
