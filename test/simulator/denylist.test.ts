import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../lib/clock.ts';
import { createEventBus } from '../../lib/events.ts';
import { NO_FAULTS } from '../../simulator/domain/faults.ts';
import type { Hook } from '../../simulator/domain/model.ts';
import { createRandom } from '../../lib/random.ts';
import { createDenylist } from '../../simulator/domain/webhooks/denylist.ts';
import { createDispatcher, type DeliveryRequest, type WebhookEvents } from '../../simulator/domain/webhooks/dispatcher.ts';
import { buildWebhookPayload } from '../../simulator/domain/webhooks/payload.ts';

describe('denylist rule', () => {
  it.each([
    ['blocks below 90% success over 100 requests', 100, 89, true],
    ['does not block at exactly 90%', 100, 90, false],
    ['does not evaluate before 100 requests, even at 0%', 99, 0, false],
  ])('%s', (_name, total, ok, blocked) => {
    const list = createDenylist();
    let engaged = false;
    for (let i = 0; i < total; i++) engaged = list.record('d', i < ok, 1_000 + i) || engaged;
    expect(engaged).toBe(blocked);
    expect(list.blockedUntil('d', 1_200) !== undefined).toBe(blocked);
  });

  it('forgets outcomes older than two minutes', () => {
    const list = createDenylist();
    for (let i = 0; i < 60; i++) list.record('d', false, 0);
    for (let i = 0; i < 60; i++) list.record('d', true, 120_001);
    expect(list.stats('d', 120_001)).toEqual({ total: 60, ok: 60 });
    expect(list.blockedUntil('d', 120_001)).toBeUndefined();
  });

  it('blocks for three minutes', () => {
    const list = createDenylist();
    for (let i = 0; i < 100; i++) list.record('d', false, 0);
    expect(list.blockedUntil('d', 179_999)).toBe(180_000);
    expect(list.blockedUntil('d', 180_000)).toBeUndefined();
  });
});

describe('dispatcher and the denylist', () => {
  const setup = (fail: (n: number) => boolean) => {
    const clock = createVirtualClock({ scale: 0, start: 0 });
    const bus = createEventBus<WebhookEvents>();
    const calls: DeliveryRequest[] = [];
    const exceptions: number[] = [];
    const hook: Hook = { id: 1, client_id: 'app', store_hash: 'abc', scope: 'store/order/created', destination: 'https://receiver.example/hooks', is_active: true, headers: null, created_at: 0, updated_at: 0 };
    const dispatcher = createDispatcher({
      clock,
      bus,
      random: createRandom(1),
      faults: () => NO_FAULTS,
      deliver: async (req) => {
        calls.push(req);
        return fail(calls.length) ? { status: 503, durationMs: 1 } : { status: 200, durationMs: 1 };
      },
      hooks: {
        get: () => hook,
        deactivate: () => hook,
        raiseDeliveryException: (_s, _c, data) => exceptions.push(data.error_code),
        all: () => [hook],
        signingSecret: () => undefined,
      },
    });
    const outcomes: string[] = [];
    bus.on('webhook:attempt', (e) => outcomes.push(e.outcome));
    const send = (n: number) => {
      for (let i = 0; i < n; i++) dispatcher.enqueue('abc', hook, buildWebhookPayload({ scope: hook.scope, storeId: '1', storeHash: 'abc', data: { type: 'order', id: i }, createdAtMs: clock.now() }));
    };
    return { clock, dispatcher, calls, outcomes, exceptions, send };
  };

  const settle = () => new Promise((r) => setTimeout(r, 20));

  it('engages when a destination fails more than 10% of 100 requests, holds its events, and resumes after 3 minutes', async () => {
    const t = setup((n) => n % 5 === 0); // 80% success
    t.send(100);
    await settle();
    expect(t.calls).toHaveLength(100);
    expect(t.exceptions).toContain(90003);
    t.send(5);
    await settle();
    // Blocked: no new HTTP calls, the events wait for the block to lift.
    expect(t.calls).toHaveLength(100);
    expect(t.outcomes.filter((o) => o === 'denylisted')).toHaveLength(5);
    t.clock.advance(180_000);
    await settle();
    expect(t.calls.length).toBeGreaterThanOrEqual(105);
    t.dispatcher.stop();
  });

  it('never engages for a healthy destination', async () => {
    const t = setup(() => false);
    t.send(300);
    await settle();
    expect(t.outcomes.every((o) => o === 'delivered')).toBe(true);
    expect(t.exceptions).toEqual([]);
    t.dispatcher.stop();
  });
});
