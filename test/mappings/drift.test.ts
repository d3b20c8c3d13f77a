/**
 * The drift check. With ../shared/bigcommerce-specs it runs the shipped specs against the 2024-03
 * and 2026-04 official documents and must find what their README lists; without it, the same
 * changes come from the small OpenAPI fixtures this project writes (test/fixtures/openapi/).
 * Breaking changes (rename, retype, removal, newly required) are always checked on the fixtures.
 * Documents are identified by content: copies under unrelated names are written to a temporary
 * directory at test time (the official files are never copied into the project).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDrift } from '../../src/cli/commands/drift.ts';
import { createContractRegistry } from '../../src/mappings/contracts.ts';
import { checkDrift, driftReportSchema, renderDriftJunit, renderDriftMarkdown, type DriftReport } from '../../src/mappings/drift.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';
import { describeDocument, fieldTable, loadOpenApiSet, locateSchema, type OpenApiDocument } from '../../src/mappings/openapi.ts';
import { identifyDocuments } from '../../src/mappings/openapi-locations.ts';

const root = path.resolve(import.meta.dirname, '../..');
const sharedSpecs = path.resolve(process.cwd(), '../shared/bigcommerce-specs');
const haveShared = fs.existsSync(path.join(sharedSpecs, 'current')) && fs.existsSync(path.join(sharedSpecs, 'older'));
const haveMore = fs.existsSync(path.join(sharedSpecs, 'more'));
const noShared = (dir: string) => ` (skipped: ../shared/bigcommerce-specs/${dir} not found)`;
const fixtures = path.join(root, 'test/fixtures/openapi');
const fixtureMappings = path.join(root, 'test/fixtures/mappings/drift');
const shippedMappings = path.join(root, 'mappings');
const registry = createContractRegistry();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-drift-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function drift(mappings: string, spec: string, against?: string): Promise<DriftReport> {
  const { specs, issues } = loadSpecs(mappings, registry);
  expect(issues).toEqual([]);
  return checkDrift({
    specs,
    registry,
    current: await loadOpenApiSet([spec]),
    ...(against ? { previous: await loadOpenApiSet([against]) } : {}),
    generatedAt: '2026-01-01T00:00:00Z',
  });
}

const diff = (report: DriftReport, resource: string, field: string, change: string) =>
  report.differences.find((d) => d.resource === resource && d.field === field && d.change === change);

// The changes the official README lists between the older (2024-03) and current (2026-04) specs.
function expectReadmeChanges(report: DriftReport) {
  expect(diff(report, 'product', 'brand_name', 'removed'), 'brand_name gone from the product response').toMatchObject({ representation: expect.stringMatching(/^GET \/catalog\/products\/\{product_id\} 200 response/) });
  expect(diff(report, 'order', 'payment_method', 'enum'), 'the order payment_method enum dropped').toMatchObject({ before: 'Cash, Credit Card, Manual, Test Payment Gateway', after: '(no enum)' });
  expect(diff(report, 'order', 'fees', 'added'), 'order fees added').toBeDefined();
  expect(diff(report, 'order product', 'refunded_amount', 'removed')).toBeDefined();
  expect(diff(report, 'order product', 'refund_amount', 'added')).toBeDefined();
  expect(diff(report, 'order product', 'type', 'enum')).toMatchObject({ after: 'digital, giftcertificate, physical' });
  // payment_method is read through a lookup: the lost enum is a warning, not a silent change.
  expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'enum-removed', field: 'payment_method', severity: 'warning' })]));
}

describe.runIf(haveShared)(`drift between the official specs (../shared/bigcommerce-specs/older and current)`, () => {
  let report: DriftReport;
  beforeAll(async () => {
    report = await drift(shippedMappings, path.join(sharedSpecs, 'current'), path.join(sharedSpecs, 'older'));
  }, 30_000);

  it('finds the changes the specs README lists', () => expectReadmeChanges(report));

  it('finds no breaking change for the shipped specs, which were written against current', () => {
    expect(report.findings.filter((f) => f.severity === 'breaking')).toEqual([]);
    expect(report.verdict).toBe('ok');
    expect(report.summary.fieldsChecked).toBeGreaterThan(100);
  });

  it('flags the lookups that no enum bounds any more (split tenders in orders-to-erp-sales-order)', () => {
    expect(report.findings.find((f) => f.kind === 'enum-removed' && f.field === 'payment_method')?.specs).toContain('orders-to-erp-sales-order');
  });

  it('reports as breaking what the older document lacks when checked as if it were new', async () => {
    const backwards = await drift(shippedMappings, path.join(sharedSpecs, 'older'));
    // total_tax is read by the ERP spec and arrived after 2024-03.
    expect(backwards.findings).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'breaking', kind: 'removed', field: 'total_tax' })]));
    expect(backwards.verdict).toBe('breaking');
  }, 30_000);
});

describe.runIf(!haveShared)('drift between the official specs (skipped: ../shared/bigcommerce-specs not found; the fixtures below stand in)', () => {
  it('finds the README changes in the fixture documents instead', async () => {
    expectReadmeChanges(await drift(fixtureMappings, path.join(fixtures, 'current'), path.join(fixtures, 'older')));
  });
});

describe('drift on the project fixtures', () => {
  it('finds the README changes between the older and current fixtures, and nothing breaking', async () => {
    const report = await drift(fixtureMappings, path.join(fixtures, 'current'), path.join(fixtures, 'older'));
    expectReadmeChanges(report);
    expect(report.verdict).toBe('ok');
  });

  it('reports renamed, retyped, removed and newly required fields as breaking', async () => {
    const report = await drift(fixtureMappings, path.join(fixtures, 'next'), path.join(fixtures, 'current'));
    const breaking = report.findings.filter((f) => f.severity === 'breaking').map((f) => [f.kind, f.field, f.specs.join(',')]);
    expect(breaking).toEqual(
      expect.arrayContaining([
        ['renamed', 'status_id', 'fixture-orders-to-marketing'],
        ['retyped', 'total_inc_tax', 'fixture-orders-to-marketing'],
        ['removed', 'billing_address.email', 'fixture-orders-to-marketing'],
        ['newly-required', 'name', 'fixture-price-list-to-products'],
      ]),
    );
    expect(breaking).toHaveLength(4);
    expect(report.findings.find((f) => f.kind === 'renamed')?.message).toMatch(/status_code \(same type, similar name\)/);
    expect(report.verdict).toBe('breaking');
  });

  it('finds the same breaking changes without a previous document, against the contracts alone', async () => {
    const report = await drift(fixtureMappings, path.join(fixtures, 'next'));
    expect(report.findings.filter((f) => f.severity === 'breaking').map((f) => f.kind).sort()).toEqual(['newly-required', 'removed', 'renamed', 'retyped']);
    expect(report.differences).toEqual([]);
  });

  it('marks a resource whose document was not given as not checked, never as passed', async () => {
    const report = await drift(fixtureMappings, path.join(fixtures, 'current', 'orders.v2.oas2.yml'));
    expect(report.checked.filter((c) => c.resource === 'product').map((c) => c.status)).toEqual(['document-not-given', 'document-not-given']);
    expect(report.summary.notChecked).toBe(2);
  });

  it('renders Markdown, JSON and JUnit that agree with the report', async () => {
    const report = await drift(fixtureMappings, path.join(fixtures, 'next'), path.join(fixtures, 'current'));
    const md = renderDriftMarkdown(report);
    expect(md).toContain('Verdict: **BREAKING (4)**');
    expect(md).toMatch(/\| order \(bigcommerce\/order\) \| `status_id` \| renamed \|/);
    expect(md).toContain('## Field-level differences between the documents');
    expect(driftReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    const junit = renderDriftJunit(report);
    expect(junit).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="bc-harness drift" tests="\d+" failures="4"/);
    expect(junit).toContain('<failure type="renamed" message="status_id is gone and status_code');
    expect(junit.match(/<testsuite /g)?.length).toBe(report.checked.length);
  });
});

describe('bc-harness drift', () => {
  const quiet = () => {};

  it('exits 1 on a breaking change and writes JUnit and JSON', async () => {
    const junit = path.join(tmp, 'drift.xml');
    const out = path.join(tmp, 'drift.json');
    const { code } = await runDrift({ spec: [path.join(fixtures, 'next')], against: [path.join(fixtures, 'current')], junit, format: 'md', json: true, out, mappings: fixtureMappings }, quiet);
    expect(code).toBe(1);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).verdict).toBe('breaking');
    expect(fs.readFileSync(junit, 'utf8')).toContain('failures="4"');
  });

  it('exits 0 when only additive changes and warnings are found, printing Markdown', async () => {
    let text = '';
    const { code } = await runDrift({ spec: [path.join(fixtures, 'current')], against: [path.join(fixtures, 'older')], format: 'md', mappings: fixtureMappings }, (t) => (text += t));
    expect(code).toBe(0);
    expect(text).toContain('# Mapping drift report');
  });

  it.each([
    ['a missing file', { spec: [path.join(tmp, 'nope.yml')] }, /nope\.yml does not exist; pass an OpenAPI file or a directory of them/],
    ['a file that is not OpenAPI', { spec: [path.join(root, 'package.json')] }, /package\.json is not an OpenAPI document/],
    ['an unknown format', { spec: [path.join(fixtures, 'current')], format: 'xml' }, /--format must be md or json; got "xml"/],
    ['a mappings folder that does not exist', { spec: [path.join(fixtures, 'current')], mappings: path.join(tmp, 'none') }, /--mappings .* is not a directory of mapping specs/],
  ])('refuses %s with a message naming the flag', async (_, flags, message) => {
    await expect(runDrift({ format: 'md', mappings: fixtureMappings, ...flags } as never, quiet)).rejects.toThrow(message);
  });

  it('flattens an OpenAPI operation into fields with type, enum and required', async () => {
    const docs = await loadOpenApiSet([path.join(fixtures, 'next', 'products_catalog.v3.yml')]);
    const body = locateSchema(docs[0]!.doc, { path: '/catalog/products', method: 'put', status: 'request', pointer: ['items'] })!;
    expect(Object.fromEntries(fieldTable(body))).toEqual({
      brand_name: { types: ['string'], nullable: false, required: false },
      id: { types: ['number'], nullable: false, required: true },
      name: { types: ['string'], nullable: false, required: true, maxLength: 250 },
      price: { types: ['number'], nullable: false, required: false },
    });
  });
});

/** The real command line, as a user runs it: node bin/bc-harness.js, exit code and both streams. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/bc-harness.js'), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A copy of a document under a name that says nothing about it, with an optional edit. */
function copyAs(source: string, dir: string, name: string, edit: (text: string) => string = (t) => t): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  fs.writeFileSync(target, edit(fs.readFileSync(source, 'utf8')));
  return target;
}

