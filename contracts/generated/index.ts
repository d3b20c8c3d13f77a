/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: every contracts/<group>/<name>.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

export type * from './cart.ts';
export type * from './customer-batch-update.ts';
export type * from './customer.ts';
export type * from './hook.ts';
export type * from './inventory-adjustment.ts';
export type * from './order-product.ts';
export type * from './order-update.ts';
export type * from './order.ts';
export type * from './product-batch-update.ts';
export type * from './product.ts';
export type * from './refund-request.ts';
export type * from './refund.ts';
export type * from './shipment-create.ts';
export type * from './shipment.ts';
export type * from './shipping-address.ts';
export type * from './v2-error.ts';
export type * from './v3-error.ts';
export type * from './variant.ts';
export type * from './webhook-payload.ts';
export type * from './crm-contact.ts';
export type * from './erp-credit-memo.ts';
export type * from './erp-inventory-record.ts';
export type * from './erp-invoice.ts';
export type * from './erp-price-list-item.ts';
export type * from './erp-sales-order.ts';
export type * from './marketing-event.ts';
export type * from './threepl-fulfillment-order.ts';
export type * from './threepl-shipment.ts';
