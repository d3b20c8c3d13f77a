/**
 * Checks a compiled mapping spec against the resource contracts: every source path and target
 * field exists (with the nearest existing names when not), lookups and constraints agree with
 * the target's schema, every target constraint on a written field has an action, required target
 * fields are written, the key is mapped, ignore entries name real fields, and the system-of-record
 * rules of a bidirectional flow hold. The problems come back as data (YAML location + message);
 * the loader adds the file and line.
 */
import { allFields, nearestName, type CompiledField, type CompiledSpec, type YamlPath } from './compile.ts';
import {
  composeSource,
  constraintsOf,
  isArrayNode,
  leafPaths,
  requiredNames,
  walkSchema,
  type ContractRegistry,
  type FieldConstraints,
  type Schema,
} from './contracts.ts';
import { formatSegments, joinPath, parsePath, type Segment } from './path.ts';
import type { ConstraintKind } from './spec-schema.ts';

export interface ValidationIssue {
  at: YamlPath;
  message: string;
}

/** Constraint kinds a spec must declare for every field it writes (numeric bounds are optional). */
const DECLARED_KINDS = ['maxLength', 'maxItems', 'enum', 'pattern', 'format'] as const satisfies readonly ConstraintKind[];

export interface SpecSchemas {
  source?: Schema;
  target?: Schema;
}

export function resolveSpecSchemas(compiled: CompiledSpec, registry: ContractRegistry): SpecSchemas {
  const { source, target } = compiled.spec;
  return {
    source: composeSource(registry, source.contract, source.expand),
    target: registry.get(target.contract),
  };
}

function describePath(segments: Segment[]): string {
  return formatSegments(segments) || '(the record)';
}

/** "x is not a field of C (nearest: a, b)" for a normalized path that does not resolve. */
export function missingFieldMessage(what: string, path: string, schema: Schema, contract: string): string | undefined {
  const segments = parsePath(path).segments;
  const walk = walkSchema(schema, segments);
  if (walk.ok) return undefined;
  const failed = segments[walk.depth]!;
  const prefix = formatSegments(walk.prefix);
  if (walk.reason === 'not-array') return `${what} "${path}": ${describePath(walk.prefix)} is not a list in ${contract}, so "[]" does not apply`;
  const name = failed.kind === 'key' ? failed.key : '';
  const near = nearestName(name, walk.available, 3).map((n) => joinPath(prefix, n));
  const hint = near.length > 0 ? ` (nearest: ${near.join(', ')})` : walk.available.length > 0 ? ` (fields there: ${walk.available.slice(0, 8).map((n) => joinPath(prefix, n)).join(', ')}${walk.available.length > 8 ? ', ...' : ''})` : '';
  return `${what} "${path}" is not a field of ${contract}: ${describePath(walk.prefix)} has no "${name}"${hint}`;
}

const sameSet = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x) => b.some((y) => y === x));

