/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/erp-invoice.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * One record of the legacy ERP's GET /invoices?since=ISO (DESIGN.md section 8): an invoice raised against a sales order and its payment state. orderRef is the sales order's externalId, i.e. the BigCommerce order id. Records the harness reads are open objects.
 */
export interface ErpInvoice {
  invoiceNo: string;
  orderRef: string;
  customerNo?: string;
  invoiceDate: string;
  dueDate?: string;
  /**
   * OPEN not paid, PARTIAL partly paid, PAID, OVERDUE past due, VOID cancelled, CREDITED fully credited by a credit memo.
   */
  status: 'OPEN' | 'PARTIAL' | 'PAID' | 'OVERDUE' | 'VOID' | 'CREDITED';
  currency: string;
  amount: number;
  amountPaid: number;
  paymentMethod?: string;
  paidAt?: string | null;
  updatedAt: string;
  [k: string]: unknown;
}
