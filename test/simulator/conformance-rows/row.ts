/**
 * The families conformance tables (issue 13), split per family so helpers adding families touch no
 * shared table: each `*.rows.ts` file in this folder exports a `table` (its rows and the document
 * exceptions they need). test/simulator/families-conformance.test.ts loads every table and fails
 * when a declared operation has no row in any of them; each table runs its rows in its own test
 * file through `conformanceSuite`, against one simulator, validating every success answer against
 * its official document (../shared/bigcommerce-specs/more or current, read in place).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredOperations } from '../../../simulator/families/registry.ts';
import { startTestSim, type ApiResponse, type TestSim } from '../../support/simulator.ts';
import { createSpecValidator, formatAjvErrors, haveSpecs, loadSpec, responseSchema, specsDir, type SpecValidator } from '../../support/specs.ts';

export interface Row {
  /** `METHOD /v2|v3/path` exactly as the registry lists it. */
  op: string;
  /** What the call does, when it is not obvious from the operation. */
  note?: string;
  send(sim: TestSim): Promise<ApiResponse>;
}

/** Where the official document is wrong about what the platform answers: the row's answer is checked with this correction. */
export interface DocumentException {
  reason: string;
  adapt(body: any): unknown;
}

export interface RowTable {
  /** The families the rows cover (for the suite's title). */
  name: string;
  rows: Row[];
  exceptions?: Record<string, DocumentException>;
}

/** A setup call that must succeed; its JSON body. */
export async function created(sim: TestSim, method: string, path: string, body?: unknown): Promise<any> {
  const res = await sim.api(method, path, body);
  if (res.status >= 300) throw new Error(`Setup ${method} ${path} answered ${res.status}: ${res.text}`);
  return res.body;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every `*.rows.ts` table in this folder, so a new family's table is covered without editing a shared list. */
export async function loadRowTables(): Promise<RowTable[]> {
  const files = fs.readdirSync(here).filter((f) => f.endsWith('.rows.ts')).sort();
  const modules = await Promise.all(files.map((f) => import(pathToFileURL(path.join(here, f)).href) as Promise<{ table?: RowTable }>));
  return modules.map((m, i) => {
    if (!m.table) throw new Error(`${files[i]} exports no \`table\`: export const table: RowTable = {name, rows, exceptions}.`);
    return m.table;
  });
}

/** Top-level property names a schema documents (through allOf), to catch a body that validates only because it shares none of them. */
function documentedKeys(schema: any): string[] {
  if (!schema || typeof schema !== 'object') return [];
  return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap(documentedKeys)];
}

/** Run one table: every row against one simulator, its success answer validated against its document. */
export function conformanceSuite(table: RowTable): void {
  const declared = declaredOperations();
  const byKey = new Map(declared.map((d) => [`${d.method} ${d.path}`, d]));
  const exceptions = table.exceptions ?? {};
  const specSuite = haveSpecs ? describe : describe.skip;

  describe(`the ${table.name} conformance table`, () => {
    it('lists a reason for every documented exception, each for a row that exists', () => {
      for (const [op, exception] of Object.entries(exceptions)) {
        expect(table.rows.map((r) => r.op)).toContain(op);
        expect(exception.reason.length).toBeGreaterThan(40);
      }
    });
    it('has rows only for declared operations, one each', () => {
      const stray = table.rows.map((r) => r.op).filter((k) => !byKey.has(k));
      expect(stray, 'rows for operations the registry does not declare').toEqual([]);
      expect(new Set(table.rows.map((r) => r.op)).size, 'one row per operation').toBe(table.rows.length);
    });
  });

  specSuite(haveSpecs ? `every ${table.name} operation answers as its official document says` : `${table.name} conformance (skipped: no specs folder at ${specsDir})`, () => {
    let sim: TestSim;
    let validator: SpecValidator;

    beforeAll(async () => {
      sim = await startTestSim({ plan: 'enterprise', deliver: async () => ({ status: 200, durationMs: 0 }) });
      validator = createSpecValidator();
    });
    afterAll(async () => {
      await sim?.close();
    });

    for (const row of table.rows) {
      const op = byKey.get(row.op);
      it(`${row.op}${row.note ? ` (${row.note})` : ''} matches ${op?.specFile ?? '(undeclared)'}`, async () => {
        expect(op, `${row.op} is not declared`).toBeDefined();
        const res = await row.send(sim);
        expect(res.status, `${row.op} answered ${res.status}: ${res.text.slice(0, 400)}`).toBeLessThan(300);
        const spec = await loadSpec(op!.specFile!);
        const operation = spec.paths?.[op!.specPath!]?.[op!.method.toLowerCase()];
        expect(operation, `${op!.specFile} documents no ${op!.method} ${op!.specPath}`).toBeDefined();
        expect(Object.keys(operation.responses), `${op!.specFile} ${op!.method} ${op!.specPath} documents no ${res.status} answer`).toContain(String(res.status));
        const content = operation.responses[String(res.status)].content;
        const schema = content?.['application/json']?.schema;
        if (res.status === 204) {
          expect(res.text, `${row.op} answered 204 with a body`).toBe('');
          return;
        }
        // A success the document gives no content (POST /pricelists/assignments: 200 "No content") must come without a body.
        if (!content) {
          expect(res.text, `${op!.specFile} ${op!.method} ${op!.specPath} ${res.status} documents no content, but the simulator sent a body`).toBe('');
          return;
        }
        expect(schema, `${op!.specFile} ${op!.method} ${op!.specPath} ${res.status} documents no JSON body, but the simulator sent ${res.text.slice(0, 100)}`).toBeDefined();
        const exception = exceptions[row.op];
        const body = exception ? exception.adapt(res.body) : res.body;
        const documented = responseSchema(spec, op!.specFile!, op!.specPath!, op!.method, res.status);
        const validate = validator.compile(documented);
        expect(validate(body), `${row.op} does not match ${op!.specFile} ${op!.method} ${op!.specPath} ${res.status}:\n${formatAjvErrors(validate.errors, body)}`).toBe(true);
        // A body that shares no property with the document would pass vacuously: it must share one.
        const keys = documentedKeys(documented);
        if (keys.length > 0 && body && typeof body === 'object' && !Array.isArray(body)) {
          expect(Object.keys(body).filter((k) => keys.includes(k)), `${row.op}: none of the documented properties ${keys.join(', ')} in ${JSON.stringify(body).slice(0, 200)}`).not.toEqual([]);
        }
      });
    }
  });
}
