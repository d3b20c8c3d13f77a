/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/shipping-address.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

import type { DecimalString, FormField, ResourceLink } from './order.ts';

/**
 * A V2 order shipping address as returned by GET /v2/orders/{order_id}/shipping_addresses(/{id}). Mirrors orders.v2.oas2.yml components.schemas.orderShippingAddress (allOf its own fields + shippingAddress_Base + shipping_method). Every field is in every spec example, so all are required. Its id is what order products' and shipments' order_address_id point to.
 */
export interface ShippingAddress {
  id: number;
  order_id: number;
  first_name: string;
  last_name: string;
  company: string;
  street_1: string;
  street_2: string;
  city: string;
  zip: string;
  country: string;
  country_iso2: string;
  state: string;
  email: string;
  phone: string;
  /**
   * The spec types it `number`; it is a count.
   */
  items_total: number;
  /**
   * The spec types it `number`; it is a count.
   */
  items_shipped: number;
  /**
   * Text name of the shipping method the customer chose, e.g. "Fixed Shipping".
   */
  shipping_method: string;
  base_cost: DecimalString;
  cost_ex_tax: DecimalString;
  cost_inc_tax: DecimalString;
  cost_tax: DecimalString;
  cost_tax_class_id: number;
  base_handling_cost: DecimalString;
  handling_cost_ex_tax: DecimalString;
  handling_cost_inc_tax: DecimalString;
  handling_cost_tax: DecimalString;
  handling_cost_tax_class_id: number;
  /**
   * The spec types it `number`; it is an id.
   */
  shipping_zone_id: number;
  shipping_zone_name: string;
  form_fields: FormField[];
  /**
   * Link to the address's shipping quotes; that URL returns 204 for orders created by API or in the control panel (facts section d).
   */
  shipping_quotes: ResourceLink;
  [k: string]: unknown;
}
