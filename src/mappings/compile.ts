/**
 * A mapping spec in executable form: paths parsed, transforms parsed into steps, nested field
 * lists resolved to absolute (normalized) source and target paths. Compiling reports syntax
 * problems with their place in the YAML (a list of keys and indexes); it does not look at the
 * contracts, which is validate-spec.ts's job.
 */
import { distance } from 'fastest-levenshtein';
import { filterReads, joinPath, normalizePath, parsePath, PathSyntaxError, type ParsedPath } from './path.ts';
import type { Condition, Constraint, FieldMapping, MappingSpec } from './spec-schema.ts';
import { parseTransform, stepReads, transformNames, type Lookup, type TransformStep } from './transforms.ts';

export type YamlPath = (string | number)[];

export interface CompileIssue {
  at: YamlPath;
  message: string;
}

export interface CompiledCondition {
  condition: Condition;
  path: ParsedPath;
  valuePath?: ParsedPath;
  /** Absolute normalized source paths the condition reads (for coverage and validation). */
  reads: string[];
}

export interface CompiledField {
  mapping: FieldMapping;
  at: YamlPath;
  /** Parsed source paths; empty for a constant or $index. */
  sources: ParsedPath[];
  /** The raw source texts as written. */
  sourceTexts: string[];
  isIndex: boolean;
  target: ParsedPath;
  /** Absolute normalized target path ("lines[].sku"). */
  targetPath: string;
  /** Absolute normalized source paths, as read ("products[].sku"). */
  sourcePaths: string[];
  /** Every absolute normalized source path the field consumes: sources, filters, template fields, conditions. */
  reads: string[];
  steps: TransformStep[];
  when: CompiledCondition[];
  where: CompiledCondition[];
  /** Nested field list (the elements of a list source). */
  fields?: CompiledField[];
  /**
   * The same nested list compiled against the other source lists when several are concatenated,
   * so every list's fields are checked and counted; execution uses `fields`.
   */
  otherFields?: CompiledField[][];
}

export interface CompiledConstraint extends Constraint {
  at: YamlPath;
  targetPath: string;
}

export interface CompiledRequest {
  method: string;
  /** The path with {placeholders}, e.g. /v2/orders/{orderRef}/shipments. */
  template: string;
  /** Each placeholder as a parsed field path: a target field when one is written, else a source field. */
  params: { name: string; path: ParsedPath }[];
}

export interface CompiledSpec {
  spec: MappingSpec;
  /** The target call from `target.write`, when it starts with METHOD /path. */
  request?: CompiledRequest;
  fields: CompiledField[];
  skip: { conditions: CompiledCondition[]; reason: string; at: YamlPath }[];
  constraints: CompiledConstraint[];
  lookups: Record<string, Lookup>;
  key: { source: ParsedPath; sourcePath: string; target?: string };
}

export class SpecCompileError extends Error {
  constructor(
    readonly issues: CompileIssue[],
    name: string,
  ) {
    super(`Failed to compile mapping spec ${name}: ${issues.map((i) => `${formatYamlPath(i.at)}: ${i.message}`).join('; ')}`);
    this.name = 'SpecCompileError';
  }
}

export function formatYamlPath(at: YamlPath): string {
  return at.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

export function nearestName(name: string, candidates: readonly string[], max = 1): string[] {
  const scored = candidates
    .map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.ceil(Math.max(name.length, c.length) * 0.5)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, max).map((s) => s.c);
}

/** Context of a field list: where its relative paths point, in normalized absolute form. */
interface ListScope {
  /** Normalized absolute path of the current element ('' at the root). */
  current: string;
  /** Normalized absolute path of the enclosing element (for ^.), undefined at the root. */
  parent?: string;
  /** Normalized absolute target prefix. */
  target: string;
}

function absolute(parsed: ParsedPath, scope: ListScope): string {
  const rel = normalizePath(parsed);
  switch (parsed.scope) {
    case 'root':
      return rel;
    case 'parent':
      return joinPath(scope.parent ?? '', rel);
    case 'current':
      return joinPath(scope.current, rel);
    default:
      return parsed.scope satisfies never;
  }
}

function absoluteFilterReads(parsed: ParsedPath, scope: ListScope): string[] {
  const base = parsed.scope === 'root' ? '' : parsed.scope === 'parent' ? (scope.parent ?? '') : scope.current;
  return filterReads(parsed).map((r) => joinPath(base, r));
}

