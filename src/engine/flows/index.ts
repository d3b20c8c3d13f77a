/** The eight flows of DESIGN.md section 3, and the routes, feeds and scopes of a selection. */
import type { FlowId } from '../../mappings/flows.ts';
import { catalogPricingFlow } from './catalog-pricing.ts';
import { customersFlow } from './customers.ts';
import { inventoryFlow } from './inventory.ts';
import { invoicePaymentStatusFlow } from './invoice-payment-status.ts';
import { marketingEventsFlow } from './marketing-events.ts';
import { ordersFlow } from './orders.ts';
import { returnsRefundsFlow } from './returns-refunds.ts';
import { shipmentTrackingFlow } from './shipment-tracking.ts';
import type { Feed, FlowDefinition, Route, SourceKind } from './types.ts';

export const allFlows: Record<FlowId, FlowDefinition> = {
  orders: ordersFlow,
  inventory: inventoryFlow,
  'catalog-pricing': catalogPricingFlow,
  customers: customersFlow,
  'shipment-tracking': shipmentTrackingFlow,
  'invoice-payment-status': invoicePaymentStatusFlow,
  'marketing-events': marketingEventsFlow,
  'returns-refunds': returnsRefundsFlow,
};

export interface FlowSelection {
  flows: FlowDefinition[];
  routes: Route[];
  feeds: Feed[];
  scopes: string[];
  routesFrom(source: SourceKind): Route[];
  route(spec: string): Route | undefined;
}

export function selectFlows(ids: readonly FlowId[]): FlowSelection {
  const flows = ids.map((id) => allFlows[id]);
  const routes = flows.flatMap((f) => f.routes);
  return {
    flows,
    routes,
    feeds: flows.flatMap((f) => f.feeds),
    scopes: [...new Set(flows.flatMap((f) => f.scopes))].sort(),
    routesFrom: (source) => routes.filter((r) => r.source === source),
    route: (spec) => routes.find((r) => r.spec === spec),
  };
}
