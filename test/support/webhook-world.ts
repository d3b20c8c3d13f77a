/**
 * Test support for webhook tests: a simulator and a receiver per test, closed after it.
 */
import { afterEach, expect } from 'vitest';
import { startReceiver, type Receiver } from './receiver.ts';
import { startTestSim, type TestSim } from './simulator.ts';

/**
 * Waits until the simulator has recorded `count` delivery attempts. A receiver seeing a request
 * is not enough before moving the clock: the attempt's outcome (and so the retry's due time)
 * is settled only when the response is back on the simulator's thread, a hop later since
 * deliveries run on a worker. Advancing the clock first would schedule the retry a step late.
 */
export async function attemptsRecorded(sim: TestSim, count: number): Promise<void> {
  await expect
    .poll(async () => (await sim.control('GET', '/ledger?kinds=webhook:attempt')).text.trim().split('\n').filter(Boolean).length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(count);
}

export function useWebhookWorld() {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()!();
  });
  return {
    cleanup,
    async setup(options: Parameters<typeof startTestSim>[0] = {}, status = 200): Promise<{ sim: TestSim; receiver: Receiver }> {
      const sim = await startTestSim(options);
      const receiver = await startReceiver(status);
      cleanup.push(() => sim.close(), () => receiver.close());
      return { sim, receiver };
    },
  };
}
