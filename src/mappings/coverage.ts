/**
 * Source-field coverage of a mapping spec: every leaf field of the source resource is mapped
 * (some field reads it), ignored (with the reason the spec gives), or unaccounted. A shipped spec
 * has no unaccounted field: a field nobody decided about is how data silently goes missing, and a
 * field the platform adds later shows up here first.
 */
import { allFields, type CompiledSpec } from './compile.ts';
import { leafPaths, type Schema } from './contracts.ts';
import { ignoreMatches, requestSourceReads } from './validate-spec.ts';

export interface Coverage {
  total: number;
  mapped: { path: string; targets: string[] }[];
  ignored: { path: string; reason: string; entry: string }[];
  unaccounted: string[];
}

export function computeCoverage(compiled: CompiledSpec, source: Schema): Coverage {
  const leaves = leafPaths(source);
  const readers = new Map<string, Set<string>>();
  const note = (path: string, target: string) => readers.set(path, (readers.get(path) ?? new Set()).add(target));
  for (const f of allFields(compiled.fields)) for (const r of f.reads) note(r, f.targetPath);
  const written = new Set(allFields(compiled.fields).map((f) => f.targetPath));
  for (const r of requestSourceReads(compiled, written)) note(r, '(request path)');
  if (compiled.key.sourcePath) note(compiled.key.sourcePath, compiled.key.target ?? '(key)');
  for (const rule of compiled.skip) for (const c of rule.conditions) for (const r of c.reads) note(r, '(skip rule)');

  const ignoredBy = new Map<string, { reason: string; entry: string }>();
  for (const entry of compiled.spec.ignore ?? []) {
    for (const leaf of ignoreMatches(entry.source, leaves)) if (!ignoredBy.has(leaf)) ignoredBy.set(leaf, { reason: entry.reason, entry: entry.source });
  }
  const coverage: Coverage = { total: leaves.length, mapped: [], ignored: [], unaccounted: [] };
  for (const leaf of leaves) {
    const targets = readers.get(leaf);
    if (targets) coverage.mapped.push({ path: leaf, targets: [...targets] });
    else if (ignoredBy.has(leaf)) coverage.ignored.push({ path: leaf, ...ignoredBy.get(leaf)! });
    else coverage.unaccounted.push(leaf);
  }
  return coverage;
}
