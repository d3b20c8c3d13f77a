/**
 * Hardening of the connected-system mocks (issue 14, items 6 and 9): a deeply nested JSON body is
 * refused with a 400 before any recursive work, a path key with bad percent-encoding is a 400 (as
 * the simulator answers), and the control token is random unless fixed tokens are asked for.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { request } from 'undici';
import { MAX_JSON_DEPTH } from '../../src/mocks/http/app.ts';
import { startMocks, type RunningMocks } from '../../src/mocks/http/server.ts';

const START = Date.UTC(2026, 10, 27, 12);

async function call(base: string, method: string, path: string, body?: string, token?: string) {
  const res = await request(`${base}${path}`, {
    method: method as 'GET',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.body.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, body: parsed, text };
}

const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** Nesting inside an otherwise plausible body, with brackets in strings that must not count. */
const inside = (depth: number) => `{"externalId":"x[{\\"]","note":"}}]]","extra":${objects(depth)}}`;

/** Every endpoint that reads a JSON body; `control` ones need the control token. */
const writes: { method: string; path: string; control?: boolean }[] = [
  { method: 'PUT', path: '/erp/sales-orders/deep-1' },
  { method: 'POST', path: '/erp/sales-orders' },
  { method: 'PUT', path: '/erp/credit-memos/deep-1' },
  { method: 'PUT', path: '/3pl/fulfillment-orders/deep-1' },
  { method: 'PUT', path: '/crm/contacts/deep@example.com' },
  { method: 'POST', path: '/marketing/events' },
  { method: 'PUT', path: '/erp/items/DEEP-1', control: true },
  { method: 'POST', path: '/erp/changes', control: true },
  { method: 'PUT', path: '/erp/faults', control: true },
  { method: 'PUT', path: '/3pl/push', control: true },
  { method: 'POST', path: '/__mocks/clock', control: true },
];

describe('connected-system mocks refuse hostile bodies and paths (item 6)', () => {
  let mocks: RunningMocks;
  let consoleError: MockInstance<typeof console.error>;
  const logged: string[] = [];

  beforeAll(async () => {
    consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    mocks = await startMocks({ seed: 7, products: 60, customers: 30, timeScale: 0, start: START });
  });
  afterAll(async () => {
    consoleError?.mockRestore();
    await mocks?.close();
  });

  it('has a nesting limit of 64', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
  });

  for (const w of writes) {
    it(`answers 400 naming the limit to a body nested too deep on ${w.method} ${w.path}`, async () => {
      const token = w.control ? mocks.controlToken : undefined;
      const journalBefore = Object.values(mocks.journals).reduce((n, j) => n + j.count, 0);
      for (const body of [arrays(100_000), objects(20_000), arrays(MAX_JSON_DEPTH + 1), inside(MAX_JSON_DEPTH)]) {
        const res = await call(mocks.url, w.method, w.path, body, token);
        expect(res.status, `${body.slice(0, 40)}: ${res.text.slice(0, 300)}`).toBe(400);
        expect(res.body).toEqual({ errors: [{ field: 'body', message: expect.stringContaining(String(MAX_JSON_DEPTH)) }] });
      }
      // Nothing refused at the door is journaled as a write.
      expect(Object.values(mocks.journals).reduce((n, j) => n + j.count, 0)).toBe(journalBefore);
      // At the limit the body is parsed and answered on its merits (never a depth error).
      const atLimit = await call(mocks.url, w.method, w.path, arrays(MAX_JSON_DEPTH), token);
      expect(atLimit.status, atLimit.text.slice(0, 300)).toBeLessThan(500);
      expect(atLimit.text).not.toMatch(/nested/);
    });
  }

  it.each([
    ['PUT', '/erp/items/%zz', true],
    ['PUT', '/erp/sales-orders/%zz', false],
    ['GET', '/erp/sales-orders/%zz', false],
    ['PUT', '/erp/credit-memos/%E0%A4%A', false],
    ['PUT', '/3pl/fulfillment-orders/%', false],
    ['PUT', '/crm/contacts/a%zz@example.com', false],
    ['GET', '/crm/contacts/%C0', false],
  ])('answers 400 in the mocks error shape to %s %s (bad percent-encoding)', async (method, path, control) => {
    const res = await call(mocks.url, method, path, method === 'PUT' ? '{}' : undefined, control ? mocks.controlToken : undefined);
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(res.body).toEqual({ errors: [{ field: 'path', message: expect.stringMatching(/percent-encoding/) }] });
  });

  it('journals a write refused by a fault even when its key is badly encoded', async () => {
    await call(mocks.url, 'PUT', '/crm/faults', JSON.stringify({ down: true }), mocks.controlToken);
    const res = await call(mocks.url, 'PUT', '/crm/contacts/%zz', '{}');
    await call(mocks.url, 'PUT', '/crm/faults', '{}', mocks.controlToken);
    expect(res.status, res.text.slice(0, 300)).toBe(503);
    const journal = await call(mocks.url, 'GET', '/crm/journal', undefined, mocks.controlToken);
    const last = JSON.parse(journal.text.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ method: 'PUT', resource: 'contact', key: '%zz', status: 503, fault: 'down' });
  });

  it('still serves afterwards and never answered 500 or logged an internal error', async () => {
    expect((await call(mocks.url, 'GET', '/erp/inventory?limit=1')).status).toBe(200);
    expect(logged.filter((l) => /Failed to handle/.test(l))).toEqual([]);
  });
});

describe('the mocks control token (item 9)', () => {
  const running: RunningMocks[] = [];
  afterEach(async () => {
    while (running.length > 0) await running.pop()!.close();
  });
  const start = async (options: Parameters<typeof startMocks>[0] = {}) => {
    const m = await startMocks({ seed: 7, products: 20, customers: 10, timeScale: 0, start: START, ...options });
    running.push(m);
    return m;
  };

  it('is random for the same seed by default, and fixed with deterministicTokens: true', async () => {
    const a = await start();
    const b = await start();
    expect(b.controlToken).not.toBe(a.controlToken);
    expect(a.controlToken.length).toBeGreaterThanOrEqual(32);
    expect((await call(a.url, 'GET', '/erp/faults', undefined, b.controlToken)).status).toBe(401);
    expect((await call(a.url, 'GET', '/erp/faults', undefined, a.controlToken)).status).toBe(200);
    const c = await start({ deterministicTokens: true });
    const d = await start({ deterministicTokens: true });
    expect(d.controlToken).toBe(c.controlToken);
  });
});
