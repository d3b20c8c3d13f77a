/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/customer-batch-update.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of PUT /v3/customers: a batch of customer updates, each with its id. Mirrors customers.v3.yml PUT /customers request (an array of components.schemas.customer_Put). At most 10 per call and at most 3 concurrent calls (facts sections b and e). Only the fields a CRM may own are declared; the body stays open for the rest.
 *
 * @minItems 1
 * @maxItems 10
 */
export type CustomerBatchUpdate = CustomerBatchUpdateItem[];

/**
 * One customer update: id plus the fields to change.
 */
export interface CustomerBatchUpdateItem {
  id: number;
  email?: string;
  first_name?: string;
  last_name?: string;
  company?: string;
  phone?: string;
  notes?: string;
  tax_exempt_category?: string;
  /**
   * 0 removes the customer from any group.
   */
  customer_group_id?: number;
  accepts_product_review_abandoned_cart_emails?: boolean;
  [k: string]: unknown;
}
