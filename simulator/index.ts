/**
 * The simulator's public surface: what the rest of the project (the UAT orchestrator, the
 * verifier, the mocks, the CLI, the benches) may use. Everything else under `simulator/` is its
 * own business and may change without notice; `test/architecture/boundaries.test.ts` keeps it
 * so. The basics every part shares (clock, random, events, the JSON Lines ledger, private files,
 * plans, listen) live in `lib/`, not here.
 */
export { startSimulator, type RunningSimulator, type StartOptions } from './http/server.ts';
export { listServedOperations, countByFamily } from './http/operations.ts';
export type { OperationRow } from './families/registry.ts';
export { renderCart } from './families/carts.ts';
export { createStore, FULL_SCOPES, randomToken, tokenFor, type Store } from './domain/store.ts';
export { storeHashFor } from './domain/simulator.ts';
export { destinationProblem } from './domain/destinations.ts';
export { faultPlanSchema } from './domain/faults.ts';
export { HARNESS_DELIVERY_ERRORS } from './domain/webhooks/dispatcher.ts';
export { createQuota } from './domain/quota.ts';
export { generateCatalog, type SeededCatalog } from './domain/seed.ts';
export { CATALOG_PROFILES, type CatalogProfile } from './domain/worst-case-catalog.ts';
export type { OrderProfile } from './domain/order-profiles.ts';
export type { Cart, OrderAggregate, V2OrderProduct, V3Customer } from './domain/model.ts';
