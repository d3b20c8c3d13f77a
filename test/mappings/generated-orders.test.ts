/**
 * Every shipped spec applied to the source records derived from 200 generated orders of every
 * profile (typical, B2B, worst case): each record either validates against the target's contract,
 * or the mapping reported why it could not (an error: the record goes to the dead-letter queue).
 * A record that is invalid without a reported error is a silent failure, and fails this test.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNCARRIABLE_WORST_CASE_EVERY } from '../../simulator/domain/order-profiles.ts';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';
import { createSampleWorld, type SourceKind } from '../../src/mappings/sample-sources.ts';
import { createTargetValidator } from '../../src/mappings/target-validator.ts';

const ORDERS = 200;
const profiles = ['typical', 'b2b', 'worst-case'] as const;
const { specs } = loadSpecs(path.resolve(import.meta.dirname, '../../mappings'));
const validator = createTargetValidator();

interface Tally {
  records: number;
  valid: number;
  warned: number;
  rejected: number;
  skipped: number;
  silent: string[];
}

const tallies = new Map<string, Tally>(specs.map((s) => [s.compiled.spec.name, { records: 0, valid: 0, warned: 0, rejected: 0, skipped: 0, silent: [] }]));
const byProfile = new Map<string, number>();
const world = createSampleWorld({ seed: 2026 });
afterAll(() => world.close());

for (let i = 0; i < ORDERS; i++) {
  const profile = profiles[i % profiles.length]!;
  const { order, sources } = world.sample(profile);
  byProfile.set(profile, (byProfile.get(profile) ?? 0) + 1);
  for (const spec of specs) {
    const t = tallies.get(spec.compiled.spec.name)!;
    for (const record of sources[spec.compiled.spec.source.contract as SourceKind] ?? []) {
      t.records++;
      const result = applyMapping(spec.compiled, record);
      if (result.skipped) t.skipped++;
      else if (result.errors.length > 0) t.rejected++;
      else {
        const problems = validator.validate(spec.compiled.spec.target.contract, result.record);
        if (problems.length > 0) t.silent.push(`order ${order.order.id} (${profile}): ${problems.slice(0, 3).join('; ')}`);
        else if (result.warnings.length > 0) t.warned++;
        else t.valid++;
      }
    }
  }
}

describe(`every shipped spec on ${ORDERS} generated orders of all profiles`, () => {
  it('generated orders of every profile', () => {
    expect(Object.fromEntries(byProfile)).toEqual({ typical: 67, b2b: 67, 'worst-case': 66 });
  });

  it.each(specs.map((s) => [s.compiled.spec.name] as const))('%s: each record validates against the target or reports why not', (name) => {
    const t = tallies.get(name)!;
    expect(t.records, 'no source records reached this spec').toBeGreaterThan(0);
    expect(t.silent, 'records the target would refuse although the mapping reported nothing').toEqual([]);
    expect(t.valid + t.warned + t.rejected + t.skipped).toBe(t.records);
    expect(t.valid + t.warned, 'no record at all was accepted').toBeGreaterThan(0);
  });

  it('shows the worst case where it bites: rejects and warnings are reported, not hidden', () => {
    const rejected = [...tallies.entries()].filter(([, t]) => t.rejected > 0).map(([n]) => n);
    const warned = [...tallies.entries()].filter(([, t]) => t.warned > 0).map(([n]) => n);
    expect(rejected).toEqual(expect.arrayContaining(['orders-to-erp-sales-order', 'orders-to-3pl-fulfillment-order', '3pl-shipments-to-bigcommerce']));
    expect(warned).toEqual(expect.arrayContaining(['orders-to-marketing-events', 'customers-to-crm-contact', 'refunds-to-erp-credit-memo']));
    // Only the uncarriable worst-case orders (every UNCARRIABLE_WORST_CASE_EVERY-th: a 255-character
    // SKU and a 50-character PO) are rejected by the ERP: floor(66 / 8) = 8.
    expect(tallies.get('orders-to-erp-sales-order')!.rejected).toBe(Math.floor(byProfile.get('worst-case')! / UNCARRIABLE_WORST_CASE_EVERY));
  });
});
