/**
 * The registry of declared families: the one list the HTTP adapter mounts, the conformance test
 * walks (it fails when a declared operation has no row), and `bc-harness sim --list-operations`
 * prints. Order matters only for seeding (channels before the sites and trees that name them).
 */
import { abandonedCartsFamily } from './abandoned-carts.ts';
import { brandsFamily } from './brands.ts';
import { cartsFamily } from './carts.ts';
import { categoriesFamily } from './categories.ts';
import { channelsFamily } from './channels.ts';
import { checkoutsFamily } from './checkouts.ts';
import { currenciesFamily } from './currencies.ts';
import { customerDetailsFamily } from './customer-details.ts';
import { customerGroupsFamily } from './customer-groups.ts';
import { customerMetafieldsFamily } from './customer-metafields.ts';
import { inventoryFamily } from './inventory.ts';
import { locationsFamily } from './locations.ts';
import type { FamilyDecl, FamilyScope, OperationKind } from './model.ts';
import { orderSettingsFamily } from './order-settings.ts';
import { orderSubResourcesFamily } from './order-sub-resources.ts';
import { priceListsFamily } from './price-lists.ts';
import { productDetailsFamily } from './product-details.ts';
import { productOptionsFamily } from './product-options.ts';
import { shippingFamily } from './shipping.ts';
import { sitesFamily } from './sites.ts';
import { storeInformationFamily } from './store-information.ts';
import { subscribersFamily } from './subscribers.ts';

export const FAMILIES: readonly FamilyDecl[] = [storeInformationFamily, currenciesFamily, channelsFamily, sitesFamily, categoriesFamily, brandsFamily, locationsFamily, inventoryFamily, shippingFamily, abandonedCartsFamily, customerGroupsFamily, customerDetailsFamily, subscribersFamily, priceListsFamily, orderSubResourcesFamily, orderSettingsFamily, customerMetafieldsFamily, productDetailsFamily, productOptionsFamily, cartsFamily, checkoutsFamily];

export interface OperationRow {
  method: string;
  /** As served under `/stores/{store_hash}`: `/v3/catalog/categories/{category_id}`. */
  path: string;
  family: string;
  op: OperationKind | 'hand-written';
  scope: FamilyScope | string;
  /** The official document, when known. */
  specFile?: string;
  specPath?: string;
  summary: string;
}

/** Every declared family operation, one row each. */
export function declaredOperations(families: readonly FamilyDecl[] = FAMILIES): OperationRow[] {
  return families.flatMap((family) =>
    family.routes.map((route) => ({
      method: route.method,
      path: `/${route.envelope ?? family.envelope}${route.path}`,
      family: family.name,
      op: route.op,
      scope: route.scope,
      specFile: route.spec.file,
      specPath: route.spec.path ?? route.path,
      summary: route.summary,
    })),
  );
}

/** `{category_id}` -> `:category_id`, for express. */
export function expressPath(specPath: string): string {
  return specPath.replace(/\{(\w+)\}/g, ':$1');
}

/** `:category_id` -> `{category_id}`, to compare an express route with a declared one. */
export function specStylePath(expressStyle: string): string {
  return expressStyle.replace(/:(\w+)/g, '{$1}');
}
