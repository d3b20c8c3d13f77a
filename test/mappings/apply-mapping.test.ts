/**
 * applyMapping's semantics on small inline specs (structure only: applyMapping does not read the
 * contracts). The shipped specs are exercised by cases.test.ts and generated-orders.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { applyMapping, isAccepted, truncateText } from '../../src/mappings/apply-mapping.ts';
import { compileSpec, SpecCompileError } from '../../src/mappings/compile.ts';
import { mappingSpecSchema, type MappingSpec } from '../../src/mappings/spec-schema.ts';

function specOf(overrides: Partial<Record<keyof MappingSpec, unknown>>): MappingSpec {
  return mappingSpecSchema.parse({
    name: 'test-spec',
    title: 'Test spec',
    flow: 'orders',
    summary: 'A spec written for one test.',
    source: { system: 'bigcommerce', resource: 'Order', contract: 'bigcommerce/order' },
    target: { system: 'erp', resource: 'Sales order', contract: 'connected/erp-sales-order', write: 'PUT /sales-orders/{externalId}' },
    direction: 'bigcommerce->erp',
    trigger: 'webhook',
    frequency: 'near real time',
    systemOfRecord: { system: 'bigcommerce', conflictRule: 'BigCommerce owns orders.' },
    key: { source: 'id', target: 'externalId' },
    fields: [{ source: 'id', target: 'externalId', transform: 'toString', required: true }],
    ...overrides,
  });
}

const order = {
  id: 101,
  status_id: 11,
  customer_id: 0,
  customer_message: 'Please\nring twice',
  billing_address: { first_name: 'محمد', last_name: 'العربي', email: 'A@Example.com', form_fields: [{ name: 'PO Number', value: 'PO-123' }] },
  shipping_addresses: [{ id: 1 }, { id: 2 }],
  products: [
    { id: 10, sku: 'A-1', quantity: 2, order_address_id: 1, type: 'physical', total_ex_tax: '10.0000' },
    { id: 11, sku: 'B-2', quantity: 1, order_address_id: 2, type: 'physical', total_ex_tax: '5.5000' },
    { id: 12, sku: 'EBOOK', quantity: 1, order_address_id: 0, type: 'digital', total_ex_tax: '3.0000' },
  ],
};

describe('applyMapping', () => {
  it('maps fields, nested lists with $index and filters, constants and concatenations', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: { format: 'BC-{value}' }, required: true },
        { value: 'WEB', target: 'channel' },
        { source: ['billing_address.first_name', 'billing_address.last_name'], target: 'billTo.name', transform: { concat: ' ' } },
        { source: 'billing_address.form_fields[name=PO Number].value', target: 'customerPo', transform: 'first' },
        { source: 'products[].total_ex_tax', target: 'totals.subtotal', transform: ['money', 'sum'] },
        {
          source: 'shipping_addresses[]',
          target: 'shipTos',
          fields: [
            { source: 'id', target: 'shipToCode', transform: 'toString' },
            {
              source: '$.products[]',
              target: 'lines',
              where: [{ path: 'order_address_id', op: 'eq', valuePath: '^.id' }],
              fields: [
                { source: '$index', target: 'lineNo', transform: { add: 1 } },
                { source: 'sku', target: 'sku' },
              ],
            },
          ],
        },
      ],
    });
    const result = applyMapping(spec, order);
    expect(result.errors).toEqual([]);
    expect(result.key).toBe(101);
    expect(result.request).toEqual({ method: 'PUT', path: '/sales-orders/BC-101' });
    expect(result.record).toEqual({
      externalId: 'BC-101',
      channel: 'WEB',
      billTo: { name: 'محمد العربي' },
      customerPo: 'PO-123',
      totals: { subtotal: 18.5 },
      shipTos: [
        { shipToCode: '1', lines: [{ lineNo: 1, sku: 'A-1' }] },
        { shipToCode: '2', lines: [{ lineNo: 1, sku: 'B-2' }] },
      ],
    });
  });

  it('skips a record when every condition of a skip rule holds, and says why', () => {
    const spec = specOf({ skip: [{ when: [{ path: 'status_id', op: 'eq', value: 0 }], reason: 'Incomplete orders are not sales.' }] });
    expect(applyMapping(spec, { ...order, status_id: 0 })).toEqual({ key: 101, skipped: { reason: 'Incomplete orders are not sales.' }, warnings: [], errors: [] });
    expect(applyMapping(spec, order).skipped).toBeUndefined();
  });

  it('reports a missing required value as an error and fills a default when given', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        { source: 'billing_address.company', target: 'billTo.company', required: true },
        { source: 'billing_address.phone', target: 'billTo.phone', default: 'n/a' },
        { source: 'billing_address.zip', target: 'billTo.postalCode' },
      ],
    });
    const result = applyMapping(spec, order);
    expect(result.errors).toEqual([expect.objectContaining({ field: 'billTo.company', code: 'required' })]);
    expect(result.record).toEqual({ externalId: '101', billTo: { phone: 'n/a' } });
    expect(isAccepted(result)).toBe(false);
  });

  it('turns a lookup miss into an error, a fallback into a warning, and leaves passthrough alone', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        { source: 'status_id', target: 'status', transform: { lookup: 'strict' } },
        { source: 'status_id', target: 'paymentMethod', transform: { lookup: 'lenient' } },
        { source: 'customer_id', target: 'customerNo', transform: [{ format: 'C{value}' }, { lookup: 'guest' }] },
      ],
      lookups: {
        strict: { entries: { '1': 'HOLD' } },
        lenient: { entries: { '1': 'CC' }, onMiss: 'default', default: 'OTHER' },
        guest: { entries: { C0: 'WEBGUEST' }, onMiss: 'passthrough' },
      },
    });
    const result = applyMapping(spec, order);
    expect(result.errors).toEqual([expect.objectContaining({ field: 'status', code: 'lookup', message: expect.stringContaining('"11" is not in lookup strict') })]);
    expect(result.warnings).toEqual([expect.objectContaining({ field: 'paymentMethod', code: 'lookup-default' })]);
    expect(result.record).toMatchObject({ paymentMethod: 'OTHER', customerNo: 'WEBGUEST' });
  });

  it('truncates, omits and rejects by the constraint action, naming the concrete field', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        { source: 'customer_message', target: 'comment', transform: 'collapseWhitespace' },
        { source: 'billing_address.email', target: 'billTo.email', transform: 'lower' },
        { source: 'products[]', target: 'lines', fields: [{ source: 'sku', target: 'sku' }] },
      ],
      constraints: [
        { target: 'comment', maxLength: 6, action: 'truncate' },
        { target: 'billTo.email', maxLength: 5, action: 'omit' },
        { target: 'lines', maxItems: 2, action: 'truncate' },
        { target: 'lines[].sku', maxLength: 3, action: 'reject' },
      ],
    });
    const result = applyMapping(spec, order);
    expect(result.record).toEqual({ externalId: '101', comment: 'Please', billTo: {}, lines: [{ sku: 'A-1' }, { sku: 'B-2' }] });
    expect(result.warnings.map((w) => [w.field, w.code])).toEqual([
      ['comment', 'truncated'],
      ['billTo.email', 'omitted'],
      ['lines', 'items-truncated'],
    ]);
    expect(result.errors).toEqual([]);
    const rejected = applyMapping(specOf({ ...spec, constraints: [{ target: 'lines[].sku', maxLength: 2, action: 'reject' }] }), order);
    expect(rejected.errors.map((e) => [e.field, e.code])).toEqual([
      ['lines[0].sku', 'max-length'],
      ['lines[1].sku', 'max-length'],
      ['lines[2].sku', 'max-length'],
    ]);
  });

  it('checks enum, pattern, format and numeric bounds', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        { value: 'WEBSHOP', target: 'channel' },
        { value: 'ch', target: 'billTo.country' },
        { value: '2026-13-01', target: 'orderDate' },
        { value: -1, target: 'totals.total' },
      ],
      constraints: [
        { target: 'channel', enum: ['WEB'], action: 'reject' },
        { target: 'billTo.country', pattern: '^[A-Z]{2}$', action: 'reject' },
        { target: 'orderDate', format: 'date', action: 'reject' },
        { target: 'totals.total', minimum: 0, action: 'reject' },
      ],
    });
    expect(applyMapping(spec, order).errors.map((e) => e.code)).toEqual(['enum', 'pattern', 'format', 'minimum']);
  });

  it('leaves create-only fields out of an update', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        { source: 'billing_address.email', target: 'billTo.email', writeMode: 'onCreate' },
      ],
    });
    expect(applyMapping(spec, order).record).toEqual({ externalId: '101', billTo: { email: 'A@Example.com' } });
    expect(applyMapping(spec, order, { operation: 'update' }).record).toEqual({ externalId: '101' });
  });

  it('applies a field only when its condition holds', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        {
          source: 'products[]',
          target: 'lines',
          fields: [
            { source: 'sku', target: 'sku' },
            { source: 'order_address_id', target: 'shipToCode', transform: 'toString', when: [{ path: 'order_address_id', op: 'gt', value: 0 }] },
          ],
        },
      ],
    });
    expect((applyMapping(spec, order).record as { lines: unknown[] }).lines).toEqual([
      { sku: 'A-1', shipToCode: '1' },
      { sku: 'B-2', shipToCode: '2' },
      { sku: 'EBOOK' },
    ]);
  });

  it('reports a transform failure on its field and keeps mapping the others', () => {
    const spec = specOf({
      fields: [
        { source: 'id', target: 'externalId', transform: 'toString', required: true },
        { source: 'customer_message', target: 'totals.total', transform: 'money' },
        { value: 'WEB', target: 'channel' },
      ],
    });
    const result = applyMapping(spec, order);
    expect(result.errors).toEqual([expect.objectContaining({ field: 'totals.total', code: 'transform' })]);
    expect(result.record).toEqual({ externalId: '101', channel: 'WEB' });
  });

  it('is pure: the same input gives the same output and the input is not changed', () => {
    const spec = specOf({ fields: [{ source: 'id', target: 'externalId', transform: 'toString', required: true }, { value: { a: [1] }, target: 'channel' }] });
    const before = JSON.stringify(order);
    const a = applyMapping(spec, order);
    (a.record!.channel as { a: number[] }).a.push(2);
    expect(applyMapping(spec, order)).toEqual({ ...a, record: { externalId: '101', channel: { a: [1] } } });
    expect(JSON.stringify(order)).toBe(before);
  });

  it('refuses a spec that does not compile, naming the place', () => {
    const spec = specOf({ fields: [{ source: 'id', target: 'externalId', transform: 'uppr' }] });
    expect(() => applyMapping(spec, order)).toThrow(SpecCompileError);
    expect(() => applyMapping(spec, order)).toThrow(/fields\[0\]\.transform: unknown transform "uppr"/);
    expect(compileSpec(spec).issues).toHaveLength(1);
  });
});

describe('truncateText', () => {
  it.each([
    ['a plain text', 'abcdef', 3, 'abc'],
    ['an accented letter written as two code points', 'Zoe\u0308x', 3, 'Zo'],
    ['an emoji family (several code points)', 'ab👨‍👩‍👧', 4, 'ab'],
    ['Arabic', 'محمد العربي', 4, 'محمد'],
    ['a text within the limit', 'ok', 5, 'ok'],
  ])('cuts %s without splitting a character', (_, text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
    expect(Array.from(truncateText(text, max)).length).toBeLessThanOrEqual(max);
  });
});

describe('skip rules after a platform rename', () => {
  it('reports a missing skip-rule field as an error instead of silently skipping the record', async () => {
    const { loadSpecs } = await import('../../src/mappings/load-spec.ts');
    const { createSampleWorld } = await import('../../src/mappings/sample-sources.ts');
    const { specs } = loadSpecs();
    const spec = specs.find((s) => s.compiled.spec.name === 'orders-to-3pl-fulfillment-order')!.compiled;
    const world = createSampleWorld({ seed: 11 });
    try {
      const [order] = world.sample('typical').sources['bigcommerce/order'] as Record<string, unknown>[];
      expect(applyMapping(spec, order).errors).toEqual([]);
      // The api-drift scenario renames status_id; the skip rule reads it.
      const { status_id, ...renamed } = order!;
      const drifted = applyMapping(spec, { ...renamed, status_code: status_id });
      expect(drifted.skipped).toBeUndefined();
      expect(drifted.errors).toEqual([expect.objectContaining({ code: 'missing-source', message: expect.stringContaining('status_id') })]);
    } finally {
      world.close();
    }
  });
});
