/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/customer.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * A form field value: text, a number, or the picked options of a multi-choice field.
 *
 * This interface was referenced by `Customer`'s JSON-Schema
 * via the `definition` "formFieldScalar".
 */
export type CustomerFormFieldScalar = string | number | string[];

/**
 * A V3 customer: the items of GET /v3/customers (and of the POST/PUT batch responses). Mirrors customers.v3.yml components.schemas.customer_Full. addresses, attributes, form_fields and store_credit_amounts appear only with include=addresses / attributes / formfields / storecredit (facts section e). The spec marks nothing required and its examples omit ids and dates, so `required` is the POST-required trio (email, first_name, last_name) plus the identity and timestamp fields every stored customer has.
 */
export interface Customer {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  company: string;
  phone: string;
  registration_ip_address?: string;
  notes: string;
  tax_exempt_category: string;
  /**
   * 0 when the customer is in no group.
   */
  customer_group_id: number;
  date_created: string;
  date_modified: string;
  address_count?: number;
  attribute_count?: number;
  authentication?: {
    force_password_reset?: boolean;
    [k: string]: unknown;
  };
  accepts_product_review_abandoned_cart_emails: boolean;
  origin_channel_id?: number;
  /**
   * Channels the customer can use (the spec leaves the item type open; they are channel ids).
   */
  channel_ids?: number[];
  /**
   * Only with include=addresses; at most 10.
   *
   * @maxItems 10
   */
  addresses?: CustomerAddress[];
  /**
   * Only with include=attributes; at most 10.
   *
   * @maxItems 10
   */
  attributes?: CustomerAttributeValue[];
  /**
   * Only with include=formfields.
   */
  form_fields?: CustomerFormFieldValue[];
  /**
   * Only with include=storecredit.
   */
  store_credit_amounts?: CustomerStoreCreditAmount[];
  [k: string]: unknown;
}
/**
 * Spec address_Full.
 *
 * This interface was referenced by `Customer`'s JSON-Schema
 * via the `definition` "address".
 */
export interface CustomerAddress {
  id: number;
  customer_id: number;
  first_name: string;
  last_name: string;
  company?: string;
  address1: string;
  address2?: string;
  city: string;
  state_or_province: string;
  postal_code: string;
  /**
   * ISO 3166-1 alpha-2.
   */
  country_code: string;
  country?: string;
  phone?: string;
  address_type?: 'residential' | 'commercial';
  form_fields?: CustomerAddressFormFieldValue[];
  [k: string]: unknown;
}
/**
 * Spec address_Full.form_fields items (formFieldValue): an address-level form field value.
 *
 * This interface was referenced by `Customer`'s JSON-Schema
 * via the `definition` "addressFormFieldValue".
 */
export interface CustomerAddressFormFieldValue {
  name: string;
  value: CustomerFormFieldScalar;
  [k: string]: unknown;
}
/**
 * Spec attribute_Full. attribute_value is always a string, whatever the attribute's type.
 *
 * This interface was referenced by `Customer`'s JSON-Schema
 * via the `definition` "attributeValue".
 */
export interface CustomerAttributeValue {
  id: number;
  attribute_id: number;
  attribute_value: string;
  customer_id: number;
  date_created?: string;
  date_modified?: string;
  [k: string]: unknown;
}
/**
 * Spec formFieldValue_Customer: a customer-level form field value.
 *
 * This interface was referenced by `Customer`'s JSON-Schema
 * via the `definition` "formFieldValue".
 */
export interface CustomerFormFieldValue {
  name: string;
  value: CustomerFormFieldScalar;
  customer_id: number;
  [k: string]: unknown;
}
export interface CustomerStoreCreditAmount {
  amount: number;
  [k: string]: unknown;
}
