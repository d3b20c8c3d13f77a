/**
 * Builds the data-mapping document's model from the loaded specs and sample source records. Pure:
 * the caller supplies the specs, the samples (from the simulator's worst-case order) and the
 * timestamp, so the same inputs always give the same document.
 */
import path from 'node:path';
import { applyMapping, type MappingIssue, type MappingResult } from '../../mappings/apply-mapping.ts';
import type { CompiledCondition, CompiledField } from '../../mappings/compile.ts';
import { projectRoot, requiredNames, walkSchema } from '../../mappings/contracts.ts';
import { flows, systemLabels, systems, type SystemName } from '../../mappings/flows.ts';
import type { LoadedSpec } from '../../mappings/load-spec.ts';
import { concreteLocations, parsePath } from '../../mappings/path.ts';
import type { SampleSources, SourceKind } from '../../mappings/sample-sources.ts';
import { describeTransform, transformVocabulary } from '../../mappings/transforms.ts';
import { mappingDocSchema, type FieldRow, type MappingDoc, type SpecSection } from './model.ts';

export interface MappingDocInput {
  specs: LoadedSpec[];
  samples: SampleSources;
  sampleOrder: { id: number; lines: number; addresses: number; currency: string };
  seed: number;
  generatedAt: string;
  title?: string;
}

const label = (system: string) => systemLabels[system as SystemName] ?? system;

