/**
 * The setup every declared-family behaviour test shares: a simulator whose webhook deliveries all
 * succeed at once (what is under test is what a change raises, not the delivery), stopped after
 * each test, and the ledger's lines of some kinds.
 */
import { afterEach } from 'vitest';
import { startTestSim, type TestSim } from './simulator.ts';

/** Registers the after-each stop; `start` gives a fresh simulator for the test. */
export function useFamilySim(): { start(options?: Parameters<typeof startTestSim>[0]): Promise<TestSim> } {
  let sim: TestSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return {
    async start(options = {}) {
      sim = await startTestSim({ deliver: async () => ({ status: 200, durationMs: 0 }), ...options });
      return sim;
    },
  };
}

/** The ledger's entries of the comma-separated `kinds`, parsed. */
export async function ledgerOf(s: TestSim, kinds: string): Promise<any[]> {
  const text = (await s.control('GET', `/ledger?kinds=${kinds}`)).text.trim();
  return text ? text.split('\n').map((l) => JSON.parse(l)) : [];
}
