/**
 * One simulated BigCommerce store: its state and every mutation the Management API and shopper
 * traffic can make. A mutation changes state, writes the full resource to the ledger, and raises
 * the platform's webhook scopes (bigcommerce-facts.md section c, "Scopes").
 *
 * No HTTP here: request validation and envelopes live in `simulator/http`; this module takes
 * validated input and throws DomainError for the platform's business rules.
 *
 * This file is the composition root: it builds the shared context (`store/context.ts`: state, id
 * counters, `record`/`changed`/`emit`, the seeded faker), seeds it, and composes one module per
 * area into the `Store` API: `store/accounts.ts`, `catalog.ts` (products, variants, stock),
 * `customers.ts`, `orders.ts`, `shipments.ts`, `refunds.ts`, `carts.ts` and `hooks.ts`, with the
 * order helpers they share in `order-kit.ts` and the stock writer in `stock.ts`. The newer
 * resources are declared families (`simulator/families`, decision 0014) that reach the store
 * through this API.
 *
 * Determinism: the same seed gives the same store and orders byte for byte, so the order in which
 * `seedState` and the modules draw from the seeded faker and the id counters must not change.
 */
import { rfc2822 } from './format.ts';
import { generateOrder } from './order-profiles.ts';
import { statusById } from './order-statuses.ts';
import { createSeededFaker, generateCatalog } from './seed.ts';
import type { CatalogProfile, WorstCaseExtras } from './worst-case-catalog.ts';
import { createAccounts } from './store/accounts.ts';
import { createCarts } from './store/carts.ts';
import { createCatalog } from './store/catalog.ts';
import { createStoreContext, type StoreOptions } from './store/context.ts';
import { createCustomers } from './store/customers.ts';
import { createHooks } from './store/hooks.ts';
import { createOrderKit } from './store/order-kit.ts';
import { createOrders } from './store/orders.ts';
import { createRefunds } from './store/refunds.ts';
import { createShipments, seededShipment } from './store/shipments.ts';
import { createApplyStock } from './store/stock.ts';

export { FULL_SCOPES, randomToken, tokenFor } from './store/accounts.ts';
export { CUSTOMER_CONCURRENT_UPDATES } from './store/customers.ts';
export type { StoreOptions } from './store/context.ts';
export type { InventoryItemInput } from './store/catalog.ts';
export type { OrderFilter } from './store/orders.ts';
export type { ShipmentInput } from './store/shipments.ts';

export type Store = ReturnType<typeof createStore>;

