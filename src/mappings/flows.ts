/**
 * The eight data flows of DESIGN.md section 3. Every mapping spec belongs to one; a flow can
 * have several specs (orders go to the ERP and to the 3PL; customers and refunds run both ways).
 */
export const systems = ['bigcommerce', 'erp', '3pl', 'crm', 'marketing'] as const;
export type SystemName = (typeof systems)[number];

export const systemLabels: Record<SystemName, string> = {
  bigcommerce: 'BigCommerce',
  erp: 'ERP',
  '3pl': '3PL',
  crm: 'CRM',
  marketing: 'Marketing platform',
};

export const flows = [
  { id: 'orders', title: 'Orders', direction: 'BigCommerce → ERP / 3PL', trigger: 'webhook, near real time' },
  { id: 'inventory', title: 'Inventory levels', direction: 'ERP → BigCommerce', trigger: 'scheduled or event' },
  { id: 'catalog-pricing', title: 'Catalog and pricing', direction: 'ERP/PIM → BigCommerce', trigger: 'scheduled batch' },
  { id: 'customers', title: 'Customers', direction: 'BigCommerce ↔ CRM', trigger: 'event, one system of record per field' },
  { id: 'shipment-tracking', title: 'Shipment tracking', direction: '3PL/carrier → BigCommerce', trigger: 'event' },
  { id: 'invoice-payment-status', title: 'Invoice and payment status', direction: 'ERP → BigCommerce', trigger: 'scheduled' },
  { id: 'marketing-events', title: 'Marketing events (orders, abandoned carts)', direction: 'BigCommerce → marketing', trigger: 'event' },
  { id: 'returns-refunds', title: 'Returns and refunds', direction: 'BigCommerce ↔ ERP', trigger: 'event' },
] as const;

export type FlowId = (typeof flows)[number]['id'];
export const flowIds = flows.map((f) => f.id) as [FlowId, ...FlowId[]];

export function flowById(id: FlowId) {
  return flows.find((f) => f.id === id)!;
}
