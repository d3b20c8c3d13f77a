// mappings/orders-to-erp-sales-order.yml written out in plain JavaScript (Node 20, no packages), so you can see field for
// field what the ERP must receive. toSalesOrder(order) takes a V2 order with its `products` and `shipping_addresses` and
// returns { record } to PUT, { skip } (the flow does not carry it) or { errors } (the spec's reject rules refuse it: report
// a dead letter). A module of its own so a test can hold it against the harness's applyMapping (test/uat/example-integration).
const STATUS = { 1: 'HOLD', 2: 'SHIPPED', 3: 'PARTSHIP', 4: 'REFUNDED', 5: 'CANCELLED', 6: 'CANCELLED', 7: 'HOLD',
  8: 'RELEASED', 9: 'RELEASED', 10: 'CLOSED', 11: 'OPEN', 12: 'HOLD', 13: 'HOLD', 14: 'OPEN' }; // a miss is rejected
const PAYMENT = { 'Credit Card': 'CC', 'Test Payment Gateway': 'CC', 'Pay by Purchase Order': 'PO', 'Gift Certificate': 'GC',
  'Store Credit': 'SC', PayPal: 'PAYPAL', Manual: 'MANUAL', Cash: 'MANUAL' }; // a miss is OTHER
const SHIP_VIA = { Freight: 'FREIGHT', Express: 'EXPRESS', 'Pickup In Store': 'PICKUP' }; // a miss (Flat Rate, ...) is GROUND
const LINE_TYPE = { physical: 'ITEM', digital: 'DIGITAL', giftcertificate: 'GIFTCARD' }; // a miss is rejected
// Country name or ISO code to the ISO code ("Japan" or "jp" -> "JP"), from the English names Node ships with.
const COUNTRY = new Map(), regionName = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
for (let i = 0; i < 26 * 26; i++) {
  const code = String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)), name = regionName.of(code);
  if (name && name !== code) COUNTRY.set(code.toLowerCase(), code).set(name.toLowerCase(), code);
}
// The spec's required fields and reject rules (a number is a maximum length in characters, or items for a list).
const REQUIRED = ['externalId', 'orderDate', 'customerNo', 'status', 'currency', 'shipTos', 'lines', 'shipTos[].shipToCode',
  ...['billTo', 'shipTos[].address'].flatMap((a) => ['name', 'street1', 'city', 'country'].map((f) => `${a}.${f}`)),
  ...['sku', 'quantity', 'unitPrice', 'lineTotal'].map((f) => `lines[].${f}`),
  ...['subtotal', 'freight', 'discount', 'tax', 'total'].map((f) => `totals.${f}`)];
const REJECT = { externalId: /^[A-Za-z0-9_-]{1,20}$/, orderDate: /^\d{4}-\d{2}-\d{2}$/, customerNo: 10, customerPo: 20,
  status: /^(OPEN|HOLD|RELEASED|PARTSHIP|SHIPPED|CLOSED|CANCELLED|REFUNDED)$/, currency: /^[A-Z]{3}$/, 'billTo.postalCode': 10,
  shipTos: 9, 'shipTos[].shipToCode': 10, 'shipTos[].address.postalCode': 10, 'shipTos[].address.country': /^[A-Z]{2}$/,
  'billTo.country': /^[A-Z]{2}$/, lines: 999, 'lines[].lineType': /^(ITEM|DIGITAL|GIFTCARD)$/, 'lines[].sku': 20, 'lines[].shipToCode': 10 };
const trim = (v) => (v == null ? '' : String(v).trim());
const squash = (v) => trim(v).replace(/\s+/g, ' '); // line breaks, tabs and runs of spaces become one space
const size = (v) => (Array.isArray(v) ? v.length : [...String(v)].length); // characters are code points, as JSON Schema counts
const omit = (v, max) => (size(v) > max ? undefined : v); // a cut phone number dials someone else
const graphemes = new Intl.Segmenter(), cut = (v, max) => { // truncate without splitting an emoji or a letter from its accent
  if (size(v) <= max) return v;
  let out = '', n = 0;
  for (const { segment } of graphemes.segment(v)) if ((n += size(segment)) <= max) out += segment; else break;
  return out;
};
const money = (v, dp = 2) => // "62.6750" -> 62.68, half away from zero, exact for decimal text
  trim(v) === '' ? undefined : (Math.sign(v) * Math.round(Number(`${trim(v).replace('-', '')}e${dp}`))) / 10 ** dp;
