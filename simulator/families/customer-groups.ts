/**
 * Customer groups V2 (customers.v2.yml): the B2B tiers customers belong to and price lists are
 * assigned to. Seeded from the store's own groups (seed.ts: Retail, Wholesale, Distributor), so the
 * seeded customers' `customer_group_id` resolve, and kept in step with them: the store's group list
 * (which `POST /v3/customers` checks and order generation prices from) is the same list the family
 * writes through, a group's discount being its `discount_rules` entry of type `all`.
 *
 * Platform rules kept: the name is required and unique (409); one group is the default (setting
 * `is_default` takes it from the others). Deleting a group moves its customers to no group (0) and
 * deletes the price list assignments that name it. The platform raises no webhook for customer
 * groups (webhooks.v3.yml lists none). V2 answers bare objects and arrays, 204 for an empty list,
 * and 400 naming the field for bad input.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { CustomerGroup as StoreGroup } from '../domain/model.ts';
import { boolFilter, intFilters, textFilters } from './filters.ts';
import type { FamilyContext, FamilyDecl, Item, ResourceDecl } from './model.ts';

const FILE = 'customers.v2.yml';

export interface DiscountRule {
  type: 'all' | 'category' | 'product' | 'price_list';
  method?: 'percent' | 'fixed' | 'price';
  amount?: string;
  category_id?: number;
  product_id?: number;
  price_list_id?: number;
}

export interface CustomerGroupRecord extends Item {
  id: number;
  name: string;
  is_default: boolean;
  category_access: { type: 'all' | 'specific' | 'none'; categories?: number[] };
  discount_rules: DiscountRule[];
  date_created: string;
  date_modified: string;
  is_group_for_guests: boolean;
}

const discountRule = z.object({
  type: z.enum(['all', 'category', 'product', 'price_list']),
  method: z.enum(['percent', 'fixed', 'price']).optional(),
  amount: z.preprocess((v) => (typeof v === 'number' ? v.toFixed(4) : v), z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal such as "15.0000"')).optional(),
  category_id: z.number().int().positive().optional(),
  product_id: z.number().int().positive().optional(),
  price_list_id: z.number().int().positive().optional(),
});

const groupBody = z.object({
  name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
  is_default: z.boolean().optional(),
  is_group_for_guests: z.boolean().optional(),
  category_access: z.object({ type: z.enum(['all', 'specific', 'none']), categories: z.array(z.number().int().positive()).optional() }).optional(),
  discount_rules: z.array(discountRule).optional(),
});

/** The percentage off every product a group's rules give (the store's order pricing reads this). */
export const discountPercentOf = (rules: DiscountRule[]) => {
  const all = rules.find((r) => r.type === 'all' && r.method === 'percent');
  return all?.amount ? Number(all.amount) : 0;
};

const toStore = (g: CustomerGroupRecord): StoreGroup => ({ id: g.id, name: g.name, discountPercent: discountPercentOf(g.discount_rules), is_default: g.is_default });

/** Keep the store's group list (the same array the store reads) in step with the family's records. */
function syncStoreGroups(ctx: FamilyContext): void {
  const list = ctx.store.customerGroups;
  list.splice(0, list.length, ...ctx.collection<CustomerGroupRecord>('customer-group').all().map(toStore));
}

