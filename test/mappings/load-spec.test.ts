/**
 * A malformed spec gets an error naming the file, the line, the place inside the spec and what is
 * wrong, from a YAML syntax error to a field the contracts do not have; nothing throws.
 * Each case takes a shipped spec, breaks one thing, and loads the copy from a temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContractRegistry } from '../../src/mappings/contracts.ts';
import { formatSpecIssue, loadSpecFile, loadSpecs, type SpecIssue } from '../../src/mappings/load-spec.ts';

const mappingsDir = path.resolve(import.meta.dirname, '../../mappings');
const registry = createContractRegistry();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-mapping-specs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const shipped = (name: string) => fs.readFileSync(path.join(mappingsDir, `${name}.yml`), 'utf8');

/** Write `text` as <name>.yml in a fresh folder and load it. */
function load(name: string, text: string): { issues: SpecIssue[]; file: string; lines: string[] } {
  const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
  const file = path.join(dir, `${name}.yml`);
  fs.writeFileSync(file, text);
  const result = loadSpecFile(file, registry);
  return { issues: result.issues, file, lines: result.issues.map((i) => formatSpecIssue(i, dir)) };
}

/** A shipped spec with one replacement (which must apply, so the case cannot silently test nothing). */
function broken(name: string, from: string | RegExp, to: string): string {
  const original = shipped(name);
  const text = original.replace(from, to);
  expect(text, `the replacement ${String(from)} did not apply to ${name}.yml`).not.toBe(original);
  return text;
}

