/**
 * Where each BigCommerce resource contract lives in the official OpenAPI documents, by operation
 * (path, method, response status or request body) rather than by component name: component names
 * change between versions (product_Base became product_Base_PUT), operations rarely do.
 *
 * A resource groups its representations (the GET response, the update body): the drift check
 * compares every representation of every resource a mapping spec uses, so a field that leaves the
 * response but stays accepted on PUT (brand_name, 2024-06) is reported for the catalog flow.
 *
 * Which given file is which API is decided by content (identifyDocuments), never by file name: a
 * copy of orders.v2.oas2.yml saved as "platform-2026-05.yaml" is still the Orders V2 document, and
 * matching by name made such a copy pass with nothing compared.
 */
import { operationKey, type OpenApiDocument, type OperationLocator } from './openapi.ts';

/** One BigCommerce API reference document, as its content identifies it. */
export interface ApiDocument {
  id: string;
  /** info.title of the official document. */
  title: string;
  /** The version segment of its server URL: Customers V2 and V3 both define GET /customers. */
  apiVersion: 'v2' | 'v3';
  /** The official file name, for messages only ("e.g. orders.v2.oas2.yml"). */
  file: string;
}

export const API_DOCUMENTS: ApiDocument[] = [
  { id: 'orders-v2', title: 'Orders V2', apiVersion: 'v2', file: 'orders.v2.oas2.yml' },
  { id: 'orders-v3', title: 'Orders V3', apiVersion: 'v3', file: 'orders.v3.yml' },
  { id: 'catalog-products', title: 'Catalog - Products', apiVersion: 'v3', file: 'products_catalog.v3.yml' },
  { id: 'customers-v3', title: 'Customers V3', apiVersion: 'v3', file: 'customers.v3.yml' },
  { id: 'inventory', title: 'Inventory', apiVersion: 'v3', file: 'inventory.v3.yml' },
  { id: 'carts', title: 'Carts', apiVersion: 'v3', file: 'carts.v3.yml' },
];

export interface Representation {
  /** The contract describing it in this project ("bigcommerce/order"). */
  contract: string;
  locator: OperationLocator;
  /** JSON pointers into the contract that specs target ("#/$defs/item") and where they are in the OpenAPI schema. */
  subSchemas?: Record<string, string[]>;
}

export interface ResourceLocation {
  resource: string;
  /** The ApiDocument id whose operations hold it. */
  document: string;
  representations: Representation[];
}

