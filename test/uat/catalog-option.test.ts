/**
 * `--catalog worst-case` reaches the whole run: the simulator seeds the worst-case catalog and
 * the back office (the mocks) knows every item it sells, so a worst-case order is refused by the
 * ERP only for what the mapping spec says, never because the item master lacks a SKU. A bad
 * value is refused naming the flag.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { optionsFrom, type UatFlags } from '../../src/cli/commands/uat.ts';
import { startMocks, type RunningMocks } from '../../src/mocks/http/server.ts';
import { DEFAULTS } from '../../src/uat/config.ts';
import { UatInputError } from '../../src/uat/orchestrator.ts';
import { createVirtualClock } from '../../lib/clock.ts';
import { startSimulator, type RunningSimulator } from '../../simulator/index.ts';

const flags = (over: Partial<UatFlags>): UatFlags => ({ scenario: 'doorbuster', integration: 'reference', plan: 'standard', timeScale: DEFAULTS.timeScale, seed: 1, runner: 'embedded', env: [], readyTimeout: 60, products: 40, customers: 10, pastOrders: 0, progress: false, ...over });

describe('uat --catalog', () => {
  it('takes typical or worst-case and refuses anything else, naming the flag and the choices', () => {
    expect(optionsFrom(flags({})).catalog).toBeUndefined();
    expect(optionsFrom(flags({ catalog: 'worst-case' })).catalog).toBe('worst-case');
    expect(() => optionsFrom(flags({ catalog: 'worst' }))).toThrow(UatInputError);
    expect(() => optionsFrom(flags({ catalog: 'worst' }))).toThrow('--catalog must be one of typical, worst-case; got "worst".');
  });
});

describe('a worst-case store and its back office', () => {
  let sim: RunningSimulator | undefined;
  let mocks: RunningMocks | undefined;
  afterEach(async () => {
    await sim?.close();
    await mocks?.close();
    sim = mocks = undefined;
  });

  it('the ERP item master holds every SKU the worst-case store sells, the 600 variants included', async () => {
    const clock = createVirtualClock({ scale: 0 });
    sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 3, clock, products: 40, customers: 10, pastOrders: 0, catalog: 'worst-case' });
    const store = [...sim.sim.stores.values()][0]!;
    expect(store.catalogProfile).toBe('worst-case');
    const skus = [...store.variants.values()].map((v) => v.sku);
    expect(skus.length).toBeGreaterThanOrEqual(600);
    const check = async (catalog?: 'worst-case') => {
      const m = await startMocks({ port: 0, host: '127.0.0.1', seed: 3, clock, products: 40, customers: 10, ...(catalog ? { catalog } : {}) });
      const missing = skus.filter((sku) => !m.systems.erp.hasItem(sku)).length;
      await m.close();
      return missing;
    };
    // Without the profile the back office would refuse the worst-case items; with it, none is missing.
    expect(await check()).toBeGreaterThanOrEqual(600);
    expect(await check('worst-case')).toBe(0);
  });
});