/** A value as a short readable text: strings as they are, others as JSON, long ones cut. */
export function displayValue(value: unknown, max = 70): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}… (${chars.length} chars)` : text;
}

/** The record with long lists and strings shortened, for the example panel. */
export function abbreviate(value: unknown, maxItems = 3, maxString = 120): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, maxItems).map((v) => abbreviate(v, maxItems, maxString));
    return value.length > maxItems ? [...shown, `… ${value.length - maxItems} more`] : shown;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v, maxItems, maxString)]));
  if (typeof value === 'string') {
    const chars = Array.from(value);
    return chars.length > maxString ? `${chars.slice(0, maxString - 1).join('')}… (${chars.length} chars)` : value;
  }
  return value;
}

const normalizeField = (field: string) => field.replace(/\[\d+\]/g, '[]');

function describeCondition(c: CompiledCondition): string {
  const { path, op, value, valuePath } = c.condition;
  const rhs = valuePath ?? JSON.stringify(value);
  switch (op) {
    case 'eq':
      return `${path} = ${rhs}`;
    case 'ne':
      return `${path} ≠ ${rhs}`;
    case 'in':
      return `${path} in ${rhs}`;
    case 'notIn':
      return `${path} not in ${rhs}`;
    case 'empty':
      return `${path} is empty`;
    case 'notEmpty':
      return `${path} is not empty`;
    case 'gt':
      return `${path} > ${rhs}`;
    case 'lt':
      return `${path} < ${rhs}`;
    case 'matches':
      return `${path} matches /${String(value)}/`;
    default:
      return op satisfies never;
  }
}

function describeConstraints(spec: LoadedSpec, targetPath: string): string {
  return spec.compiled.constraints
    .filter((c) => c.targetPath === targetPath)
    .map((c) => {
      const rule =
        c.maxLength !== undefined
          ? `max ${c.maxLength} chars`
          : c.maxItems !== undefined
            ? `max ${c.maxItems} items`
            : c.enum !== undefined
              ? `one of ${c.enum.map((e) => String(e)).join(', ')}`
              : c.pattern !== undefined
                ? `pattern ${c.pattern}`
                : c.format !== undefined
                  ? `${c.format} format`
                  : c.minimum !== undefined
                    ? `≥ ${c.minimum}`
                    : `≤ ${c.maximum}`;
      return `${rule} → ${c.action}`;
    })
    .join('; ');
}

function targetRequired(spec: LoadedSpec, targetPath: string): boolean {
  const segments = parsePath(targetPath).segments;
  const last = segments.at(-1);
  if (last?.kind !== 'key') return false;
  const parent = segments.slice(0, -1);
  const walk = parent.length ? walkSchema(spec.schemas.target, parent) : { ok: true as const, nodes: [spec.schemas.target] };
  return walk.ok && requiredNames(walk.nodes).includes(last.key);
}

function sourceText(f: CompiledField): string {
  if (f.mapping.value !== undefined) return `constant ${JSON.stringify(f.mapping.value)}`;
  if (f.isIndex) return 'position in the list ($index)';
  return f.sourceTexts.join(' + ');
}

function exampleFor(f: CompiledField, result: MappingResult | undefined): FieldRow['example'] {
  if (!result || result.skipped || !result.record) return { value: '—', status: 'not-run', issue: result?.skipped ? `record skipped: ${result.skipped.reason}` : '' };
  const matches = (i: MappingIssue) => normalizeField(i.field) === f.targetPath;
  const error = result.errors.find(matches);
  const warning = result.warnings.find(matches);
  const locations = concreteLocations(result.record, f.targetPath);
  const current = locations.find((l) => l.path === (error ?? warning)?.field) ?? locations[0];
  if (error) return { value: error.value ?? displayValue(current?.value), status: 'error', issue: `${error.field}: ${error.message}` };
  if (warning) {
    const shown = displayValue(current?.value);
    const value = warning.code === 'omitted' ? `(left out) ${warning.value ?? ''}`.trim() : shown === '' ? '(empty)' : shown;
    return { value, status: 'warning', issue: `${warning.field}: ${warning.message}` };
  }
  if (!current || current.value === undefined || current.value === '') return { value: '—', status: 'empty', issue: '' };
  return { value: displayValue(current.value), status: 'ok', issue: '' };
}

function fieldRows(spec: LoadedSpec, fields: CompiledField[], result: MappingResult | undefined, depth: number): FieldRow[] {
  return fields.flatMap((f) => {
    const row: FieldRow = {
      depth,
      source: sourceText(f),
      target: f.targetPath,
      transform: f.fields ? 'one per element' + (f.where.length ? ` where ${f.where.map(describeCondition).join(' and ')}` : '') : describeTransform(f.steps),
      required: f.mapping.required || targetRequired(spec, f.targetPath),
      default: f.mapping.default === undefined ? '' : JSON.stringify(f.mapping.default),
      constraint: describeConstraints(spec, f.targetPath),
      condition: [...(f.when.length ? [`only when ${f.when.map(describeCondition).join(' and ')}`] : []), ...(f.mapping.writeMode === 'onCreate' ? ['sent on create only'] : [])].join('; '),
      notes: f.mapping.notes ?? '',
      example: exampleFor(f, result),
    };
    return [row, ...(f.fields ? fieldRows(spec, f.fields, result, depth + 1) : [])];
  });
}

function pickExample(results: MappingResult[]): MappingResult | undefined {
  return results.find((r) => r.errors.length > 0) ?? results.find((r) => !r.skipped && r.warnings.length > 0) ?? results.find((r) => !r.skipped) ?? results[0];
}

function groupIssues(issues: MappingIssue[]): { field: string; code: string; message: string; count: number }[] {
  const groups = new Map<string, { field: string; code: string; message: string; count: number }>();
  for (const i of issues) {
    const key = `${normalizeField(i.field)} ${i.code}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { field: normalizeField(i.field), code: i.code, message: i.message, count: 1 });
  }
  return [...groups.values()];
}

