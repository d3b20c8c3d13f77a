/**
 * Conformance of the declared families (simulator/families): every operation the registry declares
 * is called through real HTTP and its success answer is validated against its official document
 * (../shared/bigcommerce-specs/more or current, read in place). The rows live in per-family tables
 * (test/simulator/conformance-rows/*.rows.ts; row.ts says how they work): this file checks that
 * the tables together cover the registry (a declared operation without a row fails the suite, so a
 * family cannot grow an untested route) and runs the first families' table; the other tables run
 * in their own test files (families-conformance-*.test.ts).
 *
 * Each row makes what it needs first (a delete deletes a record it created), so rows run in any
 * order against one simulator.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { declaredOperations } from '../../simulator/families/registry.ts';
import { table as firstFamilies } from './conformance-rows/first-families.rows.ts';
import { conformanceSuite, loadRowTables } from './conformance-rows/row.ts';

const tables = await loadRowTables();

describe('the families conformance tables together', () => {
  it('have a row for every operation the registry declares, and none for an operation it does not', () => {
    const keys = declaredOperations().map((d) => `${d.method} ${d.path}`);
    const ops = tables.flatMap((t) => t.rows.map((r) => r.op));
    const covered = new Set(ops);
    const missing = keys.filter((k) => !covered.has(k));
    const stray = ops.filter((k) => !keys.includes(k));
    expect(missing, 'declared operations without a conformance row: add a row for each to a table in test/simulator/conformance-rows').toEqual([]);
    expect(stray, 'rows for operations the registry does not declare').toEqual([]);
    expect(covered.size, 'one row per operation across all tables').toBe(ops.length);
  });

  it('are each run by a test file', () => {
    // A table nobody runs would count as coverage without checking anything.
    const here = path.dirname(fileURLToPath(import.meta.url));
    const testSources = fs.readdirSync(here).filter((f) => f.endsWith('.test.ts')).map((f) => fs.readFileSync(path.join(here, f), 'utf8'));
    const tableFiles = fs.readdirSync(path.join(here, 'conformance-rows')).filter((f) => f.endsWith('.rows.ts'));
    expect(tableFiles.length).toBe(tables.length);
    const unrun = tableFiles.filter((f) => !testSources.some((src) => src.includes(`conformance-rows/${f}`) && src.includes('conformanceSuite(')));
    expect(unrun, 'tables no test file passes to conformanceSuite: add a families-conformance-<name>.test.ts').toEqual([]);
  });
});

conformanceSuite(firstFamilies);
