/**
 * The shipped mapping specs as a set: every one valid, every flow of DESIGN.md section 3 covered,
 * no source field unaccounted, and case files for every flow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flows } from '../../src/mappings/flows.ts';
import { formatSpecIssue, loadSpecs } from '../../src/mappings/load-spec.ts';

const mappingsDir = path.resolve(import.meta.dirname, '../../mappings');
const casesDir = path.join(mappingsDir, 'cases');
const { specs, issues } = loadSpecs(mappingsDir);

describe('the shipped mapping specs', () => {
  it('load and validate against the contracts without a problem', () => {
    expect(issues.map((i) => formatSpecIssue(i))).toEqual([]);
  });

  it.each(flows.map((f) => [f.id, f.title] as const))('cover the %s flow (%s)', (id) => {
    expect(specs.filter((s) => s.compiled.spec.flow === id).length).toBeGreaterThan(0);
  });

  it('run both ways for the bidirectional flows (customers, returns and refunds)', () => {
    for (const flow of ['customers', 'returns-refunds']) {
      const directions = new Set(specs.filter((s) => s.compiled.spec.flow === flow).map((s) => s.compiled.spec.direction));
      expect([...directions].sort(), flow).toHaveLength(2);
    }
  });

  it.each(specs.map((s) => [s.compiled.spec.name, s] as const))('%s has no unaccounted source field', (_, spec) => {
    expect(spec.coverage.unaccounted, `decide for each: map it, or ignore it with a reason`).toEqual([]);
    expect(spec.coverage.mapped.length + spec.coverage.ignored.length).toBe(spec.coverage.total);
    expect(spec.coverage.total).toBeGreaterThan(0);
  });

  it.each(specs.map((s) => [s.compiled.spec.name, s] as const))('%s gives a reason for every ignored field and names its risks', (_, spec) => {
    for (const i of spec.compiled.spec.ignore ?? []) expect(i.reason.length, i.source).toBeGreaterThanOrEqual(10);
    expect(spec.compiled.spec.risks?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(flows.map((f) => [f.id] as const))('have at least three case files for the %s flow, one of them a worst case', (id) => {
    const dir = path.join(casesDir, id);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.some((f) => f.includes('worst-case'))).toBe(true);
  });
});