export function compileSpec(spec: MappingSpec): { compiled: CompiledSpec; issues: CompileIssue[] } {
  const issues: CompileIssue[] = [];
  const parse = (text: string, at: YamlPath): ParsedPath | undefined => {
    try {
      return parsePath(text);
    } catch (error) {
      if (error instanceof PathSyntaxError) {
        issues.push({ at, message: error.message });
        return undefined;
      }
      throw error;
    }
  };

  const compileConditions = (conditions: Condition[] | undefined, at: YamlPath, scope: ListScope): CompiledCondition[] =>
    (conditions ?? []).flatMap((condition, i) => {
      const path = parse(condition.path, [...at, i, 'path']);
      const valuePath = condition.valuePath ? parse(condition.valuePath, [...at, i, 'valuePath']) : undefined;
      if (!path || (condition.valuePath && !valuePath)) return [];
      const reads = [absolute(path, scope), ...absoluteFilterReads(path, scope), ...(valuePath ? [absolute(valuePath, scope), ...absoluteFilterReads(valuePath, scope)] : [])];
      return [{ condition, path, ...(valuePath ? { valuePath } : {}), reads }];
    });

  const compileFields = (list: FieldMapping[], at: YamlPath, scope: ListScope): CompiledField[] =>
    list.flatMap((mapping, i) => {
      const here: YamlPath = [...at, i];
      const target = parse(mapping.target, [...here, 'target']);
      if (!target) return [];
      if (target.scope !== 'current') {
        issues.push({ at: [...here, 'target'], message: 'a target path is relative to the record (or element) being built; $. and ^. apply to sources only' });
        return [];
      }
      if (target.segments.some((s) => s.kind === 'each' || s.kind === 'filter')) {
        issues.push({ at: [...here, 'target'], message: 'a target path cannot contain [] or a filter; write a list with a nested field list (fields:)' });
        return [];
      }
      const targetPath = joinPath(scope.target, normalizePath(target));
      const sourceTexts = mapping.source === undefined ? [] : Array.isArray(mapping.source) ? mapping.source : [mapping.source];
      const isIndex = sourceTexts.length === 1 && sourceTexts[0] === '$index';
      if (isIndex && scope.parent === undefined && scope.current === '') {
        issues.push({ at: [...here, 'source'], message: '$index is the position of an element inside a nested field list; it has no meaning at the top level' });
      }
      const sources: ParsedPath[] = [];
      if (!isIndex) {
        sourceTexts.forEach((text, j) => {
          if (text === '$index') {
            issues.push({ at: [...here, 'source', ...(Array.isArray(mapping.source) ? [j] : [])], message: '$index cannot be combined with other sources' });
            return;
          }
          const parsed = parse(text, [...here, 'source', ...(Array.isArray(mapping.source) ? [j] : [])]);
          if (parsed) sources.push(parsed);
        });
      }
      const { steps, issues: stepIssues } = parseTransform(mapping.transform, (name) => nearestName(name, transformNames)[0]);
      for (const s of stepIssues) issues.push({ at: [...here, 'transform', ...(Array.isArray(mapping.transform) ? [s.index] : [])], message: s.message });
      const sourcePaths = sources.map((p) => absolute(p, scope));
      const reads = new Set<string>(sourcePaths);
      sources.forEach((p) => absoluteFilterReads(p, scope).forEach((r) => reads.add(r)));
      for (const step of steps) for (const name of stepReads(step)) for (const p of sourcePaths) reads.add(joinPath(p, name));
      const when = compileConditions(mapping.when, [...here, 'when'], scope);
      when.forEach((c) => c.reads.forEach((r) => reads.add(r)));

      const field: CompiledField = { mapping, at: here, sources, sourceTexts, isIndex, target, targetPath, sourcePaths, reads: [], steps, when, where: [] };
      if (mapping.fields && sources.length >= 1) {
        const compiledFor = (elementPath: string) => {
          const inner: ListScope = { current: elementPath, parent: scope.current, target: `${targetPath}[]` };
          const where = compileConditions(mapping.where, [...here, 'where'], inner);
          return { where, fields: compileFields(mapping.fields!, [...here, 'fields'], inner) };
        };
        const [first, ...rest] = sourcePaths.map(compiledFor);
        field.where = first!.where;
        field.fields = first!.fields;
        if (rest.length > 0) field.otherFields = rest.map((r) => r.fields);
        for (const r of [first!, ...rest]) r.where.forEach((c) => c.reads.forEach((x) => reads.add(x)));
        // The lists themselves are structure, not fields: their elements' fields are what get mapped.
        for (const p of sourcePaths) reads.delete(p);
      }
      field.reads = [...reads];
      return [field];
    });

  const root: ListScope = { current: '', target: '' };
  const fields = compileFields(spec.fields, ['fields'], root);
  const skip = (spec.skip ?? []).map((s, i) => ({ conditions: compileConditions(s.when, ['skip', i, 'when'], root), reason: s.reason, at: ['skip', i] as YamlPath }));
  const constraints = (spec.constraints ?? []).flatMap((c, i) => {
    const target = parse(c.target, ['constraints', i, 'target']);
    return target ? [{ ...c, at: ['constraints', i] as YamlPath, targetPath: normalizePath(target) }] : [];
  });
  let request: CompiledRequest | undefined;
  const call = /^(GET|PUT|POST|PATCH|DELETE) (\/\S*)/.exec(spec.target.write ?? '');
  if (call) {
    const params = [...call[2]!.matchAll(/\{([^}]+)\}/g)].flatMap((m) => {
      const parsed = parse(m[1]!, ['target', 'write']);
      return parsed ? [{ name: m[1]!, path: parsed }] : [];
    });
    request = { method: call[1]!, template: call[2]!, params };
  }
  const keySource = parse(spec.key.source, ['key', 'source']) ?? { scope: 'current' as const, segments: [] };
  const lookups: Record<string, Lookup> = {};
  for (const [name, l] of Object.entries(spec.lookups ?? {})) {
    lookups[name] = { entries: l.entries, onMiss: l.onMiss, ...(l.description ? { description: l.description } : {}), ...(l.default !== undefined ? { default: l.default } : {}) };
  }
  return {
    compiled: {
      spec,
      ...(request ? { request } : {}),
      fields,
      skip,
      constraints,
      lookups,
      key: { source: keySource, sourcePath: keySource.segments.length ? normalizePath(keySource) : '', ...(spec.key.target ? { target: spec.key.target } : {}) },
    },
    issues,
  };
}

/** Every compiled field, nested ones included, depth first. */
export function allFields(fields: CompiledField[]): CompiledField[] {
  return fields.flatMap((f) => [f, ...(f.fields ? allFields(f.fields) : []), ...(f.otherFields ?? []).flatMap((o) => allFields(o))]);
}
