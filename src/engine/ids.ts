/**
 * Which ids the platform can produce, and so which ids the engine will ever try to fetch.
 *
 * Orders, customers (and everything else with a numeric id) have positive integer ids that fit a
 * signed 32-bit column (order ids up to 2^31-1); the payload carries them as JSON numbers (facts
 * section c: "data.id is an integer for orders, products and customers, and a UUID string for
 * carts"). A webhook naming anything else did not come from the platform: the receiver refuses
 * it with a 400 naming the field, so it never reaches the work table, and the planner ends any
 * such key already there (written by an older engine) instead of trying to fetch it.
 *
 * Keys in the work table are the canonical text of the id ("250", never "0250" or "2.5e2"), so
 * one id is one row and a fetched record finds the row it completes.
 */
import type { Lane } from './work-queue.ts';

type Json = Record<string, any>;

/** The largest id the platform produces (a signed 32-bit integer). */
export const MAX_PLATFORM_ID = 2 ** 31 - 1;

const INTEGER_KEY = /^[1-9][0-9]{0,9}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INTEGER_RULE = `must be a positive integer up to ${MAX_PLATFORM_ID}`;
const UUID_RULE = 'must be a cart UUID such as 09346904-4175-44fd-be53-f7e598531b6c';

/** What an id in a payload is wrong about, or undefined when the platform could have sent it. */
export function integerIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `${INTEGER_RULE} (a JSON number); got ${describe(value)}`;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PLATFORM_ID) return `${INTEGER_RULE}; got ${describe(value)}`;
  return undefined;
}

export function uuidProblem(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? undefined : `${UUID_RULE}; got ${describe(value)}`;
}

/** How a key is named in a reason, per lane. */
const KEY_NOUN: Record<Lane, string> = { order: 'an order id', refund: 'a refund key (the order id)', customer: 'a customer id', cart: 'a cart id', remap: 'a dead-letter number' };

/** Why a work-table key can never be fetched, or undefined when it can. */
export function keyProblem(lane: Lane, key: string): string | undefined {
  if (lane === 'cart') return UUID.test(key) ? undefined : `${KEY_NOUN[lane]} ${UUID_RULE}; got ${describe(key)}`;
  return INTEGER_KEY.test(key) && Number(key) <= MAX_PLATFORM_ID ? undefined : `${KEY_NOUN[lane]} ${INTEGER_RULE}; got ${describe(key)}`;
}

/** At most 200 characters of a key, for a log line or a dead-letter entry. */
export function shortKey(key: string): string {
  return key.length <= 200 ? key : `${key.slice(0, 100)}…(${key.length} characters)`;
}

/** A value as a short, printable excerpt (never the 60,000 characters it may be). */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length <= 40 ? text : `${text.slice(0, 24)}… (${text.length} characters)`;
}

export type WebhookRoute = { lane: Lane; key: string } | 'delivery-exception' | undefined;

/**
 * The lane and key a webhook names (undefined when no lane takes it), or the field that holds an
 * id the platform cannot produce.
 */
export function routeWebhook(scope: string, data: Json | undefined): { route: WebhookRoute } | { field: string; problem: string } {
  const id = data?.id;
  const integer = (lane: Lane, field: string, value: unknown) => {
    const problem = integerIdProblem(value);
    return problem ? { field, problem } : { route: { lane, key: String(value) } };
  };
  if (scope === 'store/hook/deliveryException') return { route: 'delivery-exception' };
  if (scope === 'store/order/refund/created') return id !== undefined ? integer('refund', 'data.id', id) : { route: undefined };
  if (scope.startsWith('store/order/')) return id !== undefined ? integer('order', 'data.id', id) : { route: undefined };
  if (scope === 'store/cart/abandoned') {
    if (id === undefined) return { route: undefined };
    const problem = uuidProblem(id);
    return problem ? { field: 'data.id', problem } : { route: { lane: 'cart', key: id as string } };
  }
  if (scope.startsWith('store/customer/')) {
    const [field, value] =
      data?.address?.customer_id !== undefined ? ['data.address.customer_id', data.address.customer_id] : data?.customer_id !== undefined ? ['data.customer_id', data.customer_id] : ['data.id', id];
    return value !== undefined ? integer('customer', field, value) : { route: undefined };
  }
  return { route: undefined };
}
