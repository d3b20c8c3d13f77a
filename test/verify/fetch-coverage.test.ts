/**
 * Which reads count for the payload-as-data finding: a read counts from when the simulator took
 * it up (`startedAt`), so an integration that writes records of a long list as it parses it is
 * not accused, and one that never read the record still is.
 */
import { describe, expect, it } from 'vitest';
import { createFetchCoverage } from '../../src/verify/fetch-coverage.ts';
import type { ApiCall } from '../../src/verify/ledger-index.ts';

const list = (startedAt: number | undefined, at: number): ApiCall => ({ at, ...(startedAt !== undefined ? { startedAt } : {}), method: 'GET', path: '/stores/abc/v2/orders?min_id=170&max_id=175&limit=250', status: 200, faults: [] });

describe('fetch coverage', () => {
  it('counts a list read from when it was taken up, so a write before its answer ended is not a write without a read', () => {
    // Order 172 created at 1,000; the list read taken up at 2,000 and ended at 60,000; written at 30,000.
    const coverage = createFetchCoverage([list(2_000, 60_000)]);
    expect(coverage.read('order', '172', 1_000, 30_000)).toBe(true);
  });

  it('still finds no read when none was under way before the write, or the read was of other ids', () => {
    expect(createFetchCoverage([list(40_000, 60_000)]).read('order', '172', 1_000, 30_000)).toBe(false);
    expect(createFetchCoverage([list(2_000, 60_000)]).read('order', '180', 1_000, 30_000)).toBe(false);
    // A read taken up before the record existed cannot have carried it.
    expect(createFetchCoverage([list(500, 60_000)]).read('order', '172', 1_000, 30_000)).toBe(false);
  });

  it('falls back to the line\'s time for a ledger written before `startedAt` existed', () => {
    expect(createFetchCoverage([list(undefined, 60_000)]).read('order', '172', 1_000, 30_000)).toBe(false);
    expect(createFetchCoverage([list(undefined, 20_000)]).read('order', '172', 1_000, 30_000)).toBe(true);
  });
});
