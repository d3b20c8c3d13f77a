import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../lib/clock.ts';

describe('virtual clock', () => {
  it('moves only when advanced in manual mode', () => {
    const clock = createVirtualClock({ scale: 0, start: 1_000 });
    expect(clock.now()).toBe(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
  });

  it('fires timers in due order, each at its own simulated time', () => {
    const clock = createVirtualClock({ scale: 0, start: 0 });
    const fired: [string, number][] = [];
    clock.setTimer(300, () => fired.push(['c', clock.now()]));
    clock.setTimer(100, () => fired.push(['a', clock.now()]));
    clock.setTimer(200, () => fired.push(['b', clock.now()]));
    clock.advance(250);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    clock.advance(50);
    expect(fired.at(-1)).toEqual(['c', 300]);
  });

  it('runs timers that a timer schedules within the same advance', () => {
    const clock = createVirtualClock({ scale: 0, start: 0 });
    const fired: number[] = [];
    const chain = (n: number) => clock.setTimer(60_000, () => {
      fired.push(clock.now());
      if (n > 1) chain(n - 1);
    });
    chain(3);
    clock.advance(3 * 60_000);
    expect(fired).toEqual([60_000, 120_000, 180_000]);
  });

  it('does not fire cancelled timers', () => {
    const clock = createVirtualClock({ scale: 0, start: 0 });
    let fired = false;
    clock.setTimer(10, () => (fired = true)).cancel();
    clock.advance(20);
    expect(fired).toBe(false);
  });

  it('runs simulated time at the scale of real time', () => {
    let real = 0;
    const clock = createVirtualClock({ scale: 60, start: 0, realNow: () => real });
    real = 1_000;
    expect(clock.now()).toBe(60_000);
    expect(clock.toRealMs(30_000)).toBe(500);
  });

  it('rebuilds the same running clock from start, scale and realStart (as another thread does)', () => {
    let real = 5_000;
    const original = createVirtualClock({ scale: 144, start: 1_000_000, realNow: () => real });
    real = 7_500;
    // Built later, from the original's start and the real time it started at.
    const mirror = createVirtualClock({ scale: 144, start: 1_000_000, realStart: 5_000, realNow: () => real });
    expect(mirror.now()).toBe(original.now());
    expect(mirror.now()).toBe(1_000_000 + 2_500 * 144);
    real = 9_001;
    expect(mirror.now()).toBe(original.now());
  });

  it('fires a scaled timer after the compressed real delay', async () => {
    const clock = createVirtualClock({ scale: 10_000 });
    const started = Date.now();
    await new Promise<void>((resolve) => clock.setTimer(600_000, resolve));
    // 600 simulated seconds at 10,000x is 60 real ms.
    expect(Date.now() - started).toBeLessThan(2_000);
    clock.dispose();
  });

  it('rejects a negative or non-numeric scale with a message naming it', () => {
    expect(() => createVirtualClock({ scale: -1 })).toThrow(/time scale -1/);
  });
});
