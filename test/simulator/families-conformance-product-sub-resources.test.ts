/**
 * Conformance of the product sub-resource families (images, custom fields, bulk pricing rules,
 * product and variant metafields, options, modifiers and their values): the rows in
 * conformance-rows/product-sub-resources.rows.ts, each success answer validated against its
 * official document. families-conformance.test.ts checks that the tables together cover the registry.
 */
import { table } from './conformance-rows/product-sub-resources.rows.ts';
import { conformanceSuite } from './conformance-rows/row.ts';

conformanceSuite(table);
