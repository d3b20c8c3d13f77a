import { afterEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../support/simulator.ts';

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const RATE_HEADERS = ['x-rate-limit-time-window-ms', 'x-rate-limit-time-reset-ms', 'x-rate-limit-requests-quota', 'x-rate-limit-requests-left'];

describe('the Management API quota over HTTP', () => {
  it('answers the 151st request in a Standard window with 429, the headers and X-Retry-After, and charges nothing', async () => {
    sim = await startTestSim({ plan: 'standard' });
    for (let i = 1; i <= 150; i++) {
      const res = await sim.api('GET', '/v2/orders/count');
      expect(res.status).toBe(200);
      expect(res.headers['x-rate-limit-requests-left']).toBe(String(150 - i));
    }
    const limited = await sim.api('GET', '/v2/orders/count');
    expect(limited.status).toBe(429);
    for (const h of RATE_HEADERS) expect(limited.headers[h]).toBeDefined();
    expect(limited.headers['x-rate-limit-requests-quota']).toBe('150');
    expect(limited.headers['x-rate-limit-requests-left']).toBe('0');
    expect(limited.headers['x-rate-limit-time-window-ms']).toBe('30000');
    expect(limited.headers['x-retry-after']).toBe('30');
    expect(limited.headers['content-type']).toMatch(/application\/json/);

    // More refused requests change nothing: the window still shows 150 used.
    await sim.api('GET', '/v2/orders/count');
    const quota = await sim.control('GET', `/stores/${sim.hash}/quota`);
    expect(quota.body.windows.at(-1)).toMatchObject({ used: 150, refused: 2 });
  });

  it('shares one store quota between two API accounts', async () => {
    sim = await startTestSim({ plan: 'standard' });
    for (let i = 0; i < 100; i++) await sim.api('GET', '/v2/orders/count');
    const other = await sim.api('GET', '/v2/orders/count', undefined, sim.readOnlyToken);
    expect(other.status).toBe(200);
    expect(other.headers['x-rate-limit-requests-left']).toBe('49');
    for (let i = 0; i < 49; i++) await sim.api('GET', '/v3/catalog/products?limit=1', undefined, sim.readOnlyToken);
    expect((await sim.api('GET', '/v2/orders/count')).status).toBe(429);
  });

  it('resets the window after 30 simulated seconds', async () => {
    sim = await startTestSim({ plan: 'standard' });
    for (let i = 0; i < 150; i++) await sim.api('GET', '/v2/orders/count');
    expect((await sim.api('GET', '/v2/orders/count')).status).toBe(429);
    await sim.control('POST', '/clock', { advanceMs: 29_000 });
    const stillLimited = await sim.api('GET', '/v2/orders/count');
    expect(stillLimited.status).toBe(429);
    expect(stillLimited.headers['x-rate-limit-time-reset-ms']).toBe('1000');
    expect(stillLimited.headers['x-retry-after']).toBe('1');
    await sim.control('POST', '/clock', { advanceMs: 1_000 });
    const fresh = await sim.api('GET', '/v2/orders/count');
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-rate-limit-requests-left']).toBe('149');
  });

  it('gives Pro stores 450 requests per window', async () => {
    sim = await startTestSim({ plan: 'pro' });
    const first = await sim.api('GET', '/v2/orders/count');
    expect(first.headers['x-rate-limit-requests-quota']).toBe('450');
  });

  it('reports header times in real milliseconds under time compression', async () => {
    // At 60x, a 30-second simulated window lasts half a real second.
    sim = await startTestSim({ plan: 'standard', timeScale: 60 });
    const res = await sim.api('GET', '/v2/orders/count');
    expect(res.headers['x-rate-limit-time-window-ms']).toBe('500');
    expect(Number(res.headers['x-rate-limit-time-reset-ms'])).toBeLessThanOrEqual(500);
  });

  it('does not charge shopper traffic through the control plane to the quota', async () => {
    sim = await startTestSim({ plan: 'standard' });
    await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 20 });
    const res = await sim.api('GET', '/v2/orders/count');
    expect(res.headers['x-rate-limit-requests-left']).toBe('149');
  });

  it('answers platform-load 429s without rate-limit headers when the fault plan asks, and says so', async () => {
    sim = await startTestSim({ plan: 'standard' });
    await sim.control('PUT', '/faults', { api: { platformLoad429: 1 } });
    const res = await sim.api('GET', '/v2/orders/count');
    expect(res.status).toBe(429);
    expect(res.headers['x-rate-limit-requests-left']).toBeUndefined();
    expect(res.headers['x-sim-fault']).toBe('platform-429');
    await sim.control('PUT', '/faults', {});
    const after = await sim.api('GET', '/v2/orders/count');
    // The fault consumed nothing.
    expect(after.headers['x-rate-limit-requests-left']).toBe('149');
  });

  it('takes other apps\' share of the window out of what the integration can use', async () => {
    sim = await startTestSim({ plan: 'standard' });
    await sim.control('PUT', '/faults', { quota: { otherAppsShare: 0.4 } });
    await sim.api('GET', '/v2/orders/count');
    await sim.control('POST', '/clock', { advanceMs: 29_999 });
    const res = await sim.api('GET', '/v2/orders/count');
    expect(Number(res.headers['x-rate-limit-requests-left'])).toBe(150 - 2 - 59);
  });
});
