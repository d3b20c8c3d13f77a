/**
 * Conformance of the customer and pricing families (customer groups, customer addresses,
 * attributes, form-field values, subscribers, price lists): the rows in
 * conformance-rows/customers-pricing.rows.ts, each success answer validated against its official
 * document. families-conformance.test.ts checks that the tables together cover the registry.
 */
import { table } from './conformance-rows/customers-pricing.rows.ts';
import { conformanceSuite } from './conformance-rows/row.ts';

conformanceSuite(table);
