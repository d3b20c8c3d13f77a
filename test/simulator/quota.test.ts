import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../lib/clock.ts';
import { planQuota, type PlanName } from '../../lib/plans.ts';
import { createQuota, UNLIMITED_QUOTA_HEADER } from '../../simulator/domain/quota.ts';

const setup = (plan: PlanName = 'standard', otherAppsShare = 0) => {
  const clock = createVirtualClock({ scale: 0, start: 0 });
  return { clock, quota: createQuota({ clock, quota: planQuota(plan), otherAppsShare }) };
};

describe('store quota', () => {
  it.each([
    ['standard', 150],
    ['plus', 150],
    ['pro', 450],
  ] as const)('allows exactly the %s window of %i requests, then refuses', (plan, perWindow) => {
    const { quota } = setup(plan);
    for (let i = 0; i < perWindow; i++) expect(quota.consume('app').allowed).toBe(true);
    const refused = quota.consume('app');
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'window', left: 0, quota: perWindow });
  });

  it("records other apps' share of a window even when the integration stopped asking early, up to what the window had left", () => {
    const { clock, quota } = setup('standard', 0.4);
    // The integration spends 100 of 150 in the first second and then waits; other apps keep
    // sending through the window: 60 (40%) would be theirs, 50 were left.
    for (let i = 0; i < 100; i++) expect(quota.consume('app').allowed).toBe(true);
    clock.advance(31_000);
    quota.consume('app');
    const [first] = quota.history();
    expect(first).toMatchObject({ used: 100, usedByOthers: 50 });
    // An open window is settled up to now when it is reported: halfway, 30 of 60.
    clock.advance(15_000);
    const open = quota.history().at(-1)!;
    expect(open.usedByOthers).toBe(Math.floor(0.4 * 150 * 0.5));
  });

  it('charges nothing for a refused request', () => {
    const { quota } = setup();
    for (let i = 0; i < 150; i++) quota.consume('app');
    for (let i = 0; i < 5; i++) quota.consume('app');
    const [window] = quota.history();
    expect(window).toMatchObject({ used: 150, refused: 5 });
  });

  it('shares one budget between every client of the store', () => {
    const { quota } = setup();
    for (let i = 0; i < 100; i++) quota.consume('erp-connector');
    expect(quota.consume('crm-app').left).toBe(49);
    for (let i = 0; i < 49; i++) quota.consume('crm-app');
    expect(quota.consume('erp-connector').allowed).toBe(false);
    expect(quota.history()[0]!.byClient).toEqual({ 'erp-connector': 100, 'crm-app': 50 });
  });

  it('counts the reset down from the first request and refreshes after 30 seconds', () => {
    const { clock, quota } = setup();
    quota.consume('app');
    clock.advance(12_000);
    expect(quota.peek().resetMs).toBe(18_000);
    for (let i = 0; i < 149; i++) quota.consume('app');
    expect(quota.consume('app').allowed).toBe(false);
    clock.advance(17_999);
    expect(quota.consume('app').allowed).toBe(false);
    clock.advance(1);
    const fresh = quota.consume('app');
    expect(fresh).toMatchObject({ allowed: true, left: 149, resetMs: 30_000 });
  });

  it('refuses by the hourly cap when the hour runs out before the window does', () => {
    // 150 per 30 s is 18,000 an hour, under the 20,000 cap, so a configured cap shows the rule.
    const clock = createVirtualClock({ scale: 0, start: 0 });
    const quota = createQuota({ clock, quota: planQuota('standard', { perHour: 1_000 }) });
    let refusedBy: string | undefined;
    let served = 0;
    for (let window = 0; window < 10 && !refusedBy; window++) {
      for (let i = 0; i < 150; i++) {
        const d = quota.consume('app');
        if (!d.allowed) {
          refusedBy = d.limitedBy;
          break;
        }
        served++;
      }
      clock.advance(30_000);
    }
    expect(refusedBy).toBe('hour');
    expect(served).toBe(1_000);
  });

  it('gives other apps their share of each window as it passes', () => {
    const { clock, quota } = setup('standard', 0.4);
    quota.consume('app');
    clock.advance(15_000);
    // Halfway through, other apps have used 40% of half the window: 30 requests.
    expect(quota.peek().left).toBe(150 - 1 - 30);
    clock.advance(14_999);
    expect(quota.peek().left).toBe(150 - 1 - 59);
  });

  it('never refuses on an unlimited Enterprise plan and reports a parseable quota', () => {
    const { quota } = setup('enterprise');
    for (let i = 0; i < 10_000; i++) expect(quota.consume('app').allowed).toBe(true);
    expect(quota.peek().quota).toBe(UNLIMITED_QUOTA_HEADER);
  });

  it('limits Enterprise when a quota is configured', () => {
    const clock = createVirtualClock({ scale: 0, start: 0 });
    const quota = createQuota({ clock, quota: planQuota('enterprise', { perWindow: 900 }) });
    for (let i = 0; i < 900; i++) quota.consume('app');
    expect(quota.consume('app').allowed).toBe(false);
  });

  it('aligns windows to the epoch when asked', () => {
    const clock = createVirtualClock({ scale: 0, start: 10_000 });
    const quota = createQuota({ clock, quota: planQuota('standard'), anchor: 'epoch' });
    expect(quota.consume('app').resetMs).toBe(20_000);
  });
});
