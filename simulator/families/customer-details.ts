/**
 * What hangs off a V3 customer (customers.v3.yml) beyond the hand-written `/v3/customers` routes:
 * addresses, attributes and their values, and form-field values. The customers themselves stay in
 * the store (store.ts); these families read them through `ctx.store.customers` and keep each
 * customer's `addresses`, `address_count` and `attribute_count` in step, so
 * `GET /v3/customers?include=addresses` shows what `/v3/customers/addresses` changed.
 *
 * Platform rules kept: an address or value names a customer that exists (422 naming the field);
 * addresses raise `store/customer/address/created|updated|deleted` with `{type: 'customer', id:
 * <address id>, address: {customer_id}}` (webhooks.v3.yml); at most 50 attributes per store, an
 * attribute's type cannot change, and its values are checked against it (a number, a date);
 * one value per attribute and customer (PUT upserts); form-field values name a form field the
 * store has (the storefront's fields are configured in the control panel, so a fixed set here).
 * Deletes take `id:in` and refuse a call without it.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { maxChars } from '../domain/text.ts';
import type { CustomerAddress, V3Customer } from '../domain/model.ts';
import { parseWith } from './engine.ts';
import { intFilters, textFilters } from './filters.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl } from './model.ts';

const FILE = 'customers.v3.yml';
export const ADDRESS_BATCH_LIMIT = 10;
export const ATTRIBUTES_PER_STORE = 50;
export const ATTRIBUTE_VALUE_BATCH_LIMIT = 10;

// ---------------------------------------------------------------- addresses

export interface Address extends Item, Omit<CustomerAddress, 'id'> {
  id: number;
}

const COUNTRIES: Record<string, string> = { US: 'United States', CA: 'Canada', GB: 'United Kingdom', DE: 'Germany', FR: 'France', NL: 'Netherlands', AU: 'Australia', MX: 'Mexico', JP: 'Japan', IE: 'Ireland', ES: 'Spain', IT: 'Italy' };

const addressFields = {
  // Lengths in characters, as customers.v3.yml counts them (domain/text.ts).
  first_name: maxChars(255, 1),
  last_name: maxChars(255, 1),
  company: maxChars(255).optional(),
  address1: maxChars(255, 1),
  address2: maxChars(255).optional(),
  city: maxChars(100, 1),
  state_or_province: maxChars(100),
  postal_code: maxChars(30),
  country_code: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as US'),
  phone: maxChars(50).optional(),
  address_type: z.enum(['residential', 'commercial']).optional(),
};
const addressCreate = z.object({ ...addressFields, customer_id: z.number('must be a customer id').int().positive() });
const addressUpdate = z.object(addressFields).partial().extend({ id: z.number('must be an address id').int().positive() });

const customerOf = (ctx: FamilyContext, id: number): V3Customer | undefined => ctx.store.customers.get(id);

const requireCustomer = (ctx: FamilyContext, id: number, field = 'customer_id') => {
  const customer = customerOf(ctx, id);
  if (!customer) throw new DomainError('unprocessable', `Customer ${id} does not exist. Create it with POST /v3/customers first.`, { [field]: `customer ${id} not found` });
  return customer;
};

/** The customer's `addresses` and `address_count`, as GET /v3/customers?include=addresses shows them. */
function syncAddresses(ctx: FamilyContext, customerId: number): void {
  const customer = customerOf(ctx, customerId);
  if (!customer) return;
  customer.addresses = ctx.collection<Address>('customer-address').all().filter((a) => a.customer_id === customerId) as CustomerAddress[];
  customer.address_count = customer.addresses.length;
}

