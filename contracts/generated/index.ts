/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: every contracts/<group>/<name>.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

export type * from './customer.ts';
export type * from './hook.ts';
export type * from './order-product.ts';
export type * from './order.ts';
export type * from './product.ts';
export type * from './shipment.ts';
export type * from './shipping-address.ts';
export type * from './v2-error.ts';
export type * from './v3-error.ts';
export type * from './variant.ts';
export type * from './webhook-payload.ts';
