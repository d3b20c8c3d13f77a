/**
 * Test support for webhook tests: a simulator and a receiver per test, closed after it.
 */
import { afterEach } from 'vitest';
import { startReceiver, type Receiver } from './receiver.ts';
import { startTestSim, type TestSim } from './simulator.ts';

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
