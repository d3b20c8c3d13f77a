/**
 * Order fees (orders.v2.oas2.yml, `fees` on POST and PUT /v2/orders): pure rules, no state.
 *
 * - A PUT's `fees` fully replace the order's: a fee with an `id` updates that fee, one without is
 *   created, an existing fee the body leaves out is deleted, and `fees: []` deletes them all
 *   ("Fees, however, follow standard PUT semantics").
 * - At least one of `display_name_customer` / `display_name_merchant`; the other takes its value
 *   (the document's answers show both).
 * - At least two of `cost_ex_tax`, `cost_inc_tax`, `cost_tax`; the third is computed, and when all
 *   three come they must agree (inc = ex + tax), since "incorrect data may lead to issues in
 *   downstream operations like refunds". The document's own examples spell the first
 *   `cost_exc_tax` in places; it is taken as the same field.
 *
 * A bad fee is a V2 400 naming `fees[i].<field>`.
 */
import { DomainError } from './errors.ts';
import { cents, money } from './format.ts';
import type { OrderFee } from './model.ts';

export interface FeeInput {
  id?: number;
  type?: 'custom_fee';
  display_name_customer?: string;
  display_name_merchant?: string;
  source?: string;
  cost_ex_tax?: number;
  /** The spelling some of the document's examples use for cost_ex_tax. */
  cost_exc_tax?: number;
  cost_inc_tax?: number;
  cost_tax?: number;
  tax_class_id?: number | null;
}

const bad = (message: string, field: string, reason: string) => new DomainError('bad-request', message, { [field]: reason });

/** One fee's costs, the missing one computed from the other two. */
function costsOf(input: FeeInput, at: string): { ex: number; inc: number; tax: number } {
  const ex = input.cost_ex_tax ?? input.cost_exc_tax;
  const { cost_inc_tax: inc, cost_tax: tax } = input;
  const given = [ex, inc, tax].filter((v) => v !== undefined).length;
  if (given < 2) throw bad(`Failed to save the order's fees: ${at} needs at least two of cost_ex_tax, cost_inc_tax and cost_tax. Send two of them (the third is computed).`, `${at}.cost_ex_tax`, 'at least two of cost_ex_tax, cost_inc_tax, cost_tax are required');
  for (const [name, value] of [['cost_ex_tax', ex], ['cost_inc_tax', inc], ['cost_tax', tax]] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw bad(`Failed to save the order's fees: ${at}.${name} must be a number of at least 0.`, `${at}.${name}`, 'must be a number of at least 0');
  }
  if (ex !== undefined && inc !== undefined && tax !== undefined) {
    if (Math.abs(cents(ex + tax) - cents(inc)) > 0.005) throw bad(`Failed to save the order's fees: ${at} has cost_ex_tax ${ex} + cost_tax ${tax} != cost_inc_tax ${inc}. Send consistent values, or only two of them.`, `${at}.cost_tax`, 'cost_ex_tax + cost_tax must equal cost_inc_tax');
    return { ex, inc, tax };
  }
  if (ex !== undefined && inc !== undefined) {
    if (inc < ex) throw bad(`Failed to save the order's fees: ${at}.cost_inc_tax ${inc} is below cost_ex_tax ${ex}.`, `${at}.cost_inc_tax`, 'must be at least cost_ex_tax');
    return { ex, inc, tax: cents(inc - ex) };
  }
  if (ex !== undefined && tax !== undefined) return { ex, inc: cents(ex + tax), tax };
  if (tax! > inc!) throw bad(`Failed to save the order's fees: ${at}.cost_tax ${tax} is above cost_inc_tax ${inc}.`, `${at}.cost_tax`, 'must be at most cost_inc_tax');
  return { ex: cents(inc! - tax!), inc: inc!, tax: tax! };
}

/**
 * The order's fees after a PUT (or POST) `fees` list: updates, creates and (by leaving out)
 * deletes. `nextId` gives ids to new fees. Throws before anything is changed.
 */
export function replaceFees(existing: readonly OrderFee[], input: readonly FeeInput[], nextId: () => number): OrderFee[] {
  const seen = new Set<number>();
  const planned = input.map((fee, i) => {
    const at = `fees[${i}]`;
    const previous = fee.id === undefined ? undefined : existing.find((f) => f.id === fee.id);
    if (fee.id !== undefined && !previous) throw bad(`Failed to save the order's fees: ${at}.id ${fee.id} is not a fee of this order. Leave out the id to create a fee.`, `${at}.id`, `fee ${fee.id} not found on this order`);
    if (fee.id !== undefined && seen.has(fee.id)) throw bad(`Failed to save the order's fees: fee ${fee.id} is named twice.`, `${at}.id`, 'named twice');
    if (fee.id !== undefined) seen.add(fee.id);
    const customer = fee.display_name_customer ?? fee.display_name_merchant;
    const merchant = fee.display_name_merchant ?? fee.display_name_customer;
    if (!customer || !merchant) throw bad(`Failed to save the order's fees: ${at} needs display_name_customer or display_name_merchant.`, `${at}.display_name_customer`, 'display_name_customer or display_name_merchant is required');
    const costs = costsOf(fee, at);
    return { fee, previous, customer, merchant, costs };
  });
  return planned.map(({ fee, previous, customer, merchant, costs }) => ({
    id: previous?.id ?? nextId(),
    type: 'custom_fee',
    display_name_customer: customer,
    display_name_merchant: merchant,
    source: fee.source ?? previous?.source ?? 'v2',
    base_cost: money(costs.ex),
    cost_ex_tax: money(costs.ex),
    cost_inc_tax: money(costs.inc),
    cost_tax: money(costs.tax),
    tax_class_id: fee.tax_class_id !== undefined ? fee.tax_class_id : (previous?.tax_class_id ?? null),
  }));
}

/** The fees' sums, which the order's totals include. */
export function feeTotals(fees: readonly OrderFee[]): { ex: number; inc: number; tax: number } {
  return fees.reduce((s, f) => ({ ex: cents(s.ex + Number(f.cost_ex_tax)), inc: cents(s.inc + Number(f.cost_inc_tax)), tax: cents(s.tax + Number(f.cost_tax)) }), { ex: 0, inc: 0, tax: 0 });
}
