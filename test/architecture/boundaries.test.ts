/**
 * The project's module boundaries (issue 13): the simulator is a black box behind
 * `simulator/index.ts`; the basics everything shares live in `lib/` and depend on nothing of
 * the project; the simulator does not reach into `src/`. A new import across a boundary fails
 * here, naming the file and the import, instead of quietly coupling the parts again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every relative import of a file, resolved to a project path. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => relative(root, resolve(root, dirname(file), s)));
}

function crossings(dirs: string[], allowed: (target: string) => boolean): string[] {
  return dirs.flatMap((d) => sources(d).flatMap((f) => importsOf(f).filter((t) => !allowed(t)).map((t) => `${f} imports ${t}`)));
}

it('src/, bench/, fuzz/ and scripts/ reach the simulator only through simulator/index.ts', () => {
  expect(crossings(['src', 'bench', 'fuzz', 'scripts'], (t) => !t.startsWith('simulator/') || t === 'simulator/index.ts')).toEqual([]);
});

it('lib/ depends on nothing else of the project', () => {
  expect(crossings(['lib'], (t) => t.startsWith('lib/'))).toEqual([]);
});

it('the simulator does not import src/', () => {
  expect(crossings(['simulator'], (t) => !t.startsWith('src/'))).toEqual([]);
});

it('the checks above see imports at all (a scanner that finds none would pass anything)', () => {
  expect(importsOf('src/uat/orchestrator.ts')).toContain('simulator/index.ts');
  expect(importsOf('src/uat/orchestrator.ts')).toContain('lib/ledger.ts');
});
