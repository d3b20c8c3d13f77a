/**
 * Shipment tracking, 3PL to BigCommerce: the 3PL's shipment feed polled by watermark, each
 * parcel posted once as an order shipment. BigCommerce shipments have no external reference, so
 * the outbox remembers which 3PL shipment became which BigCommerce shipment, and after a crash
 * mid-POST the writer looks for the shipment (its comments carry the 3PL shipment id) before it
 * posts again: a parcel is never recorded twice.
 */
import { MINUTE, type FlowDefinition } from './types.ts';

export const shipmentTrackingFlow: FlowDefinition = {
  id: 'shipment-tracking',
  routes: [{ spec: '3pl-shipments-to-bigcommerce', flow: 'shipment-tracking', source: '3pl-shipments', target: 'bc.shipment', policy: 'once' }],
  feeds: [{ name: '3pl-shipments', source: '3pl-shipments', system: '3pl', path: '/shipments', everyMs: 5 * MINUTE }],
  scopes: [],
};
