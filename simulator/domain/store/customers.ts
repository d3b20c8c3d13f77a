/**
 * Customers (customers.v3.yml): batch creates and updates, a shopper registering on the
 * storefront, and the slots of the 3-concurrent-updates rule. Customer groups are the seeded list
 * in `ctx.customerGroups` (the customer-groups family writes into the same list).
 */
import { unprocessable } from '../errors.ts';
import { iso } from '../format.ts';
import type { V3Customer } from '../model.ts';
import { createSlots } from '../slots.ts';
import type { StoreContext } from './context.ts';

/** At most 3 concurrent `PUT /v3/customers` per store (customers.v3.yml); a fourth answers 429. */
export const CUSTOMER_CONCURRENT_UPDATES = 3;

export function createCustomers(ctx: StoreContext) {
  const { clock, ids, changed, emit } = ctx;

  const api = {
    /** Slots of the 3-concurrent-updates rule on `PUT /v3/customers`; not reset with the store, since requests may still hold them. */
    customerUpdates: createSlots(CUSTOMER_CONCURRENT_UPDATES),

    createCustomers(batch: { email: string; first_name: string; last_name: string; company?: string; phone?: string; notes?: string; customer_group_id?: number; tax_exempt_category?: string }[]): V3Customer[] {
      const existing = new Set([...ctx.customers.values()].map((c) => c.email.toLowerCase()));
      batch.forEach((c, i) => {
        if (existing.has(c.email.toLowerCase())) throw unprocessable('Create customers failed.', { [`.customer_create[${i}].email`]: `The email ${c.email} is already in use.` });
        if (c.customer_group_id && !ctx.customerGroups.some((g) => g.id === c.customer_group_id)) throw unprocessable('Create customers failed.', { [`.customer_create[${i}].customer_group_id`]: 'unknown customer group' });
        existing.add(c.email.toLowerCase());
      });
      return batch.map((c) => {
        const now = iso(clock.now());
        const customer: V3Customer = {
          id: ids.customer.next(),
          email: c.email,
          first_name: c.first_name,
          last_name: c.last_name,
          company: c.company ?? '',
          phone: c.phone ?? '',
          notes: c.notes ?? '',
          tax_exempt_category: c.tax_exempt_category ?? '',
          customer_group_id: c.customer_group_id ?? 0,
          date_created: now,
          date_modified: now,
          accepts_product_review_abandoned_cart_emails: false,
          registration_ip_address: '',
          origin_channel_id: 1,
          channel_ids: [1],
          address_count: 0,
          attribute_count: 0,
          addresses: [],
          store_credit_amounts: [{ amount: 0 }],
          authentication: { force_password_reset: false },
        };
        ctx.customers.set(customer.id, customer);
        changed('resource:created', 'customer', customer.id, customer);
        emit('store/customer/created', { type: 'customer', id: customer.id });
        return customer;
      });
    },

    updateCustomers(batch: ({ id: number } & Partial<Pick<V3Customer, 'email' | 'first_name' | 'last_name' | 'company' | 'phone' | 'notes' | 'customer_group_id' | 'tax_exempt_category'>>)[]): V3Customer[] {
      batch.forEach((c, i) => {
        const current = ctx.customers.get(c.id);
        if (!current) throw unprocessable('Update customers failed.', { [`.customer_update[${i}].id`]: `customer ${c.id} not found` });
        if (c.email && c.email.toLowerCase() !== current.email.toLowerCase() && [...ctx.customers.values()].some((o) => o.email.toLowerCase() === c.email!.toLowerCase())) {
          throw unprocessable('Update customers failed.', { [`.customer_update[${i}].email`]: `The email ${c.email} is already in use.` });
        }
      });
      return batch.map((c) => {
        const customer = ctx.customers.get(c.id)!;
        const { id: _id, ...rest } = c;
        void _id;
        Object.assign(customer, rest);
        customer.date_modified = iso(clock.now());
        changed('resource:updated', 'customer', customer.id, customer);
        emit('store/customer/updated', { type: 'customer', id: customer.id });
        return customer;
      });
    },

    /** A shopper registers an account on the storefront. */
    registerShopperCustomers(count: number): V3Customer[] {
      const made: V3Customer[] = [];
      for (let i = 0; i < count; i++) {
        const first = ctx.faker.person.firstName();
        const last = ctx.faker.person.lastName();
        made.push(...api.createCustomers([{ email: `${ctx.faker.internet.username({ firstName: first, lastName: last }).toLowerCase()}.${ids.customer.peek()}@example.net`, first_name: first, last_name: last }]));
      }
      return made;
    },
  };
  return api;
}
