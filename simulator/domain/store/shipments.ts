/**
 * Shipments of an order (orders.v2.oas2.yml): creating one ships lines and moves the order to
 * Shipped or Partially Shipped; deleting one gives the quantities back. Also the shipment a seeded
 * shipped order was shipped with.
 */
import { notFound, unprocessable } from '../errors.ts';
import { money, rfc2822 } from '../format.ts';
import type { Address, OrderAggregate, V2Shipment, V2ShippingAddress } from '../model.ts';
import type { StoreContext } from './context.ts';
import type { OrderKit } from './order-kit.ts';

export interface ShipmentInput {
  order_address_id: number;
  items: { order_product_id: number; quantity: number }[];
  tracking_number?: string;
  tracking_carrier?: string;
  tracking_link?: string;
  shipping_method?: string;
  shipping_provider?: string;
  comments?: string;
  merchant_shipping_cost?: string;
}

/** A shipment's copy of an address: the address fields only, without the order address's counts and costs. */
const bareAddress = ({ first_name, last_name, company, street_1, street_2, city, state, zip, country, country_iso2, phone, email }: Address): Address => ({ first_name, last_name, company, street_1, street_2, city, state, zip, country, country_iso2, phone, email });

/** The shipment a seeded shipped order was shipped with (no webhook, no ledger line: it predates the run). */
export const seededShipment = (agg: OrderAggregate, address: V2ShippingAddress, at: number, id: number): V2Shipment | undefined => {
  const lines = agg.products.filter((p) => p.order_address_id === address.id && p.type !== 'digital' && p.quantity_shipped > 0);
  if (lines.length === 0) return undefined;
  address.items_shipped = lines.reduce((sum, p) => sum + p.quantity_shipped, 0);
  const tracking = `SIM${agg.order.id}${String(address.id).padStart(6, '0')}`;
  return {
    id,
    order_id: agg.order.id,
    customer_id: agg.order.customer_id,
    order_address_id: address.id,
    date_created: rfc2822(at),
    tracking_number: tracking,
    merchant_shipping_cost: address.cost_ex_tax,
    shipping_method: address.shipping_method,
    shipping_provider: '',
    tracking_carrier: 'ups',
    tracking_link: '',
    generated_tracking_link: `https://track.example/ups/${tracking}`,
    shipping_provider_display_name: 'Custom',
    comments: '',
    billing_address: bareAddress(agg.order.billing_address),
    shipping_address: bareAddress(address),
    items: lines.map((p) => ({ order_product_id: p.id, product_id: p.product_id, quantity: p.quantity_shipped })),
  };
};