export const customerGroupResource: ResourceDecl<CustomerGroupRecord> = {
  name: 'customer-group',
  label: 'customer group',
  id: 'sequence',
  seed: (ctx) => {
    const at = new Date(ctx.seededAt - 365 * 86_400_000).toISOString();
    return ctx.store.customerGroups.map((g) => ({
      id: g.id,
      name: g.name,
      is_default: g.is_default,
      category_access: { type: 'all' as const },
      discount_rules: g.discountPercent > 0 ? [{ type: 'all' as const, method: 'percent' as const, amount: g.discountPercent.toFixed(4) }] : [],
      date_created: at,
      date_modified: at,
      is_group_for_guests: false,
    }));
  },
  create: (input, ctx) => {
    const now = ctx.nowIso();
    return { is_default: false, category_access: { type: 'all' }, discount_rules: [], is_group_for_guests: false, ...(input as Partial<CustomerGroupRecord>), name: String(input.name), date_created: now, date_modified: now } as Omit<CustomerGroupRecord, 'id'>;
  },
  update: (item, patch, ctx) => ({ ...item, ...patch, id: item.id, date_created: item.date_created, date_modified: ctx.nowIso() }) as CustomerGroupRecord,
  check(next, ctx) {
    const clash = ctx.collection<CustomerGroupRecord>('customer-group').all().find((g) => g.id !== next.id && g.name.toLowerCase() === next.name.toLowerCase());
    if (clash) throw new DomainError('conflict', `Failed to save the customer group: the name "${next.name}" is already used by group ${clash.id}.`, { name: 'already used by another customer group' });
    if (next.category_access.type === 'specific' && !(next.category_access.categories?.length)) {
      throw new DomainError('bad-request', 'Failed to save the customer group: category_access of type "specific" needs at least one category id.', { 'category_access.categories': 'required when type is specific' });
    }
  },
  afterChange(when, item, ctx) {
    // One default group: the new default takes it from the old one.
    if (when !== 'deleted' && item.is_default) {
      const groups = ctx.collection<CustomerGroupRecord>('customer-group');
      for (const other of groups.all()) if (other.id !== item.id && other.is_default) groups.replace({ ...other, is_default: false, date_modified: ctx.nowIso() });
    }
    syncStoreGroups(ctx);
  },
  onDelete(group, ctx) {
    // Its customers belong to no group afterwards (each change is a store/customer/updated).
    const members = [...ctx.store.customers.values()].filter((c) => c.customer_group_id === group.id);
    if (members.length > 0) ctx.store.updateCustomers(members.map((c) => ({ id: c.id, customer_group_id: 0 })));
    const assignments = ctx.collection<Item & { customer_group_id: number }>('price-list-assignment');
    for (const a of assignments.all()) if (a.customer_group_id === group.id) assignments.remove(a.id);
  },
  filters: {
    ...intFilters<CustomerGroupRecord>('id', (g) => g.id, ['eq', 'in']),
    ...textFilters<CustomerGroupRecord>('name', (g) => g.name, ['eq', 'like']),
    is_default: boolFilter<CustomerGroupRecord>((g) => g.is_default),
    is_group_for_guests: boolFilter<CustomerGroupRecord>((g) => g.is_group_for_guests),
  },
};

export const customerGroupsFamily: FamilyDecl = {
  name: 'customer-groups',
  envelope: 'v2',
  resources: [customerGroupResource],
  routes: [
    { method: 'GET', path: '/customer_groups', op: 'list', resource: 'customer-group', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'List customer groups' },
    { method: 'POST', path: '/customer_groups', op: 'create', resource: 'customer-group', scope: 'store_v2_customers', spec: { file: FILE }, body: groupBody, summary: 'Create a customer group' },
    {
      method: 'GET',
      path: '/customer_groups/count',
      op: 'custom',
      resource: 'customer-group',
      scope: 'store_v2_customers',
      spec: { file: FILE },
      summary: 'Count customer groups',
      handler: (_req, ctx) => ({ status: 200, body: { count: ctx.collection('customer-group').all().length } }),
    },
    { method: 'GET', path: '/customer_groups/{customer_group_id}', op: 'get', resource: 'customer-group', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'Get a customer group' },
    { method: 'PUT', path: '/customer_groups/{customer_group_id}', op: 'update', resource: 'customer-group', scope: 'store_v2_customers', spec: { file: FILE }, body: groupBody.partial(), summary: 'Update a customer group' },
    { method: 'DELETE', path: '/customer_groups/{customer_group_id}', op: 'delete', resource: 'customer-group', scope: 'store_v2_customers', spec: { file: FILE }, summary: 'Delete a customer group (its customers move to no group)' },
  ],
};