export const RESOURCE_LOCATIONS: ResourceLocation[] = [
  {
    resource: 'order',
    document: 'orders-v2',
    representations: [
      { contract: 'bigcommerce/order', locator: { path: '/orders/{order_id}', method: 'get', status: '200' } },
      { contract: 'bigcommerce/order-update', locator: { path: '/orders/{order_id}', method: 'put', status: 'request' } },
    ],
  },
  {
    resource: 'order product',
    document: 'orders-v2',
    representations: [{ contract: 'bigcommerce/order-product', locator: { path: '/orders/{order_id}/products/{product_id}', method: 'get', status: '200' } }],
  },
  {
    resource: 'order shipping address',
    document: 'orders-v2',
    representations: [{ contract: 'bigcommerce/shipping-address', locator: { path: '/orders/{order_id}/shipping_addresses/{id}', method: 'get', status: '200' } }],
  },
  {
    resource: 'shipment',
    document: 'orders-v2',
    representations: [
      { contract: 'bigcommerce/shipment', locator: { path: '/orders/{order_id}/shipments/{shipment_id}', method: 'get', status: '200' } },
      { contract: 'bigcommerce/shipment-create', locator: { path: '/orders/{order_id}/shipments', method: 'post', status: 'request' } },
    ],
  },
  {
    resource: 'product',
    document: 'catalog-products',
    representations: [
      { contract: 'bigcommerce/product', locator: { path: '/catalog/products/{product_id}', method: 'get', status: '200', pointer: ['properties', 'data'] } },
      { contract: 'bigcommerce/product-batch-update', locator: { path: '/catalog/products', method: 'put', status: 'request' }, subSchemas: { '#/$defs/item': ['items'] } },
    ],
  },
  {
    resource: 'customer',
    document: 'customers-v3',
    representations: [
      { contract: 'bigcommerce/customer', locator: { path: '/customers', method: 'get', status: '200', pointer: ['properties', 'data', 'items'] } },
      { contract: 'bigcommerce/customer-batch-update', locator: { path: '/customers', method: 'put', status: 'request' }, subSchemas: { '#/$defs/item': ['items'] } },
    ],
  },
  {
    resource: 'inventory adjustment',
    document: 'inventory',
    representations: [
      { contract: 'bigcommerce/inventory-adjustment', locator: { path: '/inventory/adjustments/absolute', method: 'put', status: 'request' }, subSchemas: { '#/$defs/item': ['properties', 'items', 'items'] } },
    ],
  },
  {
    resource: 'refund',
    document: 'orders-v3',
    representations: [
      { contract: 'bigcommerce/refund', locator: { path: '/orders/{order_id}/payment_actions/refunds', method: 'get', status: '200', pointer: ['properties', 'data', 'items'] } },
      { contract: 'bigcommerce/refund-request', locator: { path: '/orders/{order_id}/payment_actions/refunds', method: 'post', status: 'request' } },
    ],
  },
  {
    resource: 'cart',
    document: 'carts',
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

export function apiDocument(id: string): ApiDocument {
  const found = API_DOCUMENTS.find((d) => d.id === id);
  if (!found) throw new Error(`No API document "${id}" in API_DOCUMENTS`);
  return found;
}

/** The operations ("GET /orders/{order_id}") the contracts of an API document are tied to. */
export function operationsOf(documentId: string): string[] {
  const out = RESOURCE_LOCATIONS.filter((r) => r.document === documentId).flatMap((r) => r.representations.map((x) => `${x.locator.method.toUpperCase()} ${x.locator.path}`));
  return [...new Set(out)];
}

export interface DocumentClaim {
  api: ApiDocument;
  document: OpenApiDocument;
  /** The API's operations the document defines: the evidence. */
  operations: string[];
}

export interface Identification {
  /** Every claim, in the order the documents were given. */
  claims: DocumentClaim[];
  /** API document id -> the one document that claims it (absent when none does or two do). */
  byApi: Map<string, OpenApiDocument>;
  /** APIs claimed by more than one document. */
  conflicts: { api: ApiDocument; claims: DocumentClaim[] }[];
  /** Documents that define some operations of an API but under another version (GET /customers under /v2). */
  versionMismatches: DocumentClaim[];
}

/**
 * Which given document is which BigCommerce API, by content. A document claims an API when it
 * defines at least one of the operations that API's contracts are tied to (path parameters
 * unnamed) and its version (servers, basePath, else title) is that API's or unknown. The
 * operations decide because they are what the check reads; the version separates the APIs that
 * share paths. A document may claim several APIs (a bundled document). Two documents claiming one
 * API is reported, not resolved: picking one could check the copy the user did not mean.
 */
export function identifyDocuments(documents: OpenApiDocument[]): Identification {
  const claims: DocumentClaim[] = [];
  const versionMismatches: DocumentClaim[] = [];
  for (const document of documents) {
    for (const api of API_DOCUMENTS) {
      const operations = operationsOf(api.id).filter((op) => {
        const [method, p] = op.split(' ');
        return document.operations.has(operationKey(method!, p!));
      });
      if (operations.length === 0) continue;
      const claim = { api, document, operations };
      if (document.apiVersion && document.apiVersion !== api.apiVersion) versionMismatches.push(claim);
      else claims.push(claim);
    }
  }
  const byApi = new Map<string, OpenApiDocument>();
  const conflicts: Identification['conflicts'] = [];
  for (const api of API_DOCUMENTS) {
    const mine = claims.filter((c) => c.api === api);
    if (mine.length === 1) byApi.set(api.id, mine[0]!.document);
    else if (mine.length > 1) conflicts.push({ api, claims: mine });
  }
  return { claims, byApi, conflicts, versionMismatches };
}
