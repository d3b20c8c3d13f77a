/**
 * Conformance of the order sub-resources and customer metafields families against their official
 * documents (the table: conformance-rows/orders-customers.rows.ts).
 */
import { table } from './conformance-rows/orders-customers.rows.ts';
import { conformanceSuite } from './conformance-rows/row.ts';

conformanceSuite(table);
