/**
 * The drift check. With ../shared/bigcommerce-specs it runs the shipped specs against the 2024-03
 * and 2026-04 official documents and must find what their README lists; without it, the same
 * changes come from the small OpenAPI fixtures this project writes (test/fixtures/openapi/).
 * Breaking changes (rename, retype, removal, newly required) are always checked on the fixtures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrift } from '../../src/cli/commands/drift.ts';
import { createContractRegistry } from '../../src/mappings/contracts.ts';
import { checkDrift, driftReportSchema, renderDriftJunit, renderDriftMarkdown, type DriftReport } from '../../src/mappings/drift.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';
import { fieldTable, loadOpenApiSet, locateSchema } from '../../src/mappings/openapi.ts';

const root = path.resolve(import.meta.dirname, '../..');
const sharedSpecs = path.resolve(process.cwd(), '../shared/bigcommerce-specs');
const haveShared = fs.existsSync(path.join(sharedSpecs, 'current')) && fs.existsSync(path.join(sharedSpecs, 'older'));
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
    const body = locateSchema(docs.get('products_catalog.v3.yml')!.doc, { path: '/catalog/products', method: 'put', status: 'request', pointer: ['items'] })!;
    expect(Object.fromEntries(fieldTable(body))).toEqual({
      brand_name: { types: ['string'], nullable: false, required: false },
      id: { types: ['number'], nullable: false, required: true },
      name: { types: ['string'], nullable: false, required: true, maxLength: 250 },
      price: { types: ['number'], nullable: false, required: false },
    });
  });
});
