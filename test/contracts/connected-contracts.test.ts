/**
 * The connected systems' contracts (contracts/connected/*.schema.json): the ERP, 3PL, CRM and
 * marketing bodies of DESIGN.md section 8. They compile with ajv (strict), follow the house rules,
 * and enforce the constraints the mapping specs rely on (a legacy ERP's short fields and ISO codes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const dir = path.resolve(import.meta.dirname, '../../contracts/connected');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort();
const schemas = new Map(files.map((f) => [f.slice(0, -'.schema.json'.length), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, any>]));

function makeAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  for (const s of schemas.values()) ajv.addSchema(s);
  return ajv;
}
const idFor = (name: string) => `https://bc-harness.dev/contracts/connected/${name}.schema.json`;
const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const errorsOf = (name: string, body: unknown) => {
  const check = makeAjv().getSchema(idFor(name))!;
  return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
};

function everyObject(node: unknown, visit: (n: Record<string, any>, at: string) => void, at = ''): void {
  if (Array.isArray(node)) node.forEach((n, i) => everyObject(n, visit, `${at}/${i}`));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, any>, at);
    for (const [k, v] of Object.entries(node)) everyObject(v, visit, `${at}/${k}`);
  }
}

describe('connected-system contracts', () => {
  it('cover the ERP, 3PL, CRM and marketing bodies of DESIGN.md section 8', () => {
    expect(files.map((f) => f.split('-')[0])).toEqual(expect.arrayContaining(['erp', 'threepl', 'crm', 'marketing']));
  });

  it.each(files)('%s compiles with ajv (draft 2020-12, strict)', (file) => {
    expect(makeAjv().getSchema(idFor(file.slice(0, -'.schema.json'.length)))).toBeTypeOf('function');
  });

  it.each(files)('%s has its $id, a PascalCase title, a description naming its endpoint, and says whether each object is open', (file) => {
    const name = file.slice(0, -'.schema.json'.length);
    const s = schemas.get(name)!;
    expect(s.$id).toBe(idFor(name));
    expect(s.title).toBe(pascal(name));
    expect(s.description).toMatch(/(GET|PUT|POST) \//);
    const undecided: string[] = [];
    everyObject(s, (n, at) => {
      if (n.properties && typeof n.additionalProperties !== 'boolean') undecided.push(at || '(root)');
    });
    expect(undecided).toEqual([]);
  });

  const address = { name: 'Zoë Ørsted', street1: 'Bahnhofstrasse 1', city: 'Zürich', country: 'CH' };
  const order = {
    externalId: '100',
    orderDate: '2026-11-27',
    customerNo: 'WEBGUEST',
    status: 'OPEN',
    currency: 'EUR',
    billTo: address,
    shipTos: [{ shipToCode: '1', address }],
    lines: [{ lineNo: 1, sku: 'SKU-00001', quantity: 1, unitPrice: 10, lineTotal: 10 }],
    totals: { subtotal: 10, freight: 0, discount: 0, tax: 0, total: 10 },
  };

  it('accept a legacy ERP sales order that fits', () => {
    expect(errorsOf('erp-sales-order', order)).toEqual([]);
  });

  it.each([
    ['a 31-character name', { billTo: { ...address, name: 'x'.repeat(31) } }, /\/billTo\/name must NOT have more than 30 characters/],
    ['a country name instead of an ISO code', { billTo: { ...address, country: 'Switzerland' } }, /\/billTo\/country must match pattern/],
    ['a 21-character SKU', { lines: [{ ...order.lines[0], sku: 'S'.repeat(21) }] }, /\/lines\/0\/sku must NOT have more than 20 characters/],
    ['a status code the ERP does not know', { status: 'CANCELED' }, /\/status must be equal to one of the allowed values/],
    ['an unknown field', { giftMessage: 'hi' }, /must NOT have additional properties/],
  ])('reject an ERP sales order with %s', (_, change, message) => {
    expect(errorsOf('erp-sales-order', { ...order, ...change }).join('\n')).toMatch(message);
  });

  it('keep a marketing event to 50 items and demand an email', () => {
    const event = { eventId: 'order-placed:1', type: 'order_placed', occurredAt: '2026-11-27T12:00:00Z', email: 'a@example.com' };
    expect(errorsOf('marketing-event', event)).toEqual([]);
    const item = { sku: 'A', name: 'A', quantity: 1, price: 1 };
    expect(errorsOf('marketing-event', { ...event, items: Array.from({ length: 51 }, () => item) }).join('\n')).toMatch(/must NOT have more than 50 items/);
    expect(errorsOf('marketing-event', { ...event, email: 'not-an-email' }).join('\n')).toMatch(/must match format "email"/);
  });
});