const lookup = (table, key, miss) => (key == null ? undefined : Object.hasOwn(table, key) ? table[key] : miss);
const day = (v) => (Number.isNaN(Date.parse(v)) ? undefined : new Date(v).toISOString().slice(0, 10)); // UTC calendar day
const address = (a) => ({
  name: cut(squash(`${a.first_name ?? ''} ${a.last_name ?? ''}`), 30), company: cut(squash(a.company), 30),
  street1: cut(squash(a.street_1), 35), street2: cut(squash(a.street_2), 35), city: cut(trim(a.city), 30),
  region: cut(trim(a.state), 20), postalCode: trim(a.zip), country: COUNTRY.get(trim(a.country_iso2 || a.country).toLowerCase()),
  phone: omit(trim(a.phone), 20), email: omit(trim(a.email).toLowerCase(), 60),
});
const line = (p, i) => ({
  lineNo: i + 1, sourceLineId: p.id, lineType: lookup(LINE_TYPE, p.type, p.type), sku: trim(p.sku), description: cut(squash(p.name), 40),
  options: cut(squash((p.product_options ?? []).map((o) => `${o.display_name ?? ''}: ${o.display_value ?? ''}`).join('; ')), 80),
  quantity: p.quantity, unitPrice: money(p.price_ex_tax), taxAmount: money(p.total_tax), lineTotal: money(p.total_ex_tax),
  shipToCode: Number(p.order_address_id) > 0 ? String(p.order_address_id) : undefined, // digital lines ship nowhere
});
const values = (record, path) => // every value at a path such as "lines[].sku"
  path.split('.').reduce((vs, k) => vs.flatMap((v) => (k.endsWith('[]') ? v?.[k.slice(0, -2)] ?? [] : [v?.[k]])), [record]);

export function toSalesOrder(o) {
  if (o.status_id == null) return { errors: ['the order has no status_id (renamed by a platform update?)'] };
  if (Number(o.status_id) === 0) return { skip: 'status 0 is a checkout that never completed' };
  const b = o.billing_address ?? {};
  const record = {
    externalId: String(o.id), orderDate: day(o.date_created), channel: 'WEB', status: lookup(STATUS, o.status_id, o.status_id),
    customerNo: o.customer_id == null ? undefined : String(o.customer_id) === '0' ? 'WEBGUEST' : `C${o.customer_id}`,
    customerPo: trim(b.form_fields?.find((f) => f?.name === 'PO Number')?.value), currency: trim(o.currency_code).toUpperCase(),
    exchangeRate: money(o.currency_exchange_rate, 6), paymentMethod: lookup(PAYMENT, o.payment_method, 'OTHER'),
    paymentRef: o.payment_provider_id == null ? undefined : cut(String(o.payment_provider_id), 35), comment: cut(squash(o.customer_message), 240),
    billTo: address(b),
    shipTos: (o.shipping_addresses ?? []).map((a) => ({ shipToCode: trim(a.id), address: address(a),
      shipVia: lookup(SHIP_VIA, a.shipping_method, 'GROUND'), freight: money(a.cost_ex_tax) })),
    lines: (o.products ?? []).map(line),
    totals: { subtotal: money(o.subtotal_ex_tax), freight: money(o.shipping_cost_ex_tax), discount: money(o.discount_amount) + money(o.coupon_discount),
      tax: money(o.total_tax), total: money(o.total_inc_tax), prepaid: money(o.gift_certificate_amount) + money(o.store_credit_amount) },
  };
  const empty = (v) => v == null || v === '' || Number.isNaN(v) || (Array.isArray(v) && v.length === 0);
  const errors = REQUIRED.filter((path) => values(record, path).some(empty)).map((path) => `${path} is required but empty`);
  for (const [path, rule] of Object.entries(REJECT)) for (const v of values(record, path)) {
    if (v == null || (typeof rule === 'number' ? size(v) <= rule : rule.test(v))) continue;
    errors.push(typeof rule === 'number' ? `${path} has ${size(v)} ${Array.isArray(v) ? 'items' : 'characters'}, over ${rule}` : `${path} ${JSON.stringify(v)} does not match ${rule}`);
  }
  return errors.length > 0 ? { errors } : { record };
}
