/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/crm-contact.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The CRM's contact: the body of PUT /contacts/{email} (an upsert keyed by email) and the records of GET /contacts?since=ISO (DESIGN.md section 8). The PUT merges the properties sent into the stored contact (properties left out keep their values); createdAt and updatedAt are set by the CRM and ignored on PUT. bigcommerceCustomerId links the contact to the storefront account; contacts without one are leads that never registered. Closed object: the CRM refuses unknown properties.
 */
export interface CrmContact {
  /**
   * The key. Lower-cased by the CRM.
   */
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  phone?: string;
  /**
   * The pricing tier an account manager assigned; BigCommerce expresses it as a customer group.
   */
  accountTier?: 'Retail' | 'Wholesale' | 'Distributor';
  lifecycleStage?: 'lead' | 'customer' | 'key-account';
  bigcommerceCustomerId?: number | null;
  /**
   * Consent to product-review and abandoned-cart emails, as given on the storefront.
   */
  abandonedCartEmailsOptIn?: boolean;
  /**
   * Notes kept by the account manager.
   */
  accountNotes?: string;
  city?: string;
  country?: string;
  /**
   * Where the contact was created: bigcommerce, trade-show, import...
   */
  source?: string;
  createdAt?: string;
  updatedAt?: string;
}