export const addressResource: ResourceDecl<Address> = {
  name: 'customer-address',
  label: 'customer address',
  id: 'sequence',
  batchLimit: ADDRESS_BATCH_LIMIT,
  // The seeded customers' addresses (seed.ts), by the ids the store gave them.
  seed: (ctx) => [...ctx.store.customers.values()].flatMap((c) => c.addresses.map((a) => ({ ...a }) as Address)),
  create: (input) => {
    const code = String(input.country_code);
    return { company: '', address2: '', phone: '', address_type: 'residential', ...(input as Partial<Address>), country: COUNTRIES[code] ?? code } as Omit<Address, 'id'>;
  },
  update: (item, patch) => {
    const code = (patch.country_code as string | undefined) ?? item.country_code;
    return { ...item, ...patch, id: item.id, customer_id: item.customer_id, country: COUNTRIES[code] ?? (patch.country_code ? code : item.country) } as Address;
  },
  check: (next, ctx) => void requireCustomer(ctx, next.customer_id),
  afterChange: (_when, item, ctx) => syncAddresses(ctx, item.customer_id),
  filters: {
    ...intFilters<Address>('id', (a) => a.id, ['in']),
    ...intFilters<Address>('customer_id', (a) => a.customer_id, ['in']),
    ...textFilters<Address>('company', (a) => a.company, ['in']),
    'name:in': { type: 'string-list', test: (a, v: string[]) => v.includes(`${a.first_name} ${a.last_name}`) },
  },
  webhooks: { type: 'customer', created: 'store/customer/address/created', updated: 'store/customer/address/updated', deleted: 'store/customer/address/deleted', data: (a) => ({ address: { customer_id: a.customer_id } }) },
};

// ---------------------------------------------------------------- attributes and their values

export interface Attribute extends Item {
  id: number;
  name: string;
  type: 'string' | 'number' | 'date';
  date_created: string;
  date_modified: string;
}

export interface AttributeValue extends Item {
  id: number;
  attribute_id: number;
  attribute_value: string;
  customer_id: number;
  date_created: string;
  date_modified: string;
}