export function validateSpec(compiled: CompiledSpec, registry: ContractRegistry): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { spec } = compiled;
  const add = (at: YamlPath, message: string) => issues.push({ at, message });
  const contractHint = (ref: string) => {
    const near = nearestName(ref.split('#')[0]!, registry.names(), 2);
    return near.length ? ` (nearest: ${near.join(', ')})` : ` (contracts: ${registry.names().join(', ')})`;
  };

  if (!registry.get(spec.source.contract)) add(['source', 'contract'], `"${spec.source.contract}" is not a contract in ${registry.dir}${contractHint(spec.source.contract)}`);
  if (!registry.get(spec.target.contract)) add(['target', 'contract'], `"${spec.target.contract}" is not a contract in ${registry.dir}${contractHint(spec.target.contract)}`);
  for (const [field, ref] of Object.entries(spec.source.expand ?? {})) {
    if (!registry.get(ref)) add(['source', 'expand', field], `"${ref}" is not a contract${contractHint(ref)}`);
    const base = registry.get(spec.source.contract);
    if (base && !(field in (base.properties ?? {}))) add(['source', 'expand', field], `${spec.source.contract} has no field "${field}" to expand`);
  }
  const { source, target } = resolveSpecSchemas(compiled, registry);
  if (!source || !target) return issues;

  const sourceName = spec.source.contract + (spec.source.expand ? ` (with ${Object.keys(spec.source.expand).join(', ')} expanded)` : '');
  const targetName = spec.target.contract;
  const checkSource = (at: YamlPath, path: string, what = 'source') => {
    const message = missingFieldMessage(what, path, source, sourceName);
    if (message) add(at, message);
    return !message;
  };
  const checkTarget = (at: YamlPath, path: string) => {
    const message = missingFieldMessage('target', path, target, targetName);
    if (message) add(at, message);
    return !message;
  };
  const targetConstraints = (path: string): FieldConstraints => {
    const walk = walkSchema(target, parsePath(path).segments);
    return walk.ok ? constraintsOf(walk.nodes) : {};
  };

  // ---- fields --------------------------------------------------------------------------------
  const fields = allFields(compiled.fields);
  const written = new Map<string, CompiledField>();
  const usedLookups = new Set<string>();
  for (const f of fields) {
    f.sourcePaths.forEach((p, i) => checkSource([...f.at, 'source', ...(Array.isArray(f.mapping.source) ? [i] : [])], p));
    for (const r of f.reads) if (!f.sourcePaths.includes(r)) checkSource([...f.at], r, 'a field it reads,');
    const targetOk = checkTarget([...f.at, 'target'], f.targetPath);
    if (targetOk) written.set(f.targetPath, f);

    if (f.fields) {
      f.sourceTexts.forEach((text, i) => {
        if (!/\[[^\]]*\]$/.test(text)) add([...f.at, 'source', ...(Array.isArray(f.mapping.source) ? [i] : [])], `a nested field list iterates a list; write "${text}[]"`);
      });
      const targetWalk = walkSchema(target, parsePath(f.targetPath).segments);
      if (targetWalk.ok && !isArrayNode(targetWalk.nodes)) add([...f.at, 'target'], `${f.targetPath} is not a list in ${targetName}; a nested field list writes a list`);
    }

    f.steps.forEach((step, i) => {
      if (step.name !== 'lookup') return;
      const name = step.options as string;
      usedLookups.add(name);
      if (!compiled.lookups[name]) {
        const near = nearestName(name, Object.keys(compiled.lookups), 2);
        add([...f.at, 'transform', ...(Array.isArray(f.mapping.transform) ? [i] : [])], `lookup "${name}" is not defined under lookups${near.length ? ` (nearest: ${near.join(', ')})` : ''}`);
      }
    });

    // Values that cannot satisfy an enum are a mapping mistake, not a runtime surprise.
    if (targetOk) {
      const allowed = targetConstraints(f.targetPath).enum;
      if (allowed) {
        const last = f.steps.at(-1);
        const candidates: { value: unknown; from: string }[] = [];
        if (f.mapping.value !== undefined) candidates.push({ value: f.mapping.value, from: 'value' });
        if (f.mapping.default !== undefined) candidates.push({ value: f.mapping.default, from: 'default' });
        if (last?.name === 'lookup') {
          const table = compiled.lookups[last.options as string];
          for (const [k, v] of Object.entries(table?.entries ?? {})) candidates.push({ value: v, from: `lookup ${last.options as string} entry "${k}"` });
          if (table?.default !== undefined) candidates.push({ value: table.default, from: `lookup ${last.options as string} default` });
        }
        for (const c of candidates) {
          if (!allowed.some((a) => a === c.value)) add([...f.at], `${c.from} gives ${JSON.stringify(c.value)}, which ${targetName} does not allow in ${f.targetPath} (allowed: ${allowed.map((a) => JSON.stringify(a)).join(', ')})`);
        }
      }
    }
  }
  for (const name of Object.keys(compiled.lookups)) if (!usedLookups.has(name)) add(['lookups', name], `lookup "${name}" is defined but no field uses it`);

  // ---- required target fields ----------------------------------------------------------------
  // Every object a field writes into must get its required fields; a required field must be
  // marked required (or have a default) so an empty value is caught by the mapping, not the target.
  const writtenPaths = [...written.keys()];
  const containers = new Set<string>(['']);
  for (const p of writtenPaths) {
    const segs = parsePath(p).segments;
    for (let i = 1; i < segs.length; i++) {
      const prefix = formatSegments(segs.slice(0, i));
      if (segs[i - 1]!.kind === 'each' || segs[i]!.kind === 'key') containers.add(prefix);
    }
  }
  for (const container of containers) {
    const walk = container === '' ? { ok: true as const, nodes: [target] } : walkSchema(target, parsePath(container).segments);
    if (!walk.ok) continue;
    const nodes = walk.nodes.flatMap((n) => (n.properties ? [n] : []));
    for (const name of requiredNames(nodes)) {
      const full = joinPath(container, name);
      const writer = written.get(full);
      const covered = writer || writtenPaths.some((p) => p.startsWith(`${full}.`) || p.startsWith(`${full}[`));
      if (!covered) {
        add(['fields'], `${targetName} requires ${full}, but no field writes it`);
      } else if (writer && !writer.mapping.required && writer.mapping.default === undefined && writer.mapping.value === undefined && writer.when.length === 0) {
        add([...writer.at, 'required'], `${full} is required by ${targetName}; mark the field required: true (or give a default) so an empty value is caught here, not by the target`);
      }
    }
  }

  // ---- constraints ---------------------------------------------------------------------------
  const declared = new Map<string, Set<string>>();
  for (const c of compiled.constraints) {
    if (!checkTarget([...c.at, 'target'], c.targetPath)) continue;
    const kind = (['maxLength', 'maxItems', 'enum', 'pattern', 'format', 'minimum', 'maximum'] as const).find((k) => c[k] !== undefined)!;
    declared.set(c.targetPath, (declared.get(c.targetPath) ?? new Set()).add(kind));
    const actual = targetConstraints(c.targetPath);
    const theirs = actual[kind];
    if (theirs === undefined) add([...c.at, kind], `${targetName} sets no ${kind} on ${c.targetPath}; remove the constraint or fix the contract`);
    else if (kind === 'enum' ? !sameSet(theirs as unknown[], c.enum!) : theirs !== c[kind]) {
      add([...c.at, kind], `${kind} ${JSON.stringify(c[kind])} disagrees with ${targetName}, which says ${JSON.stringify(theirs)}`);
    }
    if (!written.has(c.targetPath)) add([...c.at, 'target'], `no field writes ${c.targetPath}; a constraint applies to a written field`);
    if (c.action === 'omit') {
      const segs = parsePath(c.targetPath).segments;
      const parentPath = formatSegments(segs.slice(0, -1));
      const parentWalk = parentPath ? walkSchema(target, parsePath(parentPath).segments) : { ok: true as const, nodes: [target] };
      const last = segs.at(-1);
      if (parentWalk.ok && last?.kind === 'key' && requiredNames(parentWalk.nodes).includes(last.key)) {
        add([...c.at, 'action'], `omit would leave out ${c.targetPath}, which ${targetName} requires; use truncate or reject`);
      }
    }
  }
  for (const [path, f] of written) {
    const actual = targetConstraints(path);
    for (const kind of DECLARED_KINDS) {
      if (actual[kind] === undefined) continue;
      if (declared.get(path)?.has(kind)) continue;
      add([...f.at, 'target'], `${path} has ${kind} ${JSON.stringify(actual[kind])} in ${targetName}; declare it under constraints with an action (${kind === 'maxLength' || kind === 'maxItems' ? 'truncate, ' : ''}omit or reject): { target: ${path}, ${kind}: ${JSON.stringify(actual[kind])}, action: ... }`);
    }
  }

  // ---- the request path: each {placeholder} is a written target field or a source field -----
  for (const param of compiled.request?.params ?? []) {
    const path = formatSegments(param.path.segments);
    if (written.has(path)) continue;
    const message = missingFieldMessage('request path parameter', path, source, sourceName);
    if (message) add(['target', 'write'], `${message}; a {placeholder} in target.write names a written target field or a source field`);
  }

  // ---- key, skip, ignore ---------------------------------------------------------------------
  if (compiled.key.sourcePath) checkSource(['key', 'source'], compiled.key.sourcePath, 'key source');
  if (compiled.key.target) {
    const writer = written.get(compiled.key.target);
    if (!writer) add(['key', 'target'], `no field writes the key target "${compiled.key.target}"`);
    else if (!writer.mapping.required) add(['key', 'target'], `the key target ${compiled.key.target} must be written by a required field`);
  }
  for (const rule of compiled.skip) for (const c of rule.conditions) for (const r of c.reads) checkSource([...rule.at, 'when'], r, 'skip condition');

  const leaves = leafPaths(source);
  const mappedReads = new Set([...fields.flatMap((f) => f.reads), ...requestSourceReads(compiled, written)]);
  (spec.ignore ?? []).forEach((entry, i) => {
    const matched = ignoreMatches(entry.source, leaves);
    if (matched.length === 0) {
      const plain = entry.source.replace(/\*.*$/, '');
      const message = plain && !entry.source.includes('*') ? missingFieldMessage('ignored field', entry.source, source, sourceName) : undefined;
      add(['ignore', i, 'source'], message ?? `"${entry.source}" matches no field of ${sourceName}`);
    }
    if (mappedReads.has(entry.source)) add(['ignore', i, 'source'], `${entry.source} is mapped by a field and also ignored; keep one`);
  });

  // ---- system of record ----------------------------------------------------------------------
  const owners = spec.systemOfRecord.fields;
  if (owners) {
    const bcIsSource = spec.source.system === 'bigcommerce';
    if (!bcIsSource && spec.target.system !== 'bigcommerce') add(['systemOfRecord', 'fields'], 'per-field owners are keyed by BigCommerce field; this flow does not touch BigCommerce');
    const bcSchema = bcIsSource ? source : target;
    for (const path of Object.keys(owners)) {
      const message = missingFieldMessage('owned field', path, bcSchema, bcIsSource ? sourceName : targetName);
      if (message) add(['systemOfRecord', 'fields', path], message);
    }
    for (const f of fields) {
      // The key addresses the record; it writes no data anybody owns.
      if (f.fields || f.targetPath === compiled.key.target) continue;
      const bcPaths = bcIsSource ? f.sourcePaths : [f.targetPath];
      for (const p of bcPaths) {
        const owner = owners[p] ?? spec.systemOfRecord.system;
        if (owner === spec.source.system) continue;
        if (owner === spec.target.system) {
          if (f.mapping.writeMode !== 'onCreate') {
            add([...f.at], `${p} is owned by ${owner} (systemOfRecord); a ${spec.direction} field may not overwrite it: drop the field, ignore it with a reason, or write it only on create (writeMode: onCreate)`);
          }
        } else {
          add([...f.at], `${p} is owned by ${owner}, which is neither side of ${spec.direction}`);
        }
      }
    }
  }
  return issues;
}

