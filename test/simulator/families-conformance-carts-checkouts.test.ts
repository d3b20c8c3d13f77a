/**
 * Conformance of the carts and checkouts families against their official documents (the table:
 * conformance-rows/carts-checkouts.rows.ts).
 */
import { table } from './conformance-rows/carts-checkouts.rows.ts';
import { conformanceSuite } from './conformance-rows/row.ts';

conformanceSuite(table);