const attributeCreate = z.object({ name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'), type: z.enum(['string', 'number', 'date']) });
// The type is fixed once created (customers.v3.yml: delete and create the attribute again).
const attributeUpdate = z.object({ id: z.number('must be an attribute id').int().positive(), name: attributeCreate.shape.name, type: z.never('cannot be changed; delete the attribute and create it again').optional() });

export const attributeResource: ResourceDecl<Attribute> = {
  name: 'customer-attribute',
  label: 'customer attribute',
  id: 'sequence',
  batchLimit: ATTRIBUTES_PER_STORE,
  seed: (ctx) => {
    const at = new Date(ctx.seededAt - 200 * 86_400_000).toISOString();
    return [
      { id: 1, name: 'ERP account number', type: 'string', date_created: at, date_modified: at },
      { id: 2, name: 'Credit limit', type: 'number', date_created: at, date_modified: at },
      { id: 3, name: 'Contract renewal', type: 'date', date_created: at, date_modified: at },
    ];
  },
  create: (input, ctx) => ({ name: String(input.name), type: input.type as Attribute['type'], date_created: ctx.nowIso(), date_modified: ctx.nowIso() }),
  update: (item, patch, ctx) => ({ ...item, name: (patch.name as string | undefined) ?? item.name, date_modified: ctx.nowIso() }),
  check(next, ctx, previous) {
    const all = ctx.collection<Attribute>('customer-attribute').all();
    const clash = all.find((a) => a.id !== next.id && a.name.toLowerCase() === next.name.toLowerCase());
    if (clash) throw new DomainError('unprocessable', `Failed to save the customer attribute: the name "${next.name}" is already used by attribute ${clash.id}.`, { name: 'already used by another attribute' });
    if (!previous && all.length >= ATTRIBUTES_PER_STORE) throw new DomainError('unprocessable', `Failed to create the customer attribute: the store already has ${ATTRIBUTES_PER_STORE}, the platform's limit. Delete one first.`, { name: `at most ${ATTRIBUTES_PER_STORE} attributes per store` });
  },
  // Deleting an attribute deletes it from every customer.
  onDelete(attribute, ctx) {
    const values = ctx.collection<AttributeValue>('customer-attribute-value');
    for (const v of values.all()) if (v.attribute_id === attribute.id) values.remove(v.id);
  },
  filters: {
    ...intFilters<Attribute>('id', (a) => a.id, ['in']),
    ...textFilters<Attribute>('name', (a) => a.name, ['eq', 'like']),
    ...textFilters<Attribute>('type', (a) => a.type, ['eq']),
  },
};

/** A value as the attribute's type reads it (the platform stores every value as a string). */
function checkValue(attribute: Attribute, value: string): string | undefined {
  if (attribute.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return `must be a number for the ${attribute.type} attribute "${attribute.name}"`;
  if (attribute.type === 'date' && Number.isNaN(Date.parse(value))) return `must be a date (ISO 8601) for the date attribute "${attribute.name}"`;
  return undefined;
}

function syncAttributeCount(ctx: FamilyContext, customerId: number): void {
  const customer = customerOf(ctx, customerId);
  if (customer) customer.attribute_count = ctx.collection<AttributeValue>('customer-attribute-value').all().filter((v) => v.customer_id === customerId).length;
}

export const attributeValueResource: ResourceDecl<AttributeValue> = {
  name: 'customer-attribute-value',
  label: 'customer attribute value',
  id: 'sequence',
  batchLimit: ATTRIBUTE_VALUE_BATCH_LIMIT,
  // The B2B customers' ERP account numbers (an ERP integration keys its accounts on them).
  seed: (ctx) => {
    const at = new Date(ctx.seededAt - 100 * 86_400_000).toISOString();
    return [...ctx.store.customers.values()]
      .filter((c) => c.customer_group_id > 0)
      .map((c, i) => ({ id: i + 1, attribute_id: 1, attribute_value: `C${String(c.id).padStart(6, '0')}`, customer_id: c.id, date_created: at, date_modified: at }));
  },
  check(next, ctx) {
    requireCustomer(ctx, next.customer_id);
    const attribute = ctx.collection<Attribute>('customer-attribute').find(next.attribute_id);
    if (!attribute) throw new DomainError('unprocessable', `Customer attribute ${next.attribute_id} does not exist. Create it with POST /v3/customers/attributes first.`, { attribute_id: `attribute ${next.attribute_id} not found` });
    const bad = checkValue(attribute, next.attribute_value);
    if (bad) throw new DomainError('unprocessable', `Failed to save the attribute value: ${bad}.`, { value: bad });
  },
  afterChange: (_when, item, ctx) => syncAttributeCount(ctx, item.customer_id),
  filters: {
    ...intFilters<AttributeValue>('id', (v) => v.id, ['in']),
    ...intFilters<AttributeValue>('customer_id', (v) => v.customer_id, ['in']),
    ...intFilters<AttributeValue>('attribute_id', (v) => v.attribute_id, ['in']),
  },
};

const valueUpsert = z.object({
  attribute_id: z.number('must be an attribute id').int().positive(),
  // Sent as a string whatever the attribute's type (customers.v3.yml); numbers are taken too.
  value: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string('must be a string').max(255)),
  customer_id: z.number('must be a customer id').int().positive(),
  id: z.number().int().positive().optional(),
});

/** PUT /customers/attribute-values: one value per attribute and customer, created or replaced; all checked first. */
function upsertAttributeValues(req: OperationRequest, ctx: FamilyContext) {
  if (!Array.isArray(req.body)) throw new DomainError('unprocessable', 'JSON data is missing or invalid: the body must be an array of attribute values', { body: 'must be an array' });
  if (req.body.length > ATTRIBUTE_VALUE_BATCH_LIMIT) throw new DomainError('too-large', `The request payload is too large. The maximum items allowed in the array is ${ATTRIBUTE_VALUE_BATCH_LIMIT}.`, { body: `at most ${ATTRIBUTE_VALUE_BATCH_LIMIT} attribute values per request` });
  const items = parseWith(z.array(valueUpsert).min(1, 'at least one attribute value is required'), req.body, 'v3');
  const values = ctx.collection<AttributeValue>('customer-attribute-value');
  const now = ctx.nowIso();
  const drafts = items.map((input, i) => {
    const existing = values.all().find((v) => v.attribute_id === input.attribute_id && v.customer_id === input.customer_id);
    const draft: AttributeValue = existing ? { ...existing, attribute_value: input.value, date_modified: now } : { id: -(i + 1), attribute_id: input.attribute_id, attribute_value: input.value, customer_id: input.customer_id, date_created: now, date_modified: now };
    try {
      attributeValueResource.check!(draft, ctx);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`[${i}].${k}`, v])));
      throw error;
    }
    return { existing, draft };
  });
  const saved = drafts.map(({ existing, draft }) => {
    if (existing) return values.replace(draft);
    const { id: _stand_in, ...fields } = draft;
    // Two items of one batch for the same attribute and customer: the later one wins.
    const twin = values.all().find((v) => v.attribute_id === draft.attribute_id && v.customer_id === draft.customer_id);
    return twin ? values.replace({ ...twin, attribute_value: draft.attribute_value, date_modified: now }) : values.insert(fields);
  });
  return { status: 200, body: { data: saved, meta: {} } };
}