/** Source fields the request path reads (placeholders that are not written target fields). */
export function requestSourceReads(compiled: CompiledSpec, written: Map<string, unknown> | Set<string>): string[] {
  return (compiled.request?.params ?? []).map((p) => formatSegments(p.path.segments)).filter((p) => !written.has(p));
}

/** Leaves an ignore entry covers: itself, its descendants, and a trailing * wildcard. */
export function ignoreMatches(entry: string, leaves: string[]): string[] {
  if (entry.includes('*')) {
    const escaped = entry.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.\\[\\]]*');
    const re = new RegExp(`^${escaped}(?:$|[.\\[])`);
    return leaves.filter((l) => re.test(l));
  }
  return leaves.filter((l) => l === entry || l.startsWith(`${entry}.`) || l.startsWith(`${entry}[`));
}

/** Checks across the specs of one project: unique names, consistent owners per flow, all flows present. */
export function validateSpecSet(specs: CompiledSpec[]): { spec: string; at: YamlPath; message: string }[] {
  const issues: { spec: string; at: YamlPath; message: string }[] = [];
  const byName = new Map<string, CompiledSpec>();
  for (const c of specs) {
    if (byName.has(c.spec.name)) issues.push({ spec: c.spec.name, at: ['name'], message: `two specs are named ${c.spec.name}` });
    byName.set(c.spec.name, c);
  }
  const byFlow = new Map<string, CompiledSpec[]>();
  for (const c of specs) byFlow.set(c.spec.flow, [...(byFlow.get(c.spec.flow) ?? []), c]);
  for (const [flow, list] of byFlow) {
    const withOwners = list.filter((c) => c.spec.systemOfRecord.fields);
    for (const c of withOwners.slice(1)) {
      const a = withOwners[0]!.spec.systemOfRecord;
      const b = c.spec.systemOfRecord;
      const keys = [...new Set([...Object.keys(a.fields!), ...Object.keys(b.fields!)])];
      const differ = keys.filter((k) => (a.fields![k] ?? a.system) !== (b.fields![k] ?? b.system));
      if (differ.length > 0) {
        issues.push({ spec: c.spec.name, at: ['systemOfRecord', 'fields'], message: `the ${flow} flow's specs disagree on who owns ${differ.join(', ')} (compare ${withOwners[0]!.spec.name}); one system of record per field` });
      }
    }
  }
  return issues;
}
