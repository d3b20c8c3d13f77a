/**
 * Conformance of the order settings family against orders.v3.yml (the table:
 * conformance-rows/order-settings.rows.ts).
 */
import { table } from './conformance-rows/order-settings.rows.ts';
import { conformanceSuite } from './conformance-rows/row.ts';

conformanceSuite(table);