function specSection(spec: LoadedSpec, samples: SampleSources, sampleLabel: string): SpecSection {
  const s = spec.compiled.spec;
  const records = samples[s.source.contract as SourceKind] ?? [];
  const results = records.map((r) => applyMapping(spec.compiled, r));
  const chosen = pickExample(results);
  const count = (p: (r: MappingResult) => boolean) => results.filter(p).length;
  const outcome: SpecSection['example']['outcome'] = !chosen
    ? 'no-sample'
    : chosen.skipped
      ? 'skipped'
      : chosen.errors.length
        ? 'rejected'
        : chosen.warnings.length
          ? 'accepted-with-warnings'
          : 'accepted';
  const outcomeText = {
    'no-sample': 'No sample record of this source exists for the worst-case order (a guest checkout has no customer account).',
    skipped: `Skipped: ${chosen?.skipped?.reason ?? ''}`,
    rejected: `Rejected to the dead-letter queue: ${chosen?.errors.length ?? 0} error(s) and ${chosen?.warnings.length ?? 0} warning(s).`,
    'accepted-with-warnings': `Accepted with ${chosen?.warnings.length ?? 0} warning(s).`,
    accepted: 'Accepted without warnings.',
  }[outcome];
  const samplesText =
    results.length === 0
      ? 'no sample records'
      : `${results.length} sample record${results.length === 1 ? '' : 's'}: ${[
          [count((r) => !r.skipped && r.errors.length === 0 && r.warnings.length === 0), 'accepted'],
          [count((r) => !r.skipped && r.errors.length === 0 && r.warnings.length > 0), 'accepted with warnings'],
          [count((r) => !r.skipped && r.errors.length > 0), 'rejected'],
          [count((r) => !!r.skipped), 'skipped'],
        ]
          .filter(([n]) => (n as number) > 0)
          .map(([n, t]) => `${n} ${t}`)
          .join(', ')}`;

  const risks: SpecSection['risks'] = (s.risks ?? []).map((text) => ({ kind: 'authored' as const, text }));
  const allErrors = results.flatMap((r) => r.errors);
  const allWarnings = results.flatMap((r) => r.warnings);
  for (const g of groupIssues(allErrors)) {
    risks.push({ kind: 'reject', text: `Worst-case sample rejected on ${g.field}${g.count > 1 ? ` (${g.count} times)` : ''}: ${g.message}.` });
  }
  for (const g of groupIssues(allWarnings)) {
    const verb = g.code === 'lookup-default' ? 'fell back to a default' : g.code === 'omitted' ? 'left out' : 'cut';
    risks.push({ kind: g.code === 'lookup-default' ? 'fallback' : 'truncate', text: `Worst-case sample ${verb} on ${g.field}${g.count > 1 ? ` (${g.count} times)` : ''}: ${g.message}.` });
  }
  for (const [name, l] of Object.entries(spec.compiled.lookups)) {
    if (l.onMiss === 'default') risks.push({ kind: 'fallback', text: `Values missing from lookup ${name} become ${JSON.stringify(l.default)} (with a warning); keep the lookup in step with the source system's codes.` });
    if (l.onMiss === 'passthrough') risks.push({ kind: 'fallback', text: `Values missing from lookup ${name} pass through unchanged.` });
  }
  for (const path of spec.coverage.unaccounted) risks.push({ kind: 'coverage', text: `Source field ${path} is neither mapped nor ignored: decide and record why.` });

  const sor = s.systemOfRecord;
  const issue = (i: MappingIssue) => ({ field: i.field, code: i.code, message: i.message, value: i.value ?? '' });
  return {
    name: s.name,
    title: s.title,
    summary: s.summary,
    file: path.relative(projectRoot, spec.file),
    direction: `${label(s.source.system)} → ${label(s.target.system)}`,
    source: { system: label(s.source.system), resource: s.source.resource, contract: s.source.contract + (s.source.expand ? ` + ${Object.values(s.source.expand).join(', ')}` : ''), call: s.source.read ?? '' },
    target: { system: label(s.target.system), resource: s.target.resource, contract: s.target.contract, call: s.target.write ?? '' },
    trigger: s.trigger,
    frequency: s.frequency,
    systemOfRecord: {
      owner: label(sor.system),
      conflictRule: sor.conflictRule,
      fields: Object.entries(sor.fields ?? {}).map(([field, owner]) => ({ field, owner: label(owner) })),
    },
    key: { source: s.key.source, target: s.key.target ?? '(engine cross-reference)', notes: s.key.notes ?? '' },
    skip: spec.compiled.skip.map((r) => ({ when: r.conditions.map(describeCondition).join(' and '), reason: r.reason })),
    fields: fieldRows(spec, spec.compiled.fields, chosen, 0),
    lookups: Object.entries(spec.compiled.lookups).map(([name, l]) => ({
      name,
      description: l.description ?? '',
      onMiss: l.onMiss === 'default' ? `unknown → ${JSON.stringify(l.default)} (warning)` : l.onMiss === 'passthrough' ? 'unknown values pass through' : 'unknown → reject',
      entries: Object.entries(l.entries).map(([from, to]) => ({ from, to: typeof to === 'string' ? (to === '' ? '(empty)' : to) : JSON.stringify(to) })),
    })),
    coverage: {
      total: spec.coverage.total,
      mapped: spec.coverage.mapped.length,
      ignoredCount: spec.coverage.ignored.length,
      ignored: spec.coverage.ignored.map((i) => ({ path: i.path, reason: i.reason })),
      unaccounted: spec.coverage.unaccounted,
      percent: spec.coverage.total === 0 ? 100 : Math.round(((spec.coverage.total - spec.coverage.unaccounted.length) / spec.coverage.total) * 100),
    },
    example: {
      label: sampleLabel,
      outcome,
      outcomeText,
      samples: samplesText,
      warnings: (chosen?.warnings ?? []).map(issue),
      errors: (chosen?.errors ?? []).map(issue),
      record: chosen?.record ? JSON.stringify(abbreviate(chosen.record), null, 2) : '',
    },
    assumptions: s.assumptions ?? [],
    risks,
  };
}