/** Renames billing_address.email (only the billing address schema) to email_address. */
function renameBillingEmail(text: string): string {
  const start = text.indexOf('    billingAddress_Base:');
  const field = '        email:\n          type: string\n';
  const at = text.indexOf(field, start);
  expect(start, 'billingAddress_Base in orders.v2.oas2.yml').toBeGreaterThan(0);
  expect(at, 'email in billingAddress_Base').toBeGreaterThan(start);
  return `${text.slice(0, at)}        email_address:\n          type: string\n${text.slice(at + field.length)}`;
}

const storeInfoDoc = `openapi: 3.0.3
info: { title: Store Information (hand-made), version: '1' }
servers: [{ url: 'https://api.bigcommerce.com/stores/{store_hash}/v2' }]
paths:
  /store:
    get:
      responses:
        '200':
          description: The store.
          content: { application/json: { schema: { type: object, properties: { name: { type: string } } } } }
`;

describe('drift identifies documents by content, not file name', () => {
  const dir = path.join(tmp, 'by-content');
  let errors: string[];
  beforeAll(() => fs.mkdirSync(dir, { recursive: true }));
  afterEach(() => vi.restoreAllMocks());
  const quietly = () => {
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  };

  it('finds the breaking changes in a document saved under an unrelated name', async () => {
    const renamed = copyAs(path.join(fixtures, 'next', 'orders.v2.oas2.yml'), path.join(dir, 'a'), 'vendor-export-2026.yaml');
    const { code, report } = await runDrift({ spec: [renamed], format: 'md', mappings: fixtureMappings }, () => {});
    expect(code).toBe(1);
    expect(report!.findings.filter((f) => f.severity === 'breaking').map((f) => [f.kind, f.field])).toEqual(
      expect.arrayContaining([
        ['removed', 'billing_address.email'],
        ['renamed', 'status_id'],
      ]),
    );
    expect(report!.checked.find((c) => c.resource === 'order')).toMatchObject({ api: 'Orders V2', document: 'vendor-export-2026.yaml', status: 'checked' });
    expect(report!.documentsIdentified[0]!.note).toMatch(/^taken as Orders V2 \(defines GET \/orders\/\{order_id\}/);
  });

  it('matches --against to --spec by content too, whatever either file is called', async () => {
    const now = copyAs(path.join(fixtures, 'current', 'orders.v2.oas2.yml'), path.join(dir, 'b'), 'new.yml');
    const before = copyAs(path.join(fixtures, 'older', 'orders.v2.oas2.yml'), path.join(dir, 'b-old'), 'export.yml');
    const { code, report } = await runDrift({ spec: [now], against: [before], format: 'md', mappings: fixtureMappings }, () => {});
    expect(code).toBe(0);
    expect(report!.differences.find((d) => d.field === 'payment_method' && d.change === 'enum')).toBeDefined();
  });

  it('still finds an operation whose path parameter was renamed ({order_id} to {orderId})', async () => {
    const renamed = copyAs(path.join(fixtures, 'next', 'orders.v2.oas2.yml'), path.join(dir, 'c'), 'orders.yml', (t) => t.replaceAll('{order_id}', '{orderId}'));
    const report = await drift(fixtureMappings, renamed);
    expect(report.checked.filter((c) => c.api === 'Orders V2').map((c) => c.status)).not.toContain('operation-missing');
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'removed', field: 'billing_address.email' })]));
  });

  it('exits 2 and says why when no mapped field was compared, instead of "no breaking change"', async () => {
    const unrelated = copyAs(path.join(fixtures, 'current', 'orders.v2.oas2.yml'), path.join(dir, 'd'), 'store.yml', () => storeInfoDoc);
    quietly();
    let text = '';
    const { code, report } = await runDrift({ spec: [unrelated], format: 'md', mappings: fixtureMappings }, (t) => (text += t));
    expect(code).toBe(2);
    expect(report!.verdict).toBe('nothing-compared');
    expect(report!.summary.fieldsChecked).toBe(0);
    const message = errors.join('\n');
    expect(message).toMatch(/^error: Failed to compare any mapped field: none of the given documents defines an operation a mapping spec uses\. store\.yml looks like "Store Information \(hand-made\)" \(server https:\/\/api\.bigcommerce\.com\/stores\/\{store_hash\}\/v2; 1 operation\(s\): GET \/store\)/);
    expect(message).toMatch(/The specs use GET \/orders\/\{order_id\}.* \(Orders V2, e\.g\. orders\.v2\.oas2\.yml\); PUT \/catalog\/products \(Catalog - Products, e\.g\. products_catalog\.v3\.yml\)/);
    expect(text).toContain('Verdict: **NOTHING COMPARED (exit 2)**');
    expect(text).not.toContain('no breaking change');
    const junit = renderDriftJunit(report!);
    expect(junit).toMatch(/<testsuites name="bc-harness drift" tests="\d+" failures="0" skipped="\d+" errors="1">/);
    expect(junit).toContain('<error type="nothing-compared"');
  });

  it('refuses two documents that claim one API, naming both files (exit 2)', async () => {
    const both = path.join(dir, 'e');
    const original = copyAs(path.join(fixtures, 'current', 'orders.v2.oas2.yml'), both, 'orders.v2.oas2.yml');
    const copy = copyAs(path.join(fixtures, 'next', 'orders.v2.oas2.yml'), both, 'copy-of-orders.yml');
    await expect(runDrift({ spec: [both], format: 'md', mappings: fixtureMappings }, () => {})).rejects.toThrow(
      `Failed to choose the Orders V2 document among the --spec documents: ${copy} and ${original} both define its operations`,
    );
    // The same file reached twice (directly and through its directory) is one document, not a conflict.
    const { code } = await runDrift({ spec: [path.join(fixtures, 'current'), path.join(fixtures, 'current', 'orders.v2.oas2.yml')], format: 'md', mappings: fixtureMappings }, () => {});
    expect(code).toBe(0);
  });

  it('reads ["properties", "items", "items"] as the property called items, then its array items', () => {
    const item = { type: 'object', properties: { sku: { type: 'string' } } };
    const doc = { paths: { '/inventory/adjustments/absolute': { put: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string' }, items: { type: 'array', items: item } } } } } } } } } };
    expect(locateSchema(doc, { path: '/inventory/adjustments/absolute', method: 'put', status: 'request', pointer: ['properties', 'items', 'items'] })).toBe(item);
    // Swagger 2 keeps the body in a parameter; the path parameter name does not matter.
    const swagger = { swagger: '2.0', paths: { '/orders/{id}': { put: { parameters: [{ in: 'path', name: 'id' }, { in: 'body', name: 'body', schema: item }] } } } };
    expect(locateSchema(swagger, { path: '/orders/{order_id}', method: 'put', status: 'request' })).toBe(item);
  });

  it('tells APIs that share a path apart by the version in servers, basePath or title', () => {
    const doc = (d: object, name: string): OpenApiDocument => ({ file: `/x/${name}`, name, doc: d, ...describeDocument(d) });
    const customers = { paths: { '/customers': { get: {}, put: {} } } };
    const v2 = doc({ ...customers, servers: [{ url: 'https://api.bigcommerce.com/stores/{store_hash}/v2' }] }, 'a.yml');
    const v3 = doc({ ...customers, swagger: '2.0', basePath: '/stores/{store_hash}/v3' }, 'b.yml');
    const byTitle = doc({ ...customers, info: { title: 'Customers V2' } }, 'c.yml');
    const unknown = doc(customers, 'd.yml');
    expect([v2, v3, byTitle, unknown].map((d) => d.apiVersion ?? null)).toEqual(['v2', 'v3', 'v2', null]);
    const ids = identifyDocuments([v2, v3, byTitle]);
    expect(ids.byApi.get('customers-v3')?.name).toBe('b.yml');
    expect(ids.versionMismatches.map((c) => c.document.name)).toEqual(['a.yml', 'c.yml']);
    // A document that says nothing about its version is judged by its operations alone.
    expect(identifyDocuments([unknown]).byApi.get('customers-v3')?.name).toBe('d.yml');
  });
});

describe('bc-harness drift on renamed copies of the official documents (node bin/bc-harness.js)', () => {
  const dir = path.join(tmp, 'official-copies');

  it.runIf(haveShared)(`finds the renamed billing email in a copy of orders.v2.oas2.yml saved under another name (exit 1)${haveShared ? '' : noShared('current')}`, async () => {
    const copy = copyAs(path.join(sharedSpecs, 'current', 'orders.v2.oas2.yml'), dir, 'platform-2026-05.yaml', renameBillingEmail);
    const { code, stdout, stderr } = await cli('drift', '--spec', copy, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as DriftReport;
    expect(report.verdict).toBe('breaking');
    expect(report.findings.filter((f) => f.severity === 'breaking').map((f) => [f.kind, f.resource, f.field])).toEqual([['renamed', 'order', 'billing_address.email']]);
    expect(report.findings[0]!.message).toMatch(/billing_address\.email_address \(same type, similar name\)/);
    expect(report.summary.fieldsChecked).toBeGreaterThan(50);
    expect(report.checked.filter((c) => c.status === 'checked').every((c) => c.document === 'platform-2026-05.yaml')).toBe(true);
  }, 60_000);

  it.runIf(haveMore)(`exits 2 on an unrelated official document, saying no mapped field was compared and why${haveMore ? '' : noShared('more')}`, async () => {
    const { code, stdout, stderr } = await cli('drift', '--spec', path.join(sharedSpecs, 'more', 'store_information.v2.yml'), '--spec', path.join(sharedSpecs, 'more', 'customers.v2.yml'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: Failed to compare any mapped field: none of the given documents defines an operation a mapping spec uses\. store_information\.v2\.yml looks like "Store Information" \(server https:\/\/api\.bigcommerce\.com\/stores\/\{store_hash\}\/v2; 2 operation\(s\): GET \/store, GET \/time\)/);
    // Customers V2 shares GET /customers with Customers V3; its V2 server says it is not the one the specs use.
    expect(stderr).toContain('customers.v2.yml defines GET /customers of Customers V3 but under v2');
    expect(stderr).toMatch(/The specs use GET \/orders\/\{order_id\}.*\(Orders V2, e\.g\. orders\.v2\.oas2\.yml\)/);
    expect(stdout).toContain('Verdict: **NOTHING COMPARED (exit 2)**');
    expect(stdout).not.toContain('no breaking change');
  }, 60_000);

  it.runIf(haveShared)(`compares the inventory adjustment items, the body's "items" property (a pointer once skipped them unread)${haveShared ? '' : noShared('current')}`, async () => {
    const copy = copyAs(path.join(sharedSpecs, 'current', 'inventory.v3.yml'), dir, 'stock-levels.yml', (t) => {
      const at = t.indexOf('                  sku:\n', t.indexOf('    AdjustmentsAbsoluteRequest:'));
      expect(at, 'sku in AdjustmentsAbsoluteRequest').toBeGreaterThan(0);
      return `${t.slice(0, at)}                  stock_keeping_unit:\n${t.slice(at + '                  sku:\n'.length)}`;
    });
    const report = await drift(shippedMappings, copy);
    expect(report.findings.filter((f) => f.severity === 'breaking').map((f) => [f.kind, f.resource, f.field])).toEqual([['removed', 'inventory adjustment', 'sku']]);
    expect(report.verdict).toBe('breaking');
  }, 60_000);

  it.runIf(haveShared)(`gives the same report for the current documents under meaningless names as under their own${haveShared ? '' : noShared('current')}`, async () => {
    const scrambled = path.join(dir, 'scrambled');
    const names = fs.readdirSync(path.join(sharedSpecs, 'current')).sort();
    names.forEach((name, i) => copyAs(path.join(sharedSpecs, 'current', name), scrambled, `document-${names.length - i}.yml`));
    const [byName, byContent] = [await drift(shippedMappings, path.join(sharedSpecs, 'current')), await drift(shippedMappings, scrambled)];
    expect(byContent.summary).toEqual(byName.summary);
    expect(byContent.findings).toEqual(byName.findings);
    expect(byContent.checked.map((c) => c.status)).toEqual(byName.checked.map((c) => c.status));
  }, 60_000);
});
