/**
 * Customers V3 (customers.v3.yml): list with filters, batch create and update of at most 10 per
 * call, and at most 3 concurrent updates (`PUT /customers`). An update holds its slot for the
 * simulator's `customerUpdateMs` of simulated time and is applied when that is over, so a client
 * that sends more than 3 at once meets the rule. What the platform answers to a fourth concurrent
 * update is not documented; the simulator answers 429 without rate-limit headers, which clients
 * already treat as "retry later".
 */
import { Router } from 'express';
import { z } from 'zod';
import { renameFields } from '../../domain/faults.ts';
import type { Customer } from '../../../contracts/generated/index.ts';
import type { V3Customer } from '../../domain/model.ts';
import type { Simulator } from '../../domain/simulator.ts';
import { CUSTOMER_CONCURRENT_UPDATES } from '../../domain/store.ts';
import { HttpError } from '../errors.ts';
import { clearRateHeaders, handle, locals, requireScope } from '../middleware.ts';
import { intList, paginate } from '../pagination.ts';
import { parseBody, parseQuery } from '../validation.ts';
import { maxChars } from '../../domain/text.ts';

export const CUSTOMER_BATCH_LIMIT = 10;
export { CUSTOMER_CONCURRENT_UPDATES };

const customerCreate = z.object({
  email: z.email().max(255),
  first_name: maxChars(100, 1),
  last_name: maxChars(100, 1),
  company: maxChars(255).optional(),
  phone: maxChars(50).optional(),
  notes: z.string().optional(),
  customer_group_id: z.number().int().min(0).optional(),
  tax_exempt_category: z.string().max(255).optional(),
});

const customerUpdate = customerCreate.partial().extend({ id: z.number().int().positive() });

const listQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(250, 'must be at most 250').default(50),
    'id:in': z.string().optional(),
    'email:in': z.string().optional(),
    'name:in': z.string().optional(),
    'name:like': z.string().optional(),
    'company:in': z.string().optional(),
    'customer_group_id:in': z.string().optional(),
    'date_modified:min': z.string().optional(),
    'date_modified:max': z.string().optional(),
    'date_created:min': z.string().optional(),
    'date_created:max': z.string().optional(),
    include: z.string().optional(),
    sort: z.enum(['date_created:asc', 'date_created:desc', 'last_name:asc', 'last_name:desc', 'date_modified:asc', 'date_modified:desc']).optional(),
  })
  .loose();

const dateOf = (value: string | undefined, field: string) => {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(422, `The filter ${field} is not a date: "${value}".`, { [field]: 'not a date' });
  return ms;
};

export function createV3CustomersRouter(sim: Simulator): Router {
  const router = Router({ mergeParams: true });
  // addresses and store_credit_amounts are served only when asked (include=addresses / storecredit).
  const renderCustomer = (c: V3Customer, include: string[]): Customer => {
    const { addresses, store_credit_amounts, ...rest } = c;
    return renameFields(sim.faults(), 'customer', {
      ...rest,
      ...(include.includes('addresses') ? { addresses } : {}),
      ...(include.includes('storecredit') ? { store_credit_amounts } : {}),
    });
  };
  const scope = requireScope('store_v2_customers');

  router.get(
    '/customers',
    scope,
    handle((req, res) => {
      const q = parseQuery(listQuery, req.query);
      const ids = intList(q['id:in']);
      const emails = q['email:in']?.toLowerCase().split(',');
      const groups = intList(q['customer_group_id:in']);
      const companies = q['company:in']?.split(',');
      const names = q['name:in']?.split(',');
      const like = q['name:like']?.toLowerCase();
      const [modMin, modMax, crMin, crMax] = (['date_modified:min', 'date_modified:max', 'date_created:min', 'date_created:max'] as const).map((f) => dateOf(q[f], f));
      let list = [...locals(res).store.customers.values()].filter((c) => {
        if (ids && !ids.includes(c.id)) return false;
        if (emails && !emails.includes(c.email.toLowerCase())) return false;
        if (groups && !groups.includes(c.customer_group_id)) return false;
        if (companies && !companies.includes(c.company)) return false;
        const full = `${c.first_name} ${c.last_name}`;
        if (names && !names.includes(full)) return false;
        if (like && !full.toLowerCase().includes(like)) return false;
        const modified = Date.parse(c.date_modified);
        const created = Date.parse(c.date_created);
        if (modMin !== undefined && modified < modMin) return false;
        if (modMax !== undefined && modified > modMax) return false;
        if (crMin !== undefined && created < crMin) return false;
        if (crMax !== undefined && created > crMax) return false;
        return true;
      });
      if (q.sort) {
        const [field, dir] = q.sort.split(':') as ['date_created' | 'last_name' | 'date_modified', 'asc' | 'desc'];
        const sign = dir === 'desc' ? -1 : 1;
        list = [...list].sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.id - b.id) * sign);
      }
      const include = (q.include ?? '').split(',');
      const page = paginate(list, q.page, q.limit);
      res.json({
        data: page.data.map((c) => renderCustomer(c, include)),
        meta: page.meta,
      });
    }),
  );

  router.post(
    '/customers',
    scope,
    handle((req, res) => {
      if (Array.isArray(req.body) && req.body.length > CUSTOMER_BATCH_LIMIT) {
        throw new HttpError(413, `The request payload is too large. The maximum items allowed in the array is ${CUSTOMER_BATCH_LIMIT}.`, { body: `at most ${CUSTOMER_BATCH_LIMIT} customers per request` });
      }
      const batch = parseBody(z.array(customerCreate).min(1, 'at least one customer is required'), req.body);
      const created = locals(res).store.createCustomers(batch);
      res.json({ data: created, meta: {} });
    }),
  );

  router.put('/customers', scope, (req, res, next) => {
    const { store } = locals(res);
    const release = store.customerUpdates.take();
    if (!release) {
      clearRateHeaders(res);
      return next(new HttpError(429, `Too many concurrent customer updates: at most ${CUSTOMER_CONCURRENT_UPDATES} PUT /v3/customers may run at once. Wait for one to finish, then retry.`));
    }
    // The slot is free again when the answer is sent, or when the client hangs up while waiting.
    res.on('close', release);
    let batch: z.infer<typeof customerUpdate>[];
    try {
      if (Array.isArray(req.body) && req.body.length > CUSTOMER_BATCH_LIMIT) {
        throw new HttpError(413, `The request payload is too large. The maximum items allowed in the array is ${CUSTOMER_BATCH_LIMIT}.`, { body: `at most ${CUSTOMER_BATCH_LIMIT} customers per request` });
      }
      batch = parseBody(z.array(customerUpdate).min(1, 'at least one customer is required'), req.body);
    } catch (error) {
      release();
      return next(error);
    }
    const apply = () => {
      if (res.writableEnded || res.destroyed) return;
      try {
        res.json({ data: store.updateCustomers(batch), meta: {} });
      } catch (error) {
        next(error);
      } finally {
        release();
      }
    };
    if (sim.customerUpdateMs <= 0) return apply();
    // Processing time on the simulated clock: a test jumps it, a scaled run waits it out. A client
    // that hangs up first changes nothing.
    const timer = sim.clock.setTimer(sim.customerUpdateMs, apply);
    res.on('close', () => timer.cancel());
  });

  return router;
}