export function createStore(options: StoreOptions) {
  const ctx = createStoreContext(options);
  const { clock, ids, hooks, carts, notifications, adminEmails, record } = ctx;
  const kit = createOrderKit(ctx);
  const { orderContext, purchaseTransaction } = kit;
  const applyStock = createApplyStock(ctx);

  const seedState = () => {
    ctx.faker = createSeededFaker(options.seed + 1);
    const catalog = generateCatalog({ seed: options.seed, now: clock.now(), products: options.products, customers: options.customers, ...(options.catalog ? { catalog: options.catalog } : {}) });
    ctx.worstCase = catalog.worstCase;
    ctx.products = new Map(catalog.products.map((p) => [p.id, p]));
    ctx.variants = new Map(catalog.variants.map((v) => [v.id, v]));
    ctx.variantsByProduct = new Map();
    for (const v of catalog.variants) {
      const list = ctx.variantsByProduct.get(v.product_id) ?? [];
      list.push(v);
      ctx.variantsByProduct.set(v.product_id, list);
    }
    ctx.productOptions = catalog.options;
    ctx.customerGroups = catalog.customerGroups;
    ctx.brandIds = new Set(catalog.brandIds);
    ctx.customers = new Map(catalog.customers.map((c) => [c.id, c]));
    ctx.orders = new Map();
    ctx.absoluteBaseline = new Set(catalog.variants.map((v) => `variant:${v.id}`).concat(catalog.products.map((p) => `product:${p.id}`)));
    ids.product.set(catalog.products.length + 1);
    ids.variant.set(catalog.variants.length + 1);
    ids.customer.set(catalog.customers.length + 1);
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) if (!['product', 'variant', 'customer'].includes(key)) ids[key].set(key === 'order' ? 100 : 1);
    // Past orders: dated over the last 30 days, in the statuses a running store has.
    const pastCount = options.pastOrders ?? 50;
    const now = clock.now();
    const pastStatuses = [10, 10, 2, 2, 11, 9, 5, 4, 7];
    for (let i = 0; i < pastCount; i++) {
      const at = now - (pastCount - i) * Math.floor((30 * 86_400_000) / Math.max(pastCount, 1));
      const generated = generateOrder('typical', orderContext(at));
      const statusId = ctx.faker.helpers.arrayElement(pastStatuses);
      const status = statusById(statusId)!;
      const o = generated.aggregate.order;
      o.status_id = status.id;
      o.status = status.name;
      o.custom_status = status.name;
      if (statusId === 2 || statusId === 10) {
        o.date_shipped = rfc2822(at + 86_400_000);
        o.items_shipped = o.items_total;
        for (const p of generated.aggregate.products) p.quantity_shipped = p.quantity;
        // A shipped order has the shipments that shipped it: one per address, its physical lines.
        for (const address of generated.aggregate.shippingAddresses) {
          const shipment = seededShipment(generated.aggregate, address, at + 86_400_000, ids.shipment.next());
          if (shipment) generated.aggregate.shipments.push(shipment);
        }
      }
      generated.aggregate.transactions.push(purchaseTransaction(generated.aggregate, at));
      ctx.orders.set(o.id, generated.aggregate);
    }
  };


  const store = {
    info: ctx.info,
    quota: options.quota,
    get products() {
      return ctx.products;
    },
    get variants() {
      return ctx.variants;
    },
    get customers() {
      return ctx.customers;
    },
    get customerGroups() {
      return ctx.customerGroups;
    },
    get productOptions() {
      return ctx.productOptions;
    },
    /** The catalog profile the store was seeded with. */
    catalogProfile: (options.catalog ?? 'typical') as CatalogProfile,
    /** The worst-case profile's extras (the deep category chain, the 600-variant product) for the families' seeds; undefined for `typical`. */
    get worstCase(): WorstCaseExtras | undefined {
      return ctx.worstCase;
    },
    get orders() {
      return ctx.orders;
    },
    hooks,
    carts,
    notifications,
    record,
    /** Raise a webhook scope to every active hook that matches it (the declared families in simulator/families raise theirs here). */
    emit: ctx.emit,

    // `accounts` and findAccount, putAccount, removeAccount.
    ...createAccounts(ctx),
    // hasBrand, setBrandLookup, setLocationLookup, variantsOf, updateProducts, updateVariants, adjustInventory, createProduct.
    ...createCatalog(ctx, applyStock),
    // customerUpdates, createCustomers, updateCustomers, registerShopperCustomers.
    ...createCustomers(ctx),
    // listOrders, getOrder, placeShopperOrder, createOrder, updateOrder, archiveOrder, archiveAllOrders, updateShippingAddress, countOrders.
    ...createOrders(ctx, kit, applyStock),
    // createShipment, getShipment, updateShipment, deleteShipment, deleteShipments.
    ...createShipments(ctx, kit),
    // getRefund, createRefund.
    ...createRefunds(ctx, kit),
    // convertCart, watchCart, createShopperCarts.
    ...createCarts(ctx, kit),
    // listHooks, getHook, createHook, updateHook, deleteHook, deactivateHook, deleteClientHooks, emitToClient, raiseDeliveryException, adminEmails, setAdminEmails.
    ...createHooks(ctx),

    reset() {
      hooks.clear();
      carts.clear();
      notifications.length = 0;
      adminEmails.clear();
      ids.hook.set(1);
      options.quota.reset();
      seedState();
      record({ kind: 'store:reset' });
    },
  };

  // `emit` and the hooks module hand the composed store to `onWebhook`.
  ctx.store = store;
  seedState();
  return store;
}
