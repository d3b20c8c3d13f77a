/**
 * Data-driven: every case file in mappings/cases/<flow>/ runs through its spec and must give the
 * expected record (exactly, or at least the given fields with recordMatch: partial), the same key,
 * the same skip, and exactly the expected warnings and errors (field and code).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import { createTargetValidator } from '../../src/mappings/target-validator.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';

const mappingsDir = path.resolve(import.meta.dirname, '../../mappings');
const casesDir = path.join(mappingsDir, 'cases');
const { specs } = loadSpecs(mappingsDir);
const byName = new Map(specs.map((s) => [s.compiled.spec.name, s]));
const validator = createTargetValidator();

const issue = z.object({ field: z.string(), code: z.string() }).strict();
const caseSchema = z
  .object({
    spec: z.string(),
    description: z.string().min(10),
    operation: z.enum(['create', 'update']).optional(),
    input: z.unknown(),
    expected: z
      .object({
        record: z.record(z.string(), z.unknown()).optional(),
        recordMatch: z.enum(['exact', 'partial']).optional(),
        skipped: z.string().optional(),
        key: z.unknown().optional(),
        warnings: z.array(issue),
        errors: z.array(issue),
      })
      .strict()
      .refine((e) => (e.record === undefined) !== (e.skipped === undefined), 'give either record or skipped'),
  })
  .strict();

const files = fs
  .readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(casesDir, d.name)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
  .sort();

describe('mapping case files', () => {
  it('exist', () => expect(files.length).toBeGreaterThanOrEqual(24));

  it.each(files)('%s', (file) => {
    const parsed = caseSchema.safeParse(JSON.parse(fs.readFileSync(path.join(casesDir, file), 'utf8')));
    expect(parsed.success, parsed.success ? '' : `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`).toBe(true);
    const c = parsed.data!;
    const spec = byName.get(c.spec);
    expect(spec, `${file} names spec ${c.spec}, which is not in mappings/`).toBeDefined();
    expect(file.split('/')[0], `${file} is filed under the wrong flow`).toBe(spec!.compiled.spec.flow);

    const result = applyMapping(spec!.compiled, c.input, c.operation ? { operation: c.operation } : {});
    if (c.expected.skipped !== undefined) {
      expect(result.skipped?.reason).toBe(c.expected.skipped);
      expect(result.record).toBeUndefined();
    } else {
      expect(result.skipped).toBeUndefined();
      if (c.expected.recordMatch === 'partial') expect(result.record).toMatchObject(c.expected.record!);
      else expect(result.record).toEqual(c.expected.record);
    }
    if ('key' in c.expected) expect(result.key).toEqual(c.expected.key);
    expect(result.warnings.map((w) => ({ field: w.field, code: w.code }))).toEqual(c.expected.warnings);
    expect(result.errors.map((e) => ({ field: e.field, code: e.code }))).toEqual(c.expected.errors);
    // A record the mapping accepts must be one the target accepts.
    if (result.record && result.errors.length === 0) expect(validator.validate(spec!.compiled.spec.target.contract, result.record)).toEqual([]);
  });
});
