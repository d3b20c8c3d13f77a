/**
 * The contracts must be usable as validators (the simulator and the verifier check bodies with
 * them), follow the house rules for contract files, and agree with the platform fact sheet where
 * the fact sheet, not the OpenAPI spec, is the source (limits from POST schemas, payload examples).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const contractsDir = path.join(projectRoot, 'contracts', 'bigcommerce');
const factsFile = path.resolve(projectRoot, '../shared/bigcommerce-facts.md');
const haveFacts = fs.existsSync(factsFile);

type Schema = Record<string, any>;

const schemaFiles = fs
  .readdirSync(contractsDir)
  .filter((f) => f.endsWith('.schema.json'))
  .sort();
const schemas = new Map<string, Schema>(
  schemaFiles.map((f) => [f.slice(0, -'.schema.json'.length), JSON.parse(fs.readFileSync(path.join(contractsDir, f), 'utf8')) as Schema]),
);

/** One Ajv with every contract registered, so cross-file $refs (order.schema.json#/$defs/...) resolve. */
function makeAjv(): Ajv2020 {
  // strict: unknown keywords or ignored constraints are mistakes in a contract, not warnings.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  for (const schema of schemas.values()) ajv.addSchema(schema);
  return ajv;
}

const idFor = (name: string): string => `https://bc-harness.dev/contracts/bigcommerce/${name}.schema.json`;
const pascal = (name: string): string => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

function validate(name: string, body: unknown): string[] {
  const check = makeAjv().getSchema(idFor(name))!;
  return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
}

function everyNode(node: unknown, visit: (n: Schema, at: string) => void, at = ''): void {
  if (Array.isArray(node)) node.forEach((n, i) => everyNode(n, visit, `${at}/${i}`));
  else if (node && typeof node === 'object') {
    visit(node as Schema, at);
    for (const [k, v] of Object.entries(node)) everyNode(v, visit, `${at}/${k}`);
  }
}

describe('contract schemas', () => {
  it.each(schemaFiles)('%s compiles with ajv (draft 2020-12, strict, with formats)', (file) => {
    const ajv = makeAjv();
    const name = file.slice(0, -'.schema.json'.length);
    expect(() => ajv.getSchema(idFor(name)) ?? ajv.compile(schemas.get(name)!)).not.toThrow();
    expect(ajv.getSchema(idFor(name))).toBeTypeOf('function');
  });

  it.each(schemaFiles)('%s has a matching $id, a PascalCase title from its file name and a description citing its source', (file) => {
    const name = file.slice(0, -'.schema.json'.length);
    const schema = schemas.get(name)!;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(idFor(name));
    expect(schema.title).toBe(pascal(name));
    expect(schema.description).toMatch(/\.ya?ml\b|facts section/);
  });

  it.each(schemaFiles)('%s keeps every object open to fields the platform adds silently', (file) => {
    const closed: string[] = [];
    everyNode(schemas.get(file.slice(0, -'.schema.json'.length)), (node, at) => {
      if (node.properties && node.additionalProperties !== true) closed.push(at || '(root)');
    });
    expect(closed, 'objects without additionalProperties: true').toEqual([]);
  });

  it('reject a body that breaks them (so the validators are not vacuous)', () => {
    expect(validate('hook', { id: 1, scope: 'store/order/created' })).not.toEqual([]);
    expect(validate('v2-error', { status: 404, message: 'not an array' })).not.toEqual([]);
    expect(validate('order-product', { type: 'bundle' }).join('\n')).toMatch(/must be equal to one of the allowed values/);
  });
});

