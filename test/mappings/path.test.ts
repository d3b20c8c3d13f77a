import { describe, expect, it } from 'vitest';
import { concreteLocations, filterReads, normalizePath, parsePath, PathSyntaxError, readPath, writePath } from '../../src/mappings/path.ts';

const order = {
  id: 7,
  billing_address: { first_name: 'Zoë', form_fields: [{ name: 'PO Number', value: 'PO-1' }, { name: 'Notes', value: 'x' }] },
  products: [
    { sku: 'A', product_options: [{ display_name: 'Size' }, { display_name: 'Colour' }] },
    { sku: 'B', product_options: [] },
  ],
};

describe('field paths', () => {
  it.each([
    ['billing_address.first_name', 'billing_address.first_name'],
    ['products[].sku', 'products[].sku'],
    ['products[0].sku', 'products[].sku'],
    ['billing_address.form_fields[name=PO Number].value', 'billing_address.form_fields[].value'],
    ['$.currency_code', 'currency_code'],
    ['^.id', 'id'],
  ])('normalizes %s to %s', (path, normal) => {
    expect(normalizePath(path)).toBe(normal);
  });

  it.each([
    ['', /it is empty/],
    ['a..b', /expected a field name/],
    ['a.', /ends with "."/],
    ['a[', /not closed/],
    ['a[x]', /must be \[\], \[N\] or \[field=value\]/],
    ['1abc', /expected a field name/],
  ])('rejects "%s" with a reason', (path, reason) => {
    expect(() => parsePath(path)).toThrow(PathSyntaxError);
    expect(() => parsePath(path)).toThrow(reason);
  });

  it('reads plain fields, lists, indexes and filters', () => {
    expect(readPath(order, parsePath('billing_address.first_name').segments)).toBe('Zoë');
    expect(readPath(order, parsePath('products[].sku').segments)).toEqual(['A', 'B']);
    expect(readPath(order, parsePath('products[1].sku').segments)).toBe('B');
    expect(readPath(order, parsePath('products[].product_options[].display_name').segments)).toEqual(['Size', 'Colour']);
    expect(readPath(order, parsePath('billing_address.form_fields[name=PO Number].value').segments)).toEqual(['PO-1']);
    expect(readPath(order, parsePath('billing_address.missing').segments)).toBeUndefined();
    expect(readPath(order, parsePath('billing_address.form_fields[name=Nope].value').segments)).toEqual([]);
  });

  it('names the fields a filter reads, for coverage', () => {
    expect(filterReads('billing_address.form_fields[name=PO Number].value')).toEqual(['billing_address.form_fields[].name']);
  });

  it('writes nested objects and indexed lists', () => {
    const record: Record<string, unknown> = {};
    writePath(record, parsePath('billTo.name').segments, 'Zoë');
    writePath(record, parsePath('payments[0].amount').segments, 5);
    writePath(record, parsePath('payments[0].offline').segments, true);
    expect(record).toEqual({ billTo: { name: 'Zoë' }, payments: [{ amount: 5, offline: true }] });
    expect(() => writePath(record, parsePath('lines[].sku').segments, 'x')).toThrow(/nested field list/);
  });

  it('finds every concrete location of a normalized path', () => {
    const record = { lines: [{ sku: 'A' }, { sku: 'B' }, {}] };
    expect(concreteLocations(record, 'lines[].sku').map((l) => [l.path, l.value])).toEqual([
      ['lines[0].sku', 'A'],
      ['lines[1].sku', 'B'],
    ]);
  });
});
