/**
 * Done means: every 429 the engine gets is followed by a wait of at least the reset time, read
 * from the simulator's ledger (simulated time): another app on the store (the read-only account)
 * spends the shared window right before orders arrive, so the engine's next fetch is refused.
 */
import { request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { startWorld, type World } from '../support/engine-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * A modest time scale: the 30-second window is two real seconds, so a busy machine (another
 * CPU-bound process beside the tests) still spends it within the window, and the engine's waits
 * are long enough in real time to be measured without timer jitter deciding the outcome.
 */
const TIME_SCALE = 15;
const WINDOW_REAL_MS = 30_000 / TIME_SCALE;

/**
 * Spend the store's window with another client (30 requests at a time) until it is refused with
 * most of the window still to run, so the engine's next fetch lands in the exhausted window.
 */
async function exhaustWindow(w: World): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const answers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const res = await request(`${w.sim.url}/stores/${w.sim.hash}/v2/orders/count`, { headers: { 'x-auth-token': w.sim.readOnlyToken } });
        await res.body.dump();
        return { status: res.statusCode, resetRealMs: Number(res.headers['x-rate-limit-time-reset-ms']) };
      }),
    );
    const refused = answers.find((a) => a.status === 429);
    if (!refused) continue;
    // Two thirds of the window still to run (20 simulated seconds).
    if (refused.resetRealMs >= (WINDOW_REAL_MS * 2) / 3) return;
    await new Promise((r) => setTimeout(r, refused.resetRealMs + 5));
  }
  throw new Error('Failed to exhaust the quota window for the test.');
}

it('waits at least the reset time after every 429 before its next request, and still delivers every order', async () => {
  world = await startWorld({ timeScale: TIME_SCALE, engine: { flows: 'orders' } });
  const w = world;
  const engineClient = (await w.sim.control('GET', '/stores')).body.stores[0].accounts[0].clientId;
  const ids: number[] = [];
  for (let round = 0; round < 4; round++) {
    await exhaustWindow(w);
    ids.push(...(await w.placeOrders(40)));
    // Let the window the competitor used up expire.
    await new Promise((r) => setTimeout(r, WINDOW_REAL_MS + 200));
  }
  const erp = w.mocks.systems.erp;
  await expect.poll(() => ids.filter((id) => erp.getSalesOrder(String(id))).length, { timeout: 60_000 }).toBe(ids.length);

  const lines = await w.ledger(['api:request', 'quota:limited']);
  const mine = lines.filter((l) => l.client === engineClient);
  const limited = mine.filter((l) => l.kind === 'quota:limited');
  // The test can fail: the competitor did make the engine hit the limit.
  expect(limited.length).toBeGreaterThanOrEqual(3);
  for (const [i, hit] of mine.entries()) {
    if (hit.kind !== 'quota:limited') continue;
    const t = Date.parse(hit.at);
    // The refused request's own api:request line (written when its 429 went out) follows the
    // quota:limited line; the request after it is the one the engine sent next.
    const own = mine.findIndex((l, j) => j > i && l.kind === 'api:request' && l.status === 429);
    expect(own).toBeGreaterThan(i);
    const next = mine.slice(own + 1).find((l) => l.kind === 'api:request');
    expect(next, `a request after the 429 at ${hit.at}`).toBeDefined();
    expect(Date.parse(next!.at) - t, `wait after the 429 at ${hit.at} (reset ${hit.resetMs} ms)`).toBeGreaterThanOrEqual(hit.resetMs);
  }
  // Someone hears about it: the quota alert went to ALERT_URL.
  await expect.poll(() => w.alerts.received.some((a) => a.body.kind === 'quota-headroom'), { timeout: 5_000 }).toBe(true);
  // And the engine never spent into the 429 by its own count: every refusal came after another
  // client's request in the same window.
  expect(w.engine!.metrics.value('bc_engine_api_rate_limited_total')).toBe(limited.length);
});