describe('loading a mapping spec', () => {
  it('loads every shipped spec without a problem (the baseline the broken copies start from)', () => {
    const result = loadSpecs(mappingsDir, registry);
    expect(result.issues.map((i) => formatSpecIssue(i))).toEqual([]);
    expect(result.specs.length).toBeGreaterThanOrEqual(8);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const { lines, issues } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', 'target: location_id\n', 'target: [location_id\n'));
    expect(issues.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^erp-inventory-to-bigcommerce\.yml:\d+:\d+ YAML syntax error: /);
  });

  it('says what a spec is when the file is empty or a list', () => {
    expect(load('empty', '').lines).toEqual([expect.stringMatching(/^empty\.yml:?\S* the file is empty; a mapping spec is a YAML mapping/)]);
    expect(load('list', '- a\n- b\n').lines).toEqual([expect.stringMatching(/^list\.yml:1:1 a mapping spec is a YAML mapping \(key: value\), not a list/)]);
  });

  it('names an unknown key, where it is, and the key it probably meant', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', /^trigger:/m, 'triger:'));
    expect(lines.join('\n')).toMatch(/erp-inventory-to-bigcommerce\.yml:1:1 unknown key "triger" \(did you mean "trigger"\?\)/);
  });

  it('names a missing required key and an invalid flow', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', /^flow: inventory$/m, 'flow: stock'));
    expect(lines.join('\n')).toMatch(/erp-inventory-to-bigcommerce\.yml:3:7 flow: Invalid option: expected one of "orders"\|"inventory"/);
    const missing = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', /^frequency: .*\n/m, ''));
    expect(missing.lines.join('\n')).toMatch(/frequency: is missing/);
  });

  it('names an unknown transform with its field and the nearest transform', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', '{ clamp: { min: 0 } }', '{ clmp: { min: 0 } }'));
    expect(lines).toEqual([expect.stringMatching(/^erp-inventory-to-bigcommerce\.yml:\d+:\d+ fields\[2\]\.transform\[1\]: unknown transform "clmp" \(did you mean "clamp"\?\)/)]);
  });

  it('names a source path the contract does not have, with the nearest existing names', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', 'source: [available, unitsPerUom]', 'source: [availble, unitsPerUom]'));
    expect(lines).toEqual([
      expect.stringMatching(/fields\[2\]\.source\[0\]: source "availble" is not a field of connected\/erp-inventory-record: \(the record\) has no "availble" \(nearest: available/),
    ]);
  });

  it('names a nested source path and a target field that do not exist', () => {
    const text = broken('orders-to-erp-sales-order', 'source: street_1\n        target: address.street1', 'source: stret_1\n        target: address.streat1');
    const { lines } = load('orders-to-erp-sales-order', text);
    expect(lines.join('\n')).toMatch(/fields\[\d+\]\.fields\[3\]\.source: source "shipping_addresses\[\]\.stret_1" is not a field of bigcommerce\/order \(with products, shipping_addresses expanded\): shipping_addresses\[\] has no "stret_1" \(nearest: shipping_addresses\[\]\.street_1/);
    expect(lines.join('\n')).toMatch(/fields\[\d+\]\.fields\[3\]\.target: target "shipTos\[\]\.address\.streat1" is not a field of connected\/erp-sales-order: shipTos\[\]\.address has no "streat1" \(nearest: shipTos\[\]\.address\.street1/);
  });

  it('rejects a field path with bad syntax', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', 'source: itemNo\n    target: sku', 'source: itemNo[x\n    target: sku'));
    expect(lines.join('\n')).toMatch(/fields\[1\]\.source: "itemNo\[x" is not a valid field path: a "\[" is not closed/);
  });

  it('rejects a constraint that disagrees with the target contract', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', 'maximum: 2147483647', 'maximum: 1000'));
    expect(lines.join('\n')).toMatch(/constraints\[0\]\.maximum: maximum 1000 disagrees with bigcommerce\/inventory-adjustment#\/\$defs\/item, which says 2147483647/);
  });

  it('demands an action for every constraint the target puts on a written field', () => {
    const { lines } = load('3pl-shipments-to-bigcommerce', broken('3pl-shipments-to-bigcommerce', /^  - \{ target: tracking_number, maxLength: 50.*\n/m, ''));
    expect(lines.join('\n')).toMatch(/fields\[2\]\.target: tracking_number has maxLength 50 in bigcommerce\/shipment-create; declare it under constraints with an action \(truncate, omit or reject\)/);
  });

  it('reports a required target field nobody writes', () => {
    const { lines } = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', /  - source: warehouse\n    target: location_id\n    transform: \{ lookup: warehouseLocation \}\n    required: true\n/, ''));
    expect(lines.join('\n')).toMatch(/requires location_id, but no field writes it/);
  });

  it('reports a lookup that is not defined, and a lookup value the target does not allow', () => {
    const undefinedLookup = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', '{ lookup: warehouseLocation }', '{ lookup: warehouseLocatoin }'));
    expect(undefinedLookup.lines.join('\n')).toMatch(/fields\[0\]\.transform: lookup "warehouseLocatoin" is not defined under lookups \(nearest: warehouseLocation\)/);
    const badValue = load('refunds-to-erp-credit-memo', broken('refunds-to-erp-credit-memo', 'PRODUCT: ITEM,', 'PRODUCT: ITM,'));
    expect(badValue.lines.join('\n')).toMatch(/lookup lineType entry "PRODUCT" gives "ITM", which connected\/erp-credit-memo does not allow in lines\[\]\.type/);
  });

  it('reports an ignored field that does not exist and one that is also mapped', () => {
    const unknown = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', '{ source: binLocation,', '{ source: binLocaton,'));
    expect(unknown.lines.join('\n')).toMatch(/ignore\[3\]\.source: ignored field "binLocaton" is not a field of connected\/erp-inventory-record: \(the record\) has no "binLocaton" \(nearest: binLocation/);
    const both = load('erp-inventory-to-bigcommerce', broken('erp-inventory-to-bigcommerce', '{ source: onHand,', '{ source: warehouse,'));
    expect(both.lines.join('\n')).toMatch(/ignore\[0\]\.source: warehouse is mapped by a field and also ignored; keep one/);
  });

  it('reports a name that does not match the file', () => {
    const { lines } = load('wrong-name', shipped('erp-inventory-to-bigcommerce'));
    expect(lines).toEqual([expect.stringMatching(/^wrong-name\.yml:1:7 name: "erp-inventory-to-bigcommerce" must match the file name "wrong-name"/)]);
  });

  it('enforces one system of record per field in a bidirectional flow', () => {
    const text = broken('crm-contact-to-customers', '  - source: accountNotes\n    target: notes\n', '  - source: accountNotes\n    target: notes\n  - source: firstName\n    target: first_name\n');
    const { lines } = load('crm-contact-to-customers', text.replace(/  - \{ source: firstName,.*\n/, ''));
    expect(lines.join('\n')).toMatch(/fields\[5\]: first_name is owned by bigcommerce \(systemOfRecord\); a crm->bigcommerce field may not overwrite it/);
  });

  it('finds two specs of a flow that disagree on who owns a field', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'set-'));
    fs.writeFileSync(path.join(dir, 'customers-to-crm-contact.yml'), shipped('customers-to-crm-contact'));
    fs.writeFileSync(path.join(dir, 'crm-contact-to-customers.yml'), broken('crm-contact-to-customers', /    notes: crm\n/, '    notes: bigcommerce\n').replace('  - source: accountNotes\n    target: notes\n', '').replace('  - { source: lifecycleStage,', '  - { source: accountNotes, reason: "Notes belong to BigCommerce in this copy." }\n  - { source: lifecycleStage,'));
    const result = loadSpecs(dir, registry);
    expect(result.issues.map((i) => formatSpecIssue(i, dir)).join('\n')).toMatch(/customers-to-crm-contact\.yml systemOfRecord\.fields: the customers flow's specs disagree on who owns notes \(compare crm-contact-to-customers\)/);
  });

  it('counts a source field that is neither mapped nor ignored as unaccounted', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'cov-'));
    const file = path.join(dir, 'erp-inventory-to-bigcommerce.yml');
    fs.writeFileSync(file, broken('erp-inventory-to-bigcommerce', /  - \{ source: binLocation,.*\n/, ''));
    const result = loadSpecFile(file, registry);
    expect(result.issues).toEqual([]);
    expect(result.spec?.coverage.unaccounted).toEqual(['binLocation']);
  });

  it('never throws on damaged specs: lines deleted, duplicated or cut (seeded)', () => {
    let seed = 20260401;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const names = fs.readdirSync(mappingsDir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4));
    let withIssues = 0;
    for (const name of names) {
      const lines = shipped(name).split('\n');
      for (let i = 0; i < 15; i++) {
        const copy = [...lines];
        const at = Math.floor(random() * copy.length);
        const mode = Math.floor(random() * 3);
        if (mode === 0) copy.splice(at, 1);
        else if (mode === 1) copy.splice(at, 0, copy[at]!);
        else copy[at] = copy[at]!.slice(0, Math.floor(copy[at]!.length / 2));
        const { issues } = load(name, copy.join('\n'));
        if (issues.length > 0) withIssues++;
        for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
      }
    }
    // Most damage is caught; the rest (a deleted note or risk) leaves a valid spec.
    expect(withIssues).toBeGreaterThan(names.length * 5);
  });

  it('reports an unreadable file instead of throwing', () => {
    const result = loadSpecFile(path.join(tmp, 'does-not-exist.yml'), registry);
    expect(result.issues).toEqual([expect.objectContaining({ message: expect.stringMatching(/^cannot be read: /) })]);
  });
});
