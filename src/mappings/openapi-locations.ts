/**
 * Where each BigCommerce resource contract lives in the official OpenAPI documents, by operation
 * (path, method, response status or request body) rather than by component name: component names
 * change between versions (product_Base became product_Base_PUT), operations rarely do.
 *
 * A resource groups its representations (the GET response, the update body): the drift check
 * compares every representation of every resource a mapping spec uses, so a field that leaves the
 * response but stays accepted on PUT (brand_name, 2024-06) is reported for the catalog flow.
 */
import type { OperationLocator } from './openapi.ts';

export interface Representation {
  /** The contract describing it in this project ("bigcommerce/order"). */
  contract: string;
  locator: OperationLocator;
  /** JSON pointers into the contract that specs target ("#/$defs/item") and where they are in the OpenAPI schema. */
  subSchemas?: Record<string, string[]>;
}

export interface ResourceLocation {
  resource: string;
  file: string;
  representations: Representation[];
}

export const RESOURCE_LOCATIONS: ResourceLocation[] = [
  {
    resource: 'order',
    file: 'orders.v2.oas2.yml',
    representations: [
      { contract: 'bigcommerce/order', locator: { path: '/orders/{order_id}', method: 'get', status: '200' } },
      { contract: 'bigcommerce/order-update', locator: { path: '/orders/{order_id}', method: 'put', status: 'request' } },
    ],
  },
  {
    resource: 'order product',
    file: 'orders.v2.oas2.yml',
    representations: [{ contract: 'bigcommerce/order-product', locator: { path: '/orders/{order_id}/products/{product_id}', method: 'get', status: '200' } }],
  },
  {
    resource: 'order shipping address',
    file: 'orders.v2.oas2.yml',
    representations: [{ contract: 'bigcommerce/shipping-address', locator: { path: '/orders/{order_id}/shipping_addresses/{id}', method: 'get', status: '200' } }],
  },
  {
    resource: 'shipment',
    file: 'orders.v2.oas2.yml',
    representations: [
      { contract: 'bigcommerce/shipment', locator: { path: '/orders/{order_id}/shipments/{shipment_id}', method: 'get', status: '200' } },
      { contract: 'bigcommerce/shipment-create', locator: { path: '/orders/{order_id}/shipments', method: 'post', status: 'request' } },
    ],
  },
  {
    resource: 'product',
    file: 'products_catalog.v3.yml',
    representations: [
      { contract: 'bigcommerce/product', locator: { path: '/catalog/products/{product_id}', method: 'get', status: '200', pointer: ['properties', 'data'] } },
      { contract: 'bigcommerce/product-batch-update', locator: { path: '/catalog/products', method: 'put', status: 'request' }, subSchemas: { '#/$defs/item': ['items'] } },
    ],
  },
  {
    resource: 'customer',
    file: 'customers.v3.yml',
    representations: [
      { contract: 'bigcommerce/customer', locator: { path: '/customers', method: 'get', status: '200', pointer: ['properties', 'data', 'items'] } },
      { contract: 'bigcommerce/customer-batch-update', locator: { path: '/customers', method: 'put', status: 'request' }, subSchemas: { '#/$defs/item': ['items'] } },
    ],
  },
  {
    resource: 'inventory adjustment',
    file: 'inventory.v3.yml',
    representations: [
      { contract: 'bigcommerce/inventory-adjustment', locator: { path: '/inventory/adjustments/absolute', method: 'put', status: 'request' }, subSchemas: { '#/$defs/item': ['properties', 'items', 'items'] } },
    ],
  },
  {
    resource: 'refund',
    file: 'orders.v3.yml',
    representations: [
      { contract: 'bigcommerce/refund', locator: { path: '/orders/{order_id}/payment_actions/refunds', method: 'get', status: '200', pointer: ['properties', 'data', 'items'] } },
      { contract: 'bigcommerce/refund-request', locator: { path: '/orders/{order_id}/payment_actions/refunds', method: 'post', status: 'request' } },
    ],
  },
  {
    resource: 'cart',
    file: 'carts.v3.yml',
    representations: [{ contract: 'bigcommerce/cart', locator: { path: '/carts/{cartId}', method: 'get', status: '200', pointer: ['properties', 'data'] } }],
  },
];

export function locationOfContract(contract: string): { resource: ResourceLocation; representation: Representation } | undefined {
  for (const resource of RESOURCE_LOCATIONS) {
    const representation = resource.representations.find((r) => r.contract === contract);
    if (representation) return { resource, representation };
  }
  return undefined;
}
