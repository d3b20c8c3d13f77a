/**
 * `bc-harness mapping-doc` and `bc-harness drift` through the real command line entry (main), in
 * process: files written, exit codes from the one table (0 ok, 1 failed, 2 invalid input).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-cli-mapping-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]) => main(['node', 'bc-harness', ...args]);

describe('bc-harness mapping-doc', () => {
  it('writes HTML, Markdown and CSV for all eight flows', async () => {
    const dir = path.join(tmp, 'all');
    expect(await run('mapping-doc', '--format', 'html,md,csv', '--out', dir)).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['mapping-doc.csv', 'mapping-doc.html', 'mapping-doc.md']);
    expect(out.join('\n')).toMatch(/12 spec\(s\) in 8 flow\(s\): \d+ target fields, \d+ of \d+ source fields mapped, 0 unaccounted/);
  });

  it('writes one flow when --flow names a flow or a spec', async () => {
    const dir = path.join(tmp, 'one');
    expect(await run('mapping-doc', '--flow', 'customers', '--format', 'md', '--out', dir)).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'mapping-doc-customers.md'), 'utf8');
    expect(text).toContain('### BigCommerce customers to CRM contacts');
    expect(text).toContain('### CRM contacts to BigCommerce customers');
    expect(text).not.toContain('### Orders to ERP sales orders');
  });

  it.each([
    [['--flow', 'payroll'], /--flow "payroll" names no flow or spec\. Flows: orders, inventory/],
    [['--format', 'pdf'], /--format must be html, md or csv/],
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--mappings', '/nonexistent/dir'], /--mappings \/nonexistent\/dir is not a directory of mapping specs/],
  ])('exits 2 for bad input %j, naming the flag', async (args, message) => {
    expect(await run('mapping-doc', ...args, '--out', path.join(tmp, 'bad'))).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  it('exits 2 and names the file, line and field when a spec is broken', async () => {
    const dir = path.join(tmp, 'broken-specs');
    fs.mkdirSync(dir, { recursive: true });
    const text = fs.readFileSync(path.join(root, 'mappings/erp-inventory-to-bigcommerce.yml'), 'utf8').replace('  - source: itemNo\n', '  - source: itemNumber\n');
    fs.writeFileSync(path.join(dir, 'erp-inventory-to-bigcommerce.yml'), text);
    expect(await run('mapping-doc', '--mappings', dir, '--out', path.join(tmp, 'x'))).toBe(2);
    expect(err.join('\n')).toMatch(/erp-inventory-to-bigcommerce\.yml:\d+:\d+ fields\[1\]\.source: source "itemNumber" is not a field of connected\/erp-inventory-record.*\(nearest: itemNo\)/);
  });
});

describe('bc-harness drift', () => {
  const fixtures = path.join(root, 'test/fixtures/openapi');
  const fixtureMappings = path.join(root, 'test/fixtures/mappings/drift');

  it('exits 1 with a breaking change and writes JUnit', async () => {
    const junit = path.join(tmp, 'junit', 'drift.xml');
    expect(await run('drift', '--spec', path.join(fixtures, 'next'), '--against', path.join(fixtures, 'current'), '--mappings', fixtureMappings, '--junit', junit)).toBe(1);
    expect(out.join('')).toContain('Verdict: **BREAKING (4)**');
    expect(fs.readFileSync(junit, 'utf8')).toContain('<testsuites name="bc-harness drift"');
  });

  it('exits 0 for additive changes and prints JSON with --json', async () => {
    expect(await run('drift', '--spec', path.join(fixtures, 'current'), '--against', path.join(fixtures, 'older'), '--mappings', fixtureMappings, '--json')).toBe(0);
    expect(JSON.parse(out.join('')).verdict).toBe('ok');
  });

  it('exits 2 without --spec or with a document that does not exist', async () => {
    expect(await run('drift')).toBe(2);
    expect(err.join('')).toMatch(/required option '--spec <path>' not specified/);
    expect(await run('drift', '--spec', path.join(tmp, 'missing.yml'))).toBe(2);
    expect(err.join('')).toMatch(/missing\.yml does not exist/);
  });
});
