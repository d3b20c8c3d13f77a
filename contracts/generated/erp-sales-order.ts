/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/connected/erp-sales-order.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * OPEN accepted, HOLD needs review, RELEASED to the warehouse, PARTSHIP partly shipped, SHIPPED, CLOSED invoiced and paid, CANCELLED, REFUNDED.
 *
 * This interface was referenced by `ErpSalesOrder`'s JSON-Schema
 * via the `definition` "status".
 */
export type ErpOrderStatus =
  'OPEN' | 'HOLD' | 'RELEASED' | 'PARTSHIP' | 'SHIPPED' | 'CLOSED' | 'CANCELLED' | 'REFUNDED';

/**
 * The legacy ERP's sales order: the body of PUT /sales-orders/{externalId} (an upsert keyed by externalId; POST /sales-orders creates a new record every time) and of GET /sales-orders/{externalId} (DESIGN.md section 8). The ERP is a typical midrange system: fixed-width character fields (names 30, address lines 35, SKUs 20), ISO 3166-1 alpha-2 country codes, ISO 4217 currencies, its own status codes, amounts rounded to cents, and a 422 {errors:[{field,message}]} for any value that does not fit. It also rejects SKUs its item master does not know (a runtime check of the mock, not expressible here). Closed objects: the ERP's importer refuses unknown fields.
 */
export interface ErpSalesOrder {
  /**
   * The BigCommerce order id: the idempotency key of the upsert.
   */
  externalId: string;
  orderDate: string;
  /**
   * ERP customer account: C<BigCommerce customer id> for registered customers, WEBGUEST for guest checkouts.
   */
  customerNo: string;
  /**
   * The buyer's purchase order number; invoices are matched on it.
   */
  customerPo?: string;
  channel?: 'WEB' | 'MKTPL' | 'PHONE';
  status: ErpOrderStatus;
  currency: string;
  /**
   * Units of the order currency per unit of the ERP's base currency.
   */
  exchangeRate?: number;
  paymentMethod?: 'CC' | 'PO' | 'GC' | 'SC' | 'MIXED' | 'PAYPAL' | 'MANUAL' | 'OTHER';
  paymentRef?: string;
  /**
   * Free text printed on the pick list.
   */
  comment?: string;
  billTo: ErpAddress;
  /**
   * Delivery addresses; each line names one by shipToCode. The ERP keeps at most 9 per order.
   *
   * @minItems 1
   * @maxItems 9
   */
  shipTos: ErpShipTo[];
  /**
   * @minItems 1
   * @maxItems 999
   */
  lines: ErpOrderLine[];
  totals: ErpOrderTotals;
}
/**
 * This interface was referenced by `ErpSalesOrder`'s JSON-Schema
 * via the `definition` "address".
 */
export interface ErpAddress {
  name: string;
  company?: string;
  street1: string;
  street2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  /**
   * ISO 3166-1 alpha-2; the ERP rejects country names.
   */
  country: string;
  phone?: string;
  email?: string;
}
/**
 * This interface was referenced by `ErpSalesOrder`'s JSON-Schema
 * via the `definition` "shipTo".
 */
export interface ErpShipTo {
  /**
   * Order-local code the lines refer to (the BigCommerce order address id).
   */
  shipToCode: string;
  address: ErpAddress;
  /**
   * The ERP's carrier/service code.
   */
  shipVia?: 'GROUND' | 'EXPRESS' | 'FREIGHT' | 'PICKUP';
  freight?: number;
}
/**
 * This interface was referenced by `ErpSalesOrder`'s JSON-Schema
 * via the `definition` "line".
 */
export interface ErpOrderLine {
  lineNo: number;
  /**
   * The BigCommerce order product id, so credit memos and shipments can refer back to the line.
   */
  sourceLineId?: number;
  lineType?: 'ITEM' | 'DIGITAL' | 'GIFTCARD';
  /**
   * The ERP item number. Unknown items are rejected.
   */
  sku: string;
  description?: string;
  /**
   * Chosen options as text (size, colour, engraving).
   */
  options?: string;
  quantity: number;
  unitPrice: number;
  taxAmount?: number;
  /**
   * Quantity times unit price, excluding tax.
   */
  lineTotal: number;
  /**
   * Absent for lines that are not shipped (digital goods, gift certificates).
   */
  shipToCode?: string;
}
/**
 * This interface was referenced by `ErpSalesOrder`'s JSON-Schema
 * via the `definition` "totals".
 */
export interface ErpOrderTotals {
  subtotal: number;
  freight: number;
  discount: number;
  tax: number;
  total: number;
  /**
   * Paid with gift certificates and store credit: not owed by the customer.
   */
  prepaid?: number;
}
