/**
 * The cost model priced by hand, the shipped assumptions file, and the errors a bad assumptions
 * file gets: in the loader (naming the YAML path, line and column, the reason and the fix) and on
 * the command line (exit 2, the exit-code table `uat` uses).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AssumptionsError, defaultAssumptionsFile, loadAssumptions, parseAssumptions, type Assumptions } from '../../src/tco/assumptions.ts';
import { breakEvenMonth, computeCosts, itemCost, planUpgradeCost } from '../../src/tco/cost-model.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-harness-tco-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const shipped = fs.readFileSync(defaultAssumptionsFile, 'utf8');
const rate = { low: 100, high: 200 };

describe('pricing an item', () => {
  it('charges one-off items in year 1 only, hours at the hourly rate', () => {
    const once = { label: 'Setup', basis: 'once', low: 500, high: 3_000, source: 's', quoted: true, perSystem: true } as const;
    expect(itemCost(once, { year: 1, hourlyRate: rate, systems: 4, growth: 0.3 })).toEqual({ low: 2_000, high: 12_000 });
    expect(itemCost(once, { year: 2, hourlyRate: rate, systems: 4, growth: 0.3 })).toEqual({ low: 0, high: 0 });
    const hours = { label: 'Mapping', basis: 'hours', low: 20, high: 40, source: 's', quoted: false, perSystem: false } as const;
    expect(itemCost(hours, { year: 1, hourlyRate: rate, systems: 4, growth: 0 })).toEqual({ low: 2_000, high: 8_000 });
  });

  it('grows a licence with volume and with each system past the included ones', () => {
    // $10,000 a year, half of it growing with orders; 4 systems with 2 included add 2 × 15%.
    const licence = { label: 'Licence', basis: 'yearly', low: 10_000, high: 50_000, source: 's', quoted: true, perSystem: false, scaling: { volume: 0.5, perExtraSystem: 0.15, includedSystems: 2 } } as const;
    // No growth: 10,000 × 1.3 = 13,000.
    expect(itemCost(licence, { year: 1, hourlyRate: rate, systems: 4, growth: 0 }).low).toBeCloseTo(13_000, 6);
    // 100% growth, year 1 averages 1/ln 2 = 1.4427 times today's orders: × (1 + 0.5 × 0.4427) × 1.3.
    expect(itemCost(licence, { year: 1, hourlyRate: rate, systems: 4, growth: 1 }).low).toBeCloseTo(10_000 * (1 + 0.5 * (1 / Math.LN2 - 1)) * 1.3, 6);
    const monthly = { label: 'Sub', basis: 'monthly', low: 50, high: 500, source: 's', quoted: true, perSystem: true } as const;
    expect(itemCost(monthly, { year: 3, hourlyRate: rate, systems: 2, growth: 0.3 })).toEqual({ low: 1_200, high: 12_000 });
    const quarterly = { label: 'Retainer', basis: 'quarterly', low: 500, high: 1_500, source: 's', quoted: false, perSystem: false } as const;
    expect(itemCost(quarterly, { year: 2, hourlyRate: rate, systems: 4, growth: 0.3 })).toEqual({ low: 2_000, high: 6_000 });
  });

  it('prices the plan upgrades the capacity model forces: Standard to Pro after 18 months', () => {
    const prices = loadAssumptions().planPricesPerMonth;
    const perYear = planUpgradeCost([{ plan: 'standard', from: 0, reason: '' }, { plan: 'pro', from: 1.5, reason: '' }], prices, 3);
    // Pro over Standard: 299 − 29 = 270 and 399 − 39 = 360 a month; 6 months in year 2, 12 in year 3.
    expect(perYear[0]).toEqual({ low: 0, high: 0 });
    expect(perYear[1]!.low).toBeCloseTo(6 * 270, 6);
    expect(perYear[2]!.high).toBeCloseTo(12 * 360, 6);
  });
});

describe('the methods priced from the shipped assumptions', () => {
  const a = loadAssumptions();
  const costs = computeCosts({ assumptions: a, years: 3, growth: 0, planSchedule: [{ plan: 'standard', from: 0, reason: '' }] });

  it('gives native connectors $50-$500 a month and $500-$3,000 setup per system, iPaaS and custom their build ranges', () => {
    const native = costs.find((c) => c.id === 'native')!;
    expect(native.items.find((i) => i.id === 'subscription')!.total).toEqual({ low: 50 * 36 * 4, high: 500 * 36 * 4 });
    expect(native.items.find((i) => i.id === 'setup')!.total).toEqual({ low: 2_000, high: 12_000 });
    expect(costs.find((c) => c.id === 'ipaas')!.items.find((i) => i.id === 'build')!.total).toEqual({ low: 10_000, high: 40_000 });
    expect(costs.find((c) => c.id === 'custom')!.items.find((i) => i.id === 'build')!.total).toEqual({ low: 20_000, high: 75_000 });
    for (const c of costs) {
      expect(c.total.low).toBeCloseTo(c.perYear.reduce((s, y) => s + y.low, 0), 6);
      expect(c.excluded.high).toBeGreaterThan(0);
      // Quotes leave out data mapping, UAT, monitoring and maintenance in every method.
      expect(c.items.filter((i) => !i.quoted).map((i) => i.id)).toEqual(expect.arrayContaining(['mapping', 'uat', 'monitoring', 'maintenance']));
      expect(c.cumulativeMid).toHaveLength(37);
      expect(c.cumulativeMid.at(-1)!).toBeCloseTo(c.mid, 6);
    }
  });

  it('finds the month a dearer-up-front method becomes cheaper in total', () => {
    const dear = { ...costs[0]!, cumulativeMid: [100, 110, 120, 130] };
    const cheap = { ...costs[1]!, cumulativeMid: [50, 90, 125, 160] };
    expect(breakEvenMonth(dear, cheap)).toBe(2);
    expect(breakEvenMonth(cheap, dear)).toBe(0);
    expect(breakEvenMonth({ ...dear, cumulativeMid: [200, 210, 220, 230] }, cheap)).toBeNull();
  });
});

describe('an invalid assumptions file', () => {
  const licenceLow = shipped.replace(/(licence:\n(?:.*\n)*?\s+low: )10000/, '$1ten');

  it('is refused naming the YAML path, where it is and why', () => {
    expect(licenceLow).not.toBe(shipped);
    let error: AssumptionsError | undefined;
    try {
      parseAssumptions(licenceLow, path.join(tmp, 'bad.yml'));
    } catch (e) {
      error = e as AssumptionsError;
    }
    expect(error).toBeInstanceOf(AssumptionsError);
    const line = licenceLow.split('\n').findIndex((l) => l.includes('low: ten')) + 1;
    expect(error!.message).toMatch(new RegExp(`^Failed to load assumptions .*bad\\.yml: methods\\.ipaas\\.items\\.licence\\.low \\(line ${line}, column \\d+\\): expected a number, got "ten"\\. Fix the value`));
  });

  it.each([
    ['an unknown key, with the nearest name', shipped.replace('ordersPerDay:', 'ordersPerDya:'), /store \(line \d+, column \d+\): unknown key "ordersPerDya" \(did you mean "ordersPerDay"\?\)/],
    ['a missing source', shipped.replace(/\n {4}source: BigCommerce pricing page, Pro[^\n]*/, ''), /planPricesPerMonth\.pro\.source \(line \d+, column \d+\): is missing/],
    ['a high below its low', shipped.replace('  low: 100\n  high: 175', '  low: 200\n  high: 175'), /hourlyRate\.high \(line \d+, column \d+\): high must be at least low/],
    ['an unknown plan', shipped.replace('value: standard', 'value: gold'), /store\.plan\.value \(line \d+, column \d+\): expected one of .*"pro".*, got "gold"/],
    ['broken YAML', shipped.replace('currency: USD', 'currency: [USD'), /YAML syntax error \(line \d+, column \d+\)/],
  ])('is refused for %s', (_what, text, message) => {
    expect(() => parseAssumptions(text, path.join(tmp, 'bad.yml'))).toThrow(message);
  });

  it('makes `bc-harness tco` exit 2 with the message, before any run is read', () => {
    const file = path.join(tmp, 'licence-ten.yml');
    fs.writeFileSync(file, licenceLow);
    const result = spawnSync(process.execPath, [path.join(process.cwd(), 'bin/bc-harness.js'), 'tco', '--run', tmp, '--assumptions', file], { encoding: 'utf8' });
    expect(result.status).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain('methods.ipaas.items.licence.low');
    expect(result.stderr).toContain('expected a number, got "ten"');
    expect(result.stdout).toBe('');
  }, 30_000);

  it('takes a file that says only what differs from the shipped one, and still names a typo in it', () => {
    const file = path.join(tmp, 'partial.yml');
    fs.writeFileSync(file, 'store:\n  ordersPerDay: { value: 2000, source: our 2027 forecast }\nhourlyRate: { low: 90, high: 90, source: our agency rate card }\n');
    const a = loadAssumptions(file);
    expect(a.store.ordersPerDay).toEqual({ value: 2000, source: 'our 2027 forecast' });
    expect(a.hourlyRate.high).toBe(90);
    // Everything else is the shipped file's.
    const shippedValues = loadAssumptions();
    expect(a.store.growthPerYear).toEqual(shippedValues.store.growthPerYear);
    expect(a.methods).toEqual(shippedValues.methods);

    fs.writeFileSync(file, 'store:\n  ordersPerDy: { value: 2000, source: our 2027 forecast }\n');
    let message = '';
    try {
      loadAssumptions(file);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Failed to load assumptions .*partial\.yml: store \(line 2, column 3\): unknown key "ordersPerDy" \(did you mean "ordersPerDay"\?\)/);
    // Only the typo: what the file leaves out comes from the shipped one, so nothing is "missing".
    expect(message).not.toMatch(/is missing/);
  });

  it('keeps the shipped file valid, every item with a source', () => {
    const a: Assumptions = loadAssumptions();
    for (const m of Object.values(a.methods)) for (const item of Object.values(m.items)) expect(item.source.length).toBeGreaterThan(10);
    expect(a.store.ordersPerDay.value).toBe(500);
  });
});
