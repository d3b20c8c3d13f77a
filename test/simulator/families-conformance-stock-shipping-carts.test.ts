/**
 * Conformance of the locations, inventory items, shipping and abandoned carts families against
 * their official documents (the table: conformance-rows/stock-shipping-carts.rows.ts).
 */
import { table } from './conformance-rows/stock-shipping-carts.rows.ts';
import { conformanceSuite } from './conformance-rows/row.ts';

conformanceSuite(table);