// ---------------------------------------------------------------- form-field values

/** The store's custom form fields (configured in the control panel's account signup and address forms). */
export const FORM_FIELDS: readonly { name: string; type: 'text' | 'number' | 'multiline' | 'date' | 'checkboxes' | 'dropdown'; for: 'customer' | 'address' }[] = [
  { name: 'VAT number', type: 'text', for: 'customer' },
  { name: 'How did you hear about us?', type: 'dropdown', for: 'customer' },
  { name: 'Newsletter topics', type: 'checkboxes', for: 'customer' },
  { name: 'Delivery instructions', type: 'multiline', for: 'address' },
  { name: 'Loading dock hours', type: 'text', for: 'address' },
];

export interface FormFieldValue extends Item {
  id: number;
  name: string;
  value: string | number | string[];
  customer_id?: number;
  address_id?: number;
}

type FormFieldInput = { name: string; value: string | number | string[]; customer_id?: number; address_id?: number };

const fieldValue = z.union([z.string(), z.number(), z.array(z.string())], 'must be a string, a number or an array of strings');
const formFieldUpsert = z.union(
  [z.object({ name: z.string().min(1), value: fieldValue, customer_id: z.number().int().positive() }).strict(), z.object({ name: z.string().min(1), value: fieldValue, address_id: z.number().int().positive() }).strict()],
  'must name a form field and either a customer_id or an address_id',
);

export const formFieldValueResource: ResourceDecl<FormFieldValue> = {
  name: 'customer-form-field-value',
  label: 'form field value',
  id: 'sequence',
  seed: (ctx) => {
    const b2b = [...ctx.store.customers.values()].filter((c) => c.customer_group_id > 0);
    return b2b.map((c, i) => ({ id: i + 1, name: 'VAT number', value: `US${String(100_000_000 + c.id * 7919).slice(0, 9)}`, customer_id: c.id }));
  },
  check(next, ctx) {
    const field = FORM_FIELDS.find((f) => f.name === next.name);
    const owner = next.customer_id !== undefined ? 'customer' : 'address';
    if (!field || field.for !== owner) throw new DomainError('unprocessable', `The store has no ${owner} form field named "${next.name}" (${owner} fields: ${FORM_FIELDS.filter((f) => f.for === owner).map((f) => f.name).join(', ')}).`, { name: `no ${owner} form field with this name` });
    if (field.type === 'checkboxes' ? !Array.isArray(next.value) : Array.isArray(next.value)) throw new DomainError('unprocessable', `The form field "${next.name}" is a ${field.type} field: its value must be ${field.type === 'checkboxes' ? 'an array of strings' : 'a string or a number'}.`, { value: `wrong type for a ${field.type} field` });
    if (next.customer_id !== undefined) requireCustomer(ctx, next.customer_id);
    else if (!ctx.collection('customer-address').find(next.address_id!)) throw new DomainError('unprocessable', `Customer address ${next.address_id} does not exist.`, { address_id: `address ${next.address_id} not found` });
  },
  filters: {
    customer_id: { type: 'int', test: (v, id: number) => v.customer_id === id },
    address_id: { type: 'int', test: (v, id: number) => v.address_id === id },
    field_name: { type: 'string', test: (v, name: string) => v.name === name },
    field_type: { type: 'string', test: (v, type: string) => FORM_FIELDS.find((f) => f.name === v.name)?.type === type },
  },
};

const formFieldView = (item: Item) => {
  const { id: _id, ...rest } = item as FormFieldValue;
  return rest;
};

