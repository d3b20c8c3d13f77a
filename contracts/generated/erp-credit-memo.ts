/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/erp-credit-memo.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The legacy ERP's credit memo: the body of PUT /credit-memos/{externalId} (an upsert, DESIGN.md section 8), and the records of GET /credit-memos?since=ISO, which the refunds-from-ERP direction reads (an addition to the section 8 list for the mocks). origin tells memos the integration wrote (BIGCOMMERCE) from memos raised in the ERP (ERP), so a refund is never sent back to where it came from. Lines refer to the sales order lines by the BigCommerce ids they carry. Closed object: the ERP's importer refuses unknown fields.
 */
export interface ErpCreditMemo {
  /**
   * BC-R<refund id> for memos written from BigCommerce refunds; the ERP's own number otherwise.
   */
  externalId: string;
  origin: 'BIGCOMMERCE' | 'ERP';
  orderRef: string;
  memoDate: string;
  reasonCode: 'RETURN' | 'DAMAGED' | 'GOODWILL' | 'PRICE' | 'OTHER';
  reasonText?: string;
  /**
   * ORIGINAL back to the card or wallet used, STORE_CREDIT, OFFLINE (cash, cheque, bank transfer).
   */
  refundMethod?: 'ORIGINAL' | 'STORE_CREDIT' | 'OFFLINE';
  currency?: string;
  total: number;
  taxTotal?: number;
  /**
   * @minItems 1
   * @maxItems 999
   */
  lines: ErpCreditMemoLine[];
  /**
   * Set by the ERP; ignored on PUT.
   */
  createdAt?: string;
}
/**
 * This interface was referenced by `ErpCreditMemo`'s JSON-Schema
 * via the `definition` "line".
 */
export interface ErpCreditMemoLine {
  lineNo: number;
  /**
   * ITEM credits order lines by quantity; the others credit an amount.
   */
  type: 'ITEM' | 'WRAPPING' | 'SHIPPING' | 'HANDLING' | 'ORDER' | 'FEE';
  /**
   * BigCommerce id of what is credited: order product id (ITEM, WRAPPING), order address id (SHIPPING, HANDLING), order id (ORDER), fee id (FEE).
   */
  orderLineRef: number;
  quantity?: number;
  amount?: number;
}