export function createShipments(ctx: StoreContext, kit: OrderKit) {
  const { clock, ids, changed, emit } = ctx;
  const { touchOrder, orderSnapshot, setStatus, getOrder } = kit;

  const api = {
    createShipment(orderId: number, input: ShipmentInput): V2Shipment {
      const agg = getOrder(orderId, false);
      const address = agg.shippingAddresses.find((a) => a.id === input.order_address_id);
      if (!address) throw unprocessable(`The order_address_id ${input.order_address_id} is not an address of order ${orderId}.`, { order_address_id: 'unknown address for this order' });
      const lines = input.items.map((item, i) => {
        const line = agg.products.find((p) => p.id === item.order_product_id);
        if (!line) throw unprocessable(`The order_product_id ${item.order_product_id} is not a line of order ${orderId}.`, { [`items[${i}].order_product_id`]: 'unknown order product' });
        if (line.quantity_shipped + item.quantity > line.quantity) {
          throw unprocessable(`Cannot ship ${item.quantity} of order product ${line.id}: only ${line.quantity - line.quantity_shipped} left to ship.`, { [`items[${i}].quantity`]: 'exceeds the quantity left to ship' });
        }
        return { line, quantity: item.quantity };
      });
      const now = clock.now();
      for (const { line, quantity } of lines) line.quantity_shipped += quantity;
      const shipped = lines.reduce((s, l) => s + l.quantity, 0);
      address.items_shipped += shipped;
      agg.order.items_shipped += shipped;
      const shipment: V2Shipment = {
        id: ids.shipment.next(),
        order_id: orderId,
        customer_id: agg.order.customer_id,
        order_address_id: address.id,
        date_created: rfc2822(now),
        tracking_number: input.tracking_number ?? '',
        merchant_shipping_cost: input.merchant_shipping_cost ?? money(0),
        shipping_method: input.shipping_method ?? address.shipping_method,
        shipping_provider: input.shipping_provider ?? '',
        tracking_carrier: input.tracking_carrier ?? '',
        tracking_link: input.tracking_link ?? '',
        generated_tracking_link: input.tracking_number && input.tracking_carrier ? `https://track.example/${input.tracking_carrier}/${encodeURIComponent(input.tracking_number)}` : '',
        shipping_provider_display_name: input.shipping_provider ? input.shipping_provider.toUpperCase() : 'Custom',
        comments: input.comments ?? '',
        billing_address: bareAddress(agg.order.billing_address),
        shipping_address: bareAddress(address),
        items: lines.map(({ line, quantity }) => ({ order_product_id: line.id, product_id: line.product_id, quantity })),
      };
      agg.shipments.push(shipment);
      const physical = agg.products.filter((p) => p.type !== 'digital');
      const allShipped = physical.every((p) => p.quantity_shipped >= p.quantity);
      if (allShipped) agg.order.date_shipped = rfc2822(now);
      touchOrder(agg);
      changed('resource:created', 'shipment', shipment.id, shipment);
      emit('store/shipment/created', { type: 'shipment', id: shipment.id, orderId });
      setStatus(agg, allShipped ? 2 : 3);
      changed('resource:updated', 'order', orderId, orderSnapshot(agg));
      emit('store/order/updated', { type: 'order', id: orderId });
      return shipment;
    },

    getShipment(orderId: number, shipmentId: number): V2Shipment {
      const shipment = getOrder(orderId).shipments.find((s) => s.id === shipmentId);
      if (!shipment) throw notFound('shipment');
      return shipment;
    },

    updateShipment(orderId: number, shipmentId: number, patch: Partial<Pick<V2Shipment, 'tracking_number' | 'tracking_carrier' | 'tracking_link' | 'shipping_method' | 'shipping_provider' | 'comments' | 'merchant_shipping_cost'>>): V2Shipment {
      const shipment = api.getShipment(orderId, shipmentId);
      Object.assign(shipment, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      touchOrder(getOrder(orderId));
      changed('resource:updated', 'shipment', shipmentId, shipment);
      emit('store/shipment/updated', { type: 'shipment', id: shipmentId, orderId });
      return shipment;
    },

    deleteShipment(orderId: number, shipmentId: number): void {
      const agg = getOrder(orderId);
      const index = agg.shipments.findIndex((s) => s.id === shipmentId);
      if (index < 0) throw notFound('shipment');
      const [shipment] = agg.shipments.splice(index, 1);
      // Deleting a shipment gives the quantities back but does not take the order out of
      // Shipped (facts section f).
      for (const item of shipment!.items) {
        const line = agg.products.find((p) => p.id === item.order_product_id);
        if (line) line.quantity_shipped = Math.max(0, line.quantity_shipped - item.quantity);
        agg.order.items_shipped = Math.max(0, agg.order.items_shipped - item.quantity);
      }
      touchOrder(agg);
      changed('resource:deleted', 'shipment', shipmentId, shipment);
      emit('store/shipment/deleted', { type: 'shipment', id: shipmentId, orderId });
    },

    /** `DELETE /v2/orders/{id}/shipments`: every shipment of the order, each as a single delete would. */
    deleteShipments(orderId: number): number[] {
      const shipmentIds = getOrder(orderId).shipments.map((s) => s.id);
      for (const id of shipmentIds) api.deleteShipment(orderId, id);
      return shipmentIds;
    },
  };
  return api;
}