function upsertFormFieldValues(req: OperationRequest, ctx: FamilyContext) {
  const items = parseWith(z.array(formFieldUpsert).min(1, 'at least one form field value is required').max(50, 'at most 50 form field values per request'), req.body, 'v3') as unknown as FormFieldInput[];
  const values = ctx.collection<FormFieldValue>('customer-form-field-value');
  const same = (a: FormFieldInput, b: FormFieldInput) => a.name === b.name && a.customer_id === b.customer_id && a.address_id === b.address_id;
  items.forEach((item, i) => {
    try {
      formFieldValueResource.check!({ ...item, id: -(i + 1) }, ctx);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.kind, error.message, Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [`[${i}].${k}`, v])));
      throw error;
    }
  });
  const saved = items.map((item) => {
    const existing = values.all().find((v) => same(v, item));
    return existing ? values.replace({ ...existing, value: item.value }) : values.insert(item);
  });
  return { status: 200, body: { data: saved.map(formFieldView), meta: {} } };
}

export const customerDetailsFamily: FamilyDecl = {
  name: 'customer-details',
  envelope: 'v3',
  resources: [addressResource, attributeResource, attributeValueResource, formFieldValueResource],
  routes: [
    { method: 'GET', path: '/customers/addresses', op: 'list', resource: 'customer-address', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'List customer addresses' },
    { method: 'POST', path: '/customers/addresses', op: 'batch-create', resource: 'customer-address', scope: 'store_v2_customers', spec: { file: FILE }, body: addressCreate, summary: 'Create customer addresses (at most 10)' },
    { method: 'PUT', path: '/customers/addresses', op: 'batch-update', resource: 'customer-address', scope: 'store_v2_customers', spec: { file: FILE }, body: addressUpdate, summary: 'Update customer addresses (at most 10)' },
    { method: 'DELETE', path: '/customers/addresses', op: 'delete-by-filter', resource: 'customer-address', scope: 'store_v2_customers', spec: { file: FILE }, filters: { 'id:in': addressResource.filters!['id:in']! }, summary: 'Delete customer addresses by id:in' },
    { method: 'GET', path: '/customers/attributes', op: 'list', resource: 'customer-attribute', scope: 'store_v2_customers', spec: { file: FILE }, listMeta: 'none', summary: 'List customer attributes' },
    { method: 'POST', path: '/customers/attributes', op: 'batch-create', resource: 'customer-attribute', scope: 'store_v2_customers', spec: { file: FILE }, body: attributeCreate, summary: 'Create customer attributes' },
    { method: 'PUT', path: '/customers/attributes', op: 'batch-update', resource: 'customer-attribute', scope: 'store_v2_customers', spec: { file: FILE }, body: attributeUpdate, summary: 'Rename customer attributes' },
    { method: 'DELETE', path: '/customers/attributes', op: 'delete-by-filter', resource: 'customer-attribute', scope: 'store_v2_customers', spec: { file: FILE }, filters: { 'id:in': attributeResource.filters!['id:in']! }, summary: 'Delete customer attributes (and their values) by id:in' },
    { method: 'GET', path: '/customers/attribute-values', op: 'list', resource: 'customer-attribute-value', scope: 'store_v2_customers', spec: { file: FILE }, summary: "List customers' attribute values" },
    { method: 'PUT', path: '/customers/attribute-values', op: 'custom', resource: 'customer-attribute-value', scope: 'store_v2_customers', spec: { file: FILE }, handler: upsertAttributeValues, summary: 'Create or replace attribute values (at most 10)' },
    { method: 'DELETE', path: '/customers/attribute-values', op: 'delete-by-filter', resource: 'customer-attribute-value', scope: 'store_v2_customers', spec: { file: FILE }, filters: { 'id:in': attributeValueResource.filters!['id:in']! }, summary: 'Delete attribute values by id:in' },
    { method: 'GET', path: '/customers/form-field-values', op: 'list', resource: 'customer-form-field-value', scope: 'store_v2_customers', spec: { file: FILE }, cursor: true, view: formFieldView, summary: "List customers' and addresses' form-field values" },
    { method: 'PUT', path: '/customers/form-field-values', op: 'custom', resource: 'customer-form-field-value', scope: 'store_v2_customers', spec: { file: FILE }, handler: upsertFormFieldValues, summary: 'Create or replace form-field values' },
  ],
};