export function buildMappingDoc(input: MappingDocInput): MappingDoc {
  const sampleLabel = `worst-case order ${input.sampleOrder.id} (seed ${input.seed})`;
  const sections = input.specs.map((spec) => ({ spec, section: specSection(spec, input.samples, sampleLabel) }));
  const docFlows = flows
    .map((f) => ({
      id: f.id,
      title: f.title,
      direction: f.direction,
      trigger: f.trigger,
      specs: sections
        .filter((s) => s.spec.compiled.spec.flow === f.id)
        // Outbound before inbound, then in the order of the systems (ERP, 3PL, CRM, marketing).
        .sort(
          (a, b) =>
            Number(b.spec.compiled.spec.source.system === 'bigcommerce') - Number(a.spec.compiled.spec.source.system === 'bigcommerce') ||
            systems.indexOf(a.spec.compiled.spec.target.system) - systems.indexOf(b.spec.compiled.spec.target.system) ||
            a.section.name.localeCompare(b.section.name),
        )
        .map((s) => s.section),
    }))
    .filter((f) => f.specs.length > 0);
  const all = sections.map((s) => s.section);
  const doc: MappingDoc = {
    title: input.title ?? 'Data-mapping document',
    generatedAt: input.generatedAt,
    seed: input.seed,
    sampleOrder: {
      ...input.sampleOrder,
      description: `Examples are computed by running each spec on records derived from the simulator's worst-case order ${input.sampleOrder.id}: ${input.sampleOrder.lines} lines, ${input.sampleOrder.addresses} shipping addresses, ${input.sampleOrder.currency}, Arabic, Japanese, emoji and accented names, fields at their maximum length.`,
    },
    totals: {
      flows: docFlows.length,
      specs: all.length,
      fields: all.reduce((n, s) => n + s.fields.length, 0),
      sourceFields: all.reduce((n, s) => n + s.coverage.total, 0),
      mapped: all.reduce((n, s) => n + s.coverage.mapped, 0),
      ignored: all.reduce((n, s) => n + s.coverage.ignoredCount, 0),
      unaccounted: all.reduce((n, s) => n + s.coverage.unaccounted.length, 0),
      rejectedExamples: all.filter((s) => s.example.outcome === 'rejected').length,
      warningExamples: all.filter((s) => s.example.outcome === 'accepted-with-warnings').length,
    },
    flows: docFlows,
    vocabulary: transformVocabulary(),
  };
  return mappingDocSchema.parse(doc);
}

