/**
 * The types in contracts/generated/ are derived from the contract schemas; this fails when someone
 * edits a schema (or a generated file) without regenerating, so the two cannot drift apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateContractTypes, generatedDir } from '../../scripts/generate-contract-types.ts';

const REGENERATE = 'contracts/generated is stale: run `npm run contracts:types` and commit the result';

describe('generated contract types', () => {
  it('match what the generator produces from the current schemas', async () => {
    const expected = await generateContractTypes();
    for (const [file, content] of expected) {
      const name = path.relative(generatedDir, file);
      expect(fs.existsSync(file), `${name} is missing. ${REGENERATE}`).toBe(true);
      // Compare whole files: a message naming the file beats a 300-line diff.
      expect(fs.readFileSync(file, 'utf8') === content, `${name} differs from its schema. ${REGENERATE}`).toBe(true);
    }
  });

  it('include no file whose schema is gone', async () => {
    const expected = new Set([...(await generateContractTypes()).keys()].map((f) => path.basename(f)));
    const onDisk = fs.existsSync(generatedDir) ? fs.readdirSync(generatedDir).filter((f) => f.endsWith('.ts')) : [];
    const orphans = onDisk.filter((f) => !expected.has(f));
    expect(orphans, `no schema produces ${orphans.join(', ')}. ${REGENERATE}`).toEqual([]);
  });

  it('come out identical on a second run', async () => {
    const first = await generateContractTypes();
    const second = await generateContractTypes();
    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  it('carry the do-not-edit banner and re-export every contract from index.ts', async () => {
    const files = await generateContractTypes();
    for (const [file, content] of files) {
      expect(content, path.basename(file)).toContain('GENERATED FILE - DO NOT EDIT.');
      expect(content, path.basename(file)).toContain('npm run contracts:types');
    }
    const index = files.get(path.join(generatedDir, 'index.ts'));
    const modules = [...files.keys()].map((f) => path.basename(f)).filter((f) => f !== 'index.ts');
    for (const module of modules) expect(index).toContain(`export type * from './${module}';`);
  });
});
