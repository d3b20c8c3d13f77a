import { describe, expect, it } from 'vitest';
import { ConfigError, parseEngineConfig, rawConfigFrom } from '../../src/engine/config.ts';

const env = {
  BIGCOMMERCE_API_URL: 'http://127.0.0.1:4000/stores/s0abc12',
  BIGCOMMERCE_ACCESS_TOKEN: 'token',
  BIGCOMMERCE_WEBHOOK_SECRET: 'a-long-secret',
  ERP_URL: 'http://127.0.0.1:4100/erp/',
  THREEPL_URL: 'http://127.0.0.1:4100/3pl',
  CRM_URL: 'http://127.0.0.1:4100/crm',
  MARKETING_URL: 'http://127.0.0.1:4100/marketing',
};

const problems = (flags: Record<string, string>, e: Record<string, string> = env) => {
  try {
    parseEngineConfig(rawConfigFrom(flags, e), '/work');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('engine configuration', () => {
  it('reads the environment of DESIGN.md section 8, with defaults, the store hash from the URL and paths from the working directory', () => {
    const c = parseEngineConfig(rawConfigFrom({}, { ...env, TIME_SCALE: '60', WEBHOOK_PORT: '8080' }), '/work');
    expect(c).toMatchObject({ storeHash: 's0abc12', erpUrl: 'http://127.0.0.1:4100/erp', timeScale: 60, port: 8080, headroom: 0.2, db: '/work/bc-harness-engine.sqlite', apiConcurrency: 1, maxAttempts: 30 });
    expect(c.flows).toHaveLength(8);
  });

  it('lets flags win over the environment', () => {
    const c = parseEngineConfig(rawConfigFrom({ timeScale: '600', flows: 'orders, marketing-events', db: 'state/e.sqlite' }, { ...env, TIME_SCALE: '60' }), '/work');
    expect(c).toMatchObject({ timeScale: 600, flows: ['orders', 'marketing-events'], db: '/work/state/e.sqlite' });
  });

  it.each([
    [{}, { ...env, BIGCOMMERCE_API_URL: '' }, /^BIGCOMMERCE_API_URL \(--api-url\) is required: the store's API base/],
    [{ apiUrl: 'http://127.0.0.1:4000/v3' }, env, /^BIGCOMMERCE_API_URL \(--api-url\) must end with \/stores\/\{store_hash\}/],
    [{ apiUrl: 'not a url' }, env, /^BIGCOMMERCE_API_URL \(--api-url\) must be an http\(s\) URL/],
    [{ webhookSecret: 'short' }, env, /^BIGCOMMERCE_WEBHOOK_SECRET \(--webhook-secret\) must be at least 8 characters/],
    [{ timeScale: 'fast' }, env, /^TIME_SCALE \(--time-scale\) must be a number from 0.001 to 1000000; got "fast"/],
    [{ port: '70000' }, env, /^WEBHOOK_PORT \(--port\) must be a whole number from 0 to 65535/],
    [{ headroom: '0.95' }, env, /^ENGINE_HEADROOM \(--headroom\) must be a number from 0 to 0.9/],
    [{ flows: 'orders,shipping' }, env, /^ENGINE_FLOWS \(--flows\) must list flow ids from orders, .*unknown: shipping/],
    [{ apiConcurrency: '4' }, env, /^ENGINE_API_CONCURRENCY \(--api-concurrency\) must be a whole number from 1 to 3/],
    [{ storeHash: 'other1' }, env, /^BIGCOMMERCE_STORE_HASH \(--store-hash\) is "other1" but BIGCOMMERCE_API_URL names store "s0abc12"/],
  ])('rejects %j with a message naming the variable and the flag', (flags, e, message) => {
    const found = problems(flags as Record<string, string>, e);
    expect(found.some((p) => message.test(p)), found.join('\n')).toBe(true);
  });

  it('names every missing variable at once', () => {
    const found = problems({}, {});
    expect(found.map((p) => p.split(' ')[0])).toEqual(['BIGCOMMERCE_API_URL', 'BIGCOMMERCE_ACCESS_TOKEN', 'BIGCOMMERCE_WEBHOOK_SECRET', 'ERP_URL', 'THREEPL_URL', 'CRM_URL', 'MARKETING_URL']);
  });
});
