import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../lib/clock.ts';
import { createLimiter, type ApiLane, type Release } from '../../src/engine/limiter.ts';

/** A limiter on a manual clock; `acquire` resolves are collected in order. */
function setup(options: { headroom?: number; maxConcurrency?: number } = {}) {
  const clock = createVirtualClock({ scale: 0, start: 0 });
  const limiter = createLimiter({ clock, headroom: options.headroom ?? 0.2, maxConcurrency: options.maxConcurrency ?? 1 });
  const granted: string[] = [];
  const acquire = (lane: ApiLane, name: string) => limiter.acquire(lane).then((release) => (granted.push(name), release));
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { clock, limiter, granted, acquire, tick };
}

describe('limiter', () => {
  it('sends one probe before it knows the quota, then spends down to the reserve and waits for the reset', async () => {
    const { clock, limiter, granted, acquire, tick } = setup({ headroom: 0.2, maxConcurrency: 3 });
    const first = acquire('orders', 'probe');
    const second = acquire('orders', 'second');
    await tick();
    expect(granted).toEqual(['probe']);
    // 150 a window, 25 left: the reserve is 30, so nothing more may go until the reset.
    (await first)({ quota: 150, left: 25, resetMs: 10_000 });
    await tick();
    expect(granted).toEqual(['probe']);
    expect(limiter.snapshot()).toMatchObject({ quota: 150, left: 25, reserve: 30, waiting: 1 });
    clock.advance(9_999);
    await tick();
    expect(granted).toEqual(['probe']);
    clock.advance(1);
    await tick();
    expect(granted).toEqual(['probe', 'second']);
    void second;
  });

  it('after a 429 sends nothing until the reset it was told, whatever is waiting', async () => {
    const { clock, granted, acquire, tick } = setup({ maxConcurrency: 3 });
    const a = await acquire('orders', 'a');
    a({ quota: 150, left: 0, resetMs: 20_000, limited: true });
    const waiters = [acquire('monitor', 'b'), acquire('orders', 'c')];
    await tick();
    expect(granted).toEqual(['a']);
    clock.advance(20_000);
    await tick();
    expect(granted).toEqual(['a']);
    clock.advance(1);
    await tick();
    // The window is new: one probe at a time until an answer says what it holds.
    expect(granted).toEqual(['a', 'b']);
    (await waiters[0]!)({ quota: 150, left: 149, resetMs: 30_000 });
    await tick();
    expect(granted).toEqual(['a', 'b', 'c']);
  });

  it('serves waiting lanes by priority: monitor, orders, inventory, customers, carts, catalog', async () => {
    const { granted, acquire, tick } = setup();
    const probe = await acquire('catalog', 'probe');
    const releases: Promise<Release>[] = [];
    for (const lane of ['catalog', 'carts', 'customers', 'inventory', 'orders', 'monitor'] as ApiLane[]) releases.push(acquire(lane, lane));
    await tick();
    probe({ quota: 150, left: 140, resetMs: 30_000 });
    for (let i = 0; i < 6; i++) {
      await tick();
      const next = await Promise.race(releases.map((p, j) => p.then((r) => ({ r, j }))));
      releases.splice(next.j, 1);
      next.r({ quota: 150, left: 139 - i, resetMs: 29_000 });
    }
    expect(granted).toEqual(['probe', 'monitor', 'orders', 'inventory', 'customers', 'carts', 'catalog']);
  });

  it('never has more requests in flight than allowed, nor more than the budget above the reserve', async () => {
    const { granted, acquire, tick } = setup({ headroom: 0.2, maxConcurrency: 3 });
    const probe = await acquire('orders', 'probe');
    const pending = Array.from({ length: 6 }, (_, i) => acquire('orders', `r${i}`));
    probe({ quota: 150, left: 32, resetMs: 30_000 });
    await tick();
    // 32 left, 30 reserved: two may go, even though three could be in flight.
    expect(granted).toEqual(['probe', 'r0', 'r1']);
    void pending;
  });

  it('rejects waiters when closed', async () => {
    const { limiter, acquire } = setup();
    await acquire('orders', 'a');
    const waiting = limiter.acquire('orders');
    limiter.close();
    await expect(waiting).rejects.toThrow(/stopping/);
  });
});