// Limits and enums the fact sheet states. Several come from request schemas (orderShipment_Post)
// or prose, which the spec comparison cannot see in the response schemas.
const factLimits: Array<[contract: string, pointer: string, expected: unknown, source: string]> = [
  ['shipment', '/properties/tracking_number/maxLength', 50, 'facts f'],
  ['shipment', '/properties/tracking_link/maxLength', 500, 'facts f'],
  ['product', '/properties/name/maxLength', 250, 'facts e'],
  ['product', '/properties/upc/maxLength', 14, 'facts e, g'],
  ['product', '/properties/gtin/maxLength', 14, 'facts e, g'],
  ['variant', '/properties/upc/maxLength', 14, 'facts g'],
  ['variant', '/properties/gtin/maxLength', 14, 'facts g'],
  ['product', '/properties/type/enum', ['physical', 'digital'], 'facts e'],
  ['product', '/properties/inventory_tracking/enum', ['none', 'product', 'variant'], 'facts e'],
  ['order-product', '/properties/type/enum', ['physical', 'digital', 'giftcertificate'], 'facts d'],
  [
    'order-product',
    '/$defs/productOption/properties/type/enum',
    ['Checkbox', 'Date field', 'File Upload', 'Multi-line text field', 'Multiple choice', 'Product Pick List', 'Swatch', 'Text field'],
    'facts d',
  ],
  ['hook', '/properties/created_at/type', 'integer', 'facts c: Unix seconds'],
  ['hook', '/properties/updated_at/type', 'integer', 'facts c: Unix seconds'],
  ['webhook-payload', '/properties/store_id/type', 'string', 'facts c'],
  ['webhook-payload', '/properties/created_at/type', 'integer', 'facts c: Unix seconds'],
  ['webhook-payload', '/$defs/data/properties/id/type', ['integer', 'string'], 'facts c: UUID string for carts'],
];

function at(schema: Schema, pointer: string): unknown {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], schema);
}

describe('contracts against the fact sheet', () => {
  it.each(factLimits)('%s declares %s = %j (%s)', (contract, pointer, expected) => {
    expect(at(schemas.get(contract)!, pointer)).toEqual(expected);
  });

  it('accept a V2 order date and money value in the documented formats and reject ISO dates and numbers', () => {
    const ajv = makeAjv();
    const date = ajv.getSchema(`${idFor('order')}#/$defs/rfc2822Date`)!;
    const money = ajv.getSchema(`${idFor('order')}#/$defs/decimalString`)!;
    expect(date('Tue, 05 Mar 2019 21:40:11 +0000')).toBe(true);
    expect(date('2019-03-05T21:40:11Z')).toBe(false);
    expect(money('62.6793')).toBe(true);
    expect(money(62.6793)).toBe(false);
  });

  const factsSuite = haveFacts ? describe : describe.skip;
  factsSuite(haveFacts ? 'the fact sheet examples' : `the fact sheet examples (skipped: ${factsFile} not found)`, () => {
    const facts = haveFacts ? fs.readFileSync(factsFile, 'utf8') : '';
    // The examples use the placeholder "{store_hash}"; a real hash is what the platform sends.
    const withHash = (text: string): string => text.replaceAll('{store_hash}', 'abc123def');

    it('validate every example webhook payload against the webhook-payload contract', () => {
      const payloads = facts
        .split('\n')
        .filter((line) => line.startsWith('{"scope":'))
        .map((line) => JSON.parse(withHash(line)) as unknown);
      expect(payloads.length, 'no payload examples found in the fact sheet').toBeGreaterThanOrEqual(4);
      for (const payload of payloads) expect(validate('webhook-payload', payload), JSON.stringify(payload)).toEqual([]);
    });

    it('validate the V2 error example against the v2-error contract', () => {
      const examples = [...facts.matchAll(/`(\[\{"status":\d+,"message":[^`]*\])`/g)].map((m) => JSON.parse(m[1]) as unknown);
      expect(examples.length, 'no V2 error example found in the fact sheet').toBeGreaterThanOrEqual(1);
      for (const body of examples) expect(validate('v2-error', body), JSON.stringify(body)).toEqual([]);
    });

    it('validate the V3 error examples (401 and 422s) against the v3-error contract', () => {
      // Some examples are abbreviated with "..." and are not JSON; the complete ones must validate.
      const examples = [...facts.matchAll(/`(\{"status":4\d\d,"title":[^`]*\})`/g)].flatMap((m) => {
        try {
          return [JSON.parse(m[1]) as unknown];
        } catch {
          return [];
        }
      });
      expect(examples.length, 'no V3 error example found in the fact sheet').toBeGreaterThanOrEqual(3);
      for (const body of examples) expect(validate('v3-error', body), JSON.stringify(body)).toEqual([]);
    });
  });
});
