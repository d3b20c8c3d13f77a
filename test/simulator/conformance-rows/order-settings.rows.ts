/**
 * Conformance rows of the order settings family (orders.v3.yml `/orders/settings...`). Run by
 * test/simulator/families-conformance-order-settings.test.ts (row.ts says how tables work).
 */
import { type DocumentException, type Row, type RowTable } from './row.ts';

const rows: Row[] = [
  { op: 'GET /v3/orders/settings', send: (sim) => sim.api('GET', '/v3/orders/settings') },
  { op: 'PUT /v3/orders/settings', send: (sim) => sim.api('PUT', '/v3/orders/settings', { notifications: { order_placed: { email_addresses: ['orders@example.com', 'lager@mueller.example'] }, forward_invoice: { email_addresses: ['buchhaltung@example.com'] } } }) },
  { op: 'GET /v3/orders/settings/channels/{channel_id}', send: (sim) => sim.api('GET', '/v3/orders/settings/channels/1') },
  { op: 'PUT /v3/orders/settings/channels/{channel_id}', send: (sim) => sim.api('PUT', '/v3/orders/settings/channels/2', { notifications: { order_placed: { email_addresses: ['amazon-orders@example.com'] }, forward_invoice: { email_addresses: null } } }) },
];

/**
 * orders.v3.yml puts the settings (`notifications`) beside `meta` at the top level of the answer;
 * the simulator answers `{data, meta}` like every other V3 answer and the other settings documents
 * (abandoned_carts.v3.yml), so the rows check `data` where the document expects the settings.
 */
const settingsInData: DocumentException = {
  reason: 'orders.v3.yml answers the order settings at the top level beside meta; the simulator answers {data, meta} like every other V3 answer (unconfirmed), so data is checked in their place',
  adapt: (body: any) => ({ ...body.data, meta: body.meta }),
};

export const table: RowTable = {
  name: 'order settings',
  rows,
  exceptions: Object.fromEntries(rows.map((r) => [r.op, settingsInData])),
};
