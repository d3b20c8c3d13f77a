/**
 * The drift check: the mapping specs and resource contracts against a new BigCommerce OpenAPI
 * document (and optionally the document they were written against).
 *
 * Breaking (the build fails): a field a spec reads or writes is gone, renamed (a new field of a
 * compatible type with a similar name took its place) or retyped; a request field the specs do not
 * write became required; a value the specs send is no longer allowed. Warnings: a field read
 * through a lookup lost or widened its enum, a field became nullable. Additive (reported, never
 * failing): fields the contracts do not know yet, which must be added to the contract and then
 * mapped or ignored. With a previous document, every field-level difference of every resource the
 * specs use is listed as well.
 *
 * Documents are identified by content (identifyDocuments), never by file name. A run that compared
 * no mapped field has the verdict "nothing-compared", never "ok": a renamed copy of a document that
 * matched nothing once read as "no breaking change", the worst answer this check can give.
 */
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { allFields } from './compile.ts';
import type { ContractRegistry } from './contracts.ts';
import type { LoadedSpec } from './load-spec.ts';
import { describeLocator, fieldTable, locateSchema, type FieldInfo, type OpenApiDocument } from './openapi.ts';
import { API_DOCUMENTS, apiDocument, identifyDocuments, locationOfContract, RESOURCE_LOCATIONS, type Identification, type Representation, type ResourceLocation } from './openapi-locations.ts';
import { formatSegments, parsePath } from './path.ts';

export const findingKinds = [
  'removed',
  'renamed',
  'retyped',
  'newly-required',
  'required-not-written',
  'enum-narrowed',
  'constraint-tightened',
  'operation-removed',
  'enum-removed',
  'enum-widened',
  'now-nullable',
  'new-field',
] as const;

const BREAKING = new Set<string>(['removed', 'renamed', 'retyped', 'newly-required', 'required-not-written', 'enum-narrowed', 'constraint-tightened', 'operation-removed']);
const WARNING = new Set<string>(['enum-removed', 'enum-widened', 'now-nullable']);

export const driftReportSchema = z.object({
  generatedAt: z.string(),
  documents: z.array(z.string()),
  against: z.array(z.string()),
  /** nothing-compared: no mapped field was compared, so the run proves nothing (exit 2). */
  verdict: z.enum(['breaking', 'ok', 'nothing-compared']),
  /** Why nothing was compared and what to pass instead; only with that verdict. */
  nothingComparedReason: z.string().optional(),
  /** What each given document was taken for, and on what evidence. */
  documentsIdentified: z.array(
    z.object({
      role: z.enum(['spec', 'against']),
      file: z.string(),
      title: z.string(),
      apiVersion: z.string().nullable(),
      base: z.string().nullable(),
      identifiedAs: z.array(z.object({ api: z.string(), operations: z.array(z.string()) })),
      note: z.string(),
    }),
  ),
  summary: z.object({
    breaking: z.number().int(),
    warnings: z.number().int(),
    additive: z.number().int(),
    checked: z.number().int(),
    notChecked: z.number().int(),
    fieldsChecked: z.number().int(),
    differences: z.number().int(),
  }),
  findings: z.array(
    z.object({
      severity: z.enum(['breaking', 'warning', 'additive']),
      kind: z.enum(findingKinds),
      resource: z.string(),
      representation: z.string(),
      contract: z.string(),
      field: z.string(),
      specs: z.array(z.string()),
      message: z.string(),
    }),
  ),
  checked: z.array(
    z.object({
      resource: z.string(),
      representation: z.string(),
      contract: z.string(),
      /** The BigCommerce API document the resource lives in ("Orders V2"). */
      api: z.string(),
      /** The file identified as that API (base name), or '' when none was given. */
      document: z.string(),
      status: z.enum(['checked', 'document-not-given', 'operation-missing']),
      fields: z.array(z.object({ field: z.string(), specs: z.array(z.string()), role: z.enum(['read', 'written']) })),
    }),
  ),
  differences: z.array(
    z.object({
      resource: z.string(),
      representation: z.string(),
      field: z.string(),
      change: z.enum(['added', 'removed', 'type', 'nullable', 'enum', 'maxLength', 'required']),
      before: z.string(),
      after: z.string(),
    }),
  ),
});
export type DriftReport = z.infer<typeof driftReportSchema>;
export type DriftFinding = DriftReport['findings'][number];

export interface DriftInput {
  specs: LoadedSpec[];
  registry: ContractRegistry;
  /** The new documents (--spec); which API each one is comes from its content. */
  current: OpenApiDocument[];
  /** The documents the specs were written against (--against), identified the same way. */
  previous?: OpenApiDocument[];
  generatedAt: string;
}

/** The documents given cannot be matched to contracts unambiguously (two claim one API). */
export class DriftInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriftInputError';
  }
}

interface Usage {
  /** Contract name without pointer. */
  contract: string;
  /** JSON pointer into the contract the paths are relative to ("#/$defs/item"), or "". */
  pointer: string;
  role: 'read' | 'written';
  paths: Map<string, Set<string>>;
  /** Paths read through a lookup table (enum changes matter there). */
  lookups: Map<string, string>;
  /** Object paths the specs write into ('' is the record itself). */
  containers: Set<string>;
}

const parentOf = (path: string) => {
  const i = Math.max(path.lastIndexOf('.'), path.endsWith('[]') ? path.length - 2 : -1);
  if (path.endsWith('[]')) return path.slice(0, -2);
  return i < 0 ? '' : path.slice(0, i);
};
const leafOf = (path: string) => path.slice(path.lastIndexOf('.') + 1);

function collectUsages(specs: LoadedSpec[]): Usage[] {
  const usages = new Map<string, Usage>();
  const usage = (ref: string, role: Usage['role']) => {
    const [contract, pointer = ''] = ref.split('#');
    const key = `${role} ${contract}#${pointer}`;
    let u = usages.get(key);
    if (!u) {
      u = { contract: contract!, pointer: pointer ? `#${pointer}` : '', role, paths: new Map(), lookups: new Map(), containers: new Set(['']) };
      usages.set(key, u);
    }
    return u;
  };
  const note = (u: Usage, path: string, spec: string) => u.paths.set(path, (u.paths.get(path) ?? new Set()).add(spec));

  for (const loaded of specs) {
    const { spec } = loaded.compiled;
    const fields = allFields(loaded.compiled.fields);
    if (spec.source.system === 'bigcommerce') {
      const expand = spec.source.expand ?? {};
      const locate = (path: string): { u: Usage; path: string } => {
        const first = path.split(/[.[]/)[0]!;
        if (expand[first] && path.startsWith(`${first}[]`)) {
          const rest = path.slice(`${first}[]`.length).replace(/^\./, '');
          return { u: usage(expand[first]!, 'read'), path: rest };
        }
        return { u: usage(spec.source.contract, 'read'), path };
      };
      for (const m of loaded.coverage.mapped) {
        const { u, path } = locate(m.path);
        if (path) note(u, path, spec.name);
      }
      for (const f of fields) {
        const lookup = f.steps.find((s) => s.name === 'lookup');
        if (!lookup) continue;
        for (const p of f.sourcePaths) {
          const { u, path } = locate(p);
          u.lookups.set(path, lookup.options as string);
        }
      }
    }
    if (spec.target.system === 'bigcommerce') {
      const u = usage(spec.target.contract, 'written');
      for (const f of fields) {
        note(u, f.targetPath, spec.name);
        const segs = parsePath(f.targetPath).segments;
        for (let i = 1; i < segs.length; i++) {
          if (segs[i - 1]!.kind === 'each' || segs[i]!.kind === 'key') u.containers.add(formatSegments(segs.slice(0, i)));
        }
      }
    }
  }
  return [...usages.values()];
}

const enumText = (values: string[] | undefined) => (values ? values.map((v) => (v === '' ? '""' : v)).join(', ') : '(no enum)');
const typesText = (i: FieldInfo | undefined) => (i ? `${i.types.length ? i.types.join('|') : 'any'}${i.nullable ? '|null' : ''}` : '(absent)');
const compatible = (ours: FieldInfo, theirs: FieldInfo) => theirs.types.length === 0 || ours.types.length === 0 || ours.types.some((t) => theirs.types.includes(t));
const sameTypes = (a: FieldInfo, b: FieldInfo) => a.types.join('|') === b.types.join('|');

function similar(a: string, b: string): number | undefined {
  const d = distance(a.toLowerCase(), b.toLowerCase());
  const longest = Math.max(a.length, b.length);
  if (d <= Math.max(2, Math.floor(longest * 0.4)) || a.includes(b) || b.includes(a)) return d;
  return undefined;
}

function diffTables(before: Map<string, FieldInfo>, after: Map<string, FieldInfo>): Omit<DriftReport['differences'][number], 'resource' | 'representation'>[] {
  const out: Omit<DriftReport['differences'][number], 'resource' | 'representation'>[] = [];
  const reported = (p: string, table: Map<string, FieldInfo>) => parentOf(p) === '' || table.has(parentOf(p));
  for (const [p, b] of before) {
    const a = after.get(p);
    if (!a) {
      if (reported(p, after)) out.push({ field: p, change: 'removed', before: typesText(b), after: '(absent)' });
      continue;
    }
    if (!sameTypes(a, b)) out.push({ field: p, change: 'type', before: typesText(b), after: typesText(a) });
    if (a.nullable !== b.nullable) out.push({ field: p, change: 'nullable', before: String(b.nullable), after: String(a.nullable) });
    if ((a.enum ?? []).join('|') !== (b.enum ?? []).join('|')) out.push({ field: p, change: 'enum', before: enumText(b.enum), after: enumText(a.enum) });
    if (a.maxLength !== b.maxLength) out.push({ field: p, change: 'maxLength', before: String(b.maxLength ?? '(none)'), after: String(a.maxLength ?? '(none)') });
    if (a.required !== b.required) out.push({ field: p, change: 'required', before: b.required ? 'required' : 'optional', after: a.required ? 'required' : 'optional' });
  }
  for (const [p, a] of after) {
    if (!before.has(p) && reported(p, before)) out.push({ field: p, change: 'added', before: '(absent)', after: typesText(a) });
  }
  return out.sort((x, y) => x.field.localeCompare(y.field) || x.change.localeCompare(y.change));
}

function subLocator(representation: Representation, pointer: string) {
  const extra = pointer ? representation.subSchemas?.[pointer] : [];
  if (extra === undefined) return undefined;
  return { ...representation.locator, pointer: [...(representation.locator.pointer ?? []), ...extra] };
}

const listed = (items: string[], max = 4) => (items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`);

function assertUnambiguous(ids: Identification, usedApis: Set<string>, flag: string): void {
  const conflict = ids.conflicts.find((c) => usedApis.has(c.api.id));
  if (!conflict) return;
  const files = conflict.claims.map((c) => c.document.file);
  const sameEvidence = conflict.claims.every((c) => c.operations.join() === conflict.claims[0]!.operations.join());
  const evidence = sameEvidence ? listed(conflict.claims[0]!.operations, 3) : conflict.claims.map((c) => `${c.document.file}: ${listed(c.operations, 3)}`).join('; ');
  throw new DriftInputError(
    `Failed to choose the ${conflict.api.title} document among the ${flag} documents: ${files.slice(0, -1).join(', ')} and ${files.at(-1)} ${files.length === 2 ? 'both' : 'all'} define its operations (${evidence}). ` +
      `Documents are recognised by content, not file name, so pass one document per API: leave out the copy you do not mean to check.`,
  );
}

/** What a document looks like, for messages: its title, version source and a few operations. */
function looksLike(doc: OpenApiDocument): string {
  const ops = [...doc.operations];
  return `${doc.title ? `"${doc.title}"` : 'an untitled document'} (${doc.base ?? 'no version in servers, basePath or title'}; ${ops.length} operation(s)${ops.length ? `: ${listed(ops, 3)}` : ''})`;
}

function describeIdentification(role: 'spec' | 'against', docs: OpenApiDocument[], ids: Identification): DriftReport['documentsIdentified'] {
  return docs.map((doc) => {
    const claims = ids.claims.filter((c) => c.document === doc);
    const mismatches = ids.versionMismatches.filter((c) => c.document === doc);
    const note =
      claims.length > 0
        ? `taken as ${claims.map((c) => `${c.api.title} (defines ${listed(c.operations, 3)})`).join(' and ')}${doc.base ? `; ${doc.base}` : ''}`
        : mismatches.length > 0
          ? `not used: defines ${mismatches.map((c) => `${listed(c.operations, 3)} of ${c.api.title}`).join(', ')} but is ${doc.apiVersion} (${doc.base}), so it is another API`
          : `not used: defines no operation a contract is tied to; looks like ${looksLike(doc)}`;
    return {
      role,
      file: doc.file,
      title: doc.title,
      apiVersion: doc.apiVersion ?? null,
      base: doc.base ?? null,
      identifiedAs: claims.map((c) => ({ api: c.api.title, operations: c.operations })),
      note,
    };
  });
}

/**
 * Why a run compared no mapped field, naming each given document and what it looks like, and the
 * operations the specs need with the API that defines them, so the fix is one look away.
 */
function explainNothingCompared(docs: OpenApiDocument[], ids: Identification, checked: DriftReport['checked']): string {
  const needed = checked.filter((c) => c.fields.length > 0);
  if (needed.length === 0) {
    return 'Failed to compare any mapped field: no mapping spec reads or writes a BigCommerce contract tied to an OpenAPI operation, so there is nothing to check. Point --mappings at the specs to check.';
  }
  const byApi = new Map<string, string[]>();
  for (const c of needed) {
    const op = c.representation.split(' ').slice(0, 2).join(' ');
    const ops = byApi.get(c.api) ?? [];
    if (!ops.includes(op)) ops.push(op);
    byApi.set(c.api, ops);
  }
  const seen = docs.map((doc) => {
    const claims = ids.claims.filter((c) => c.document === doc);
    const mismatches = ids.versionMismatches.filter((c) => c.document === doc);
    // A claimed API with mapped fields would have been compared, so what is claimed here is unused.
    if (claims.length > 0) return `${doc.name} is ${claims.map((c) => c.api.title).join(' and ')}, which no mapping spec uses`;
    if (mismatches.length > 0) return `${doc.name} defines ${mismatches.map((c) => `${listed(c.operations, 2)} of ${c.api.title}`).join(', ')} but under ${doc.apiVersion} (${doc.base}), so it is another API`;
    return `${doc.name} looks like ${looksLike(doc)}`;
  });
  const wanted = [...byApi.entries()].map(([title, ops]) => {
    const file = API_DOCUMENTS.find((d) => d.title === title)?.file;
    return `${listed(ops, 4)} (${title}${file ? `, e.g. ${file}` : ''})`;
  });
  return (
    `Failed to compare any mapped field: none of the given documents defines an operation a mapping spec uses. ${seen.join('; ')}. ` +
    `The specs use ${wanted.join('; ')}. Pass the BigCommerce documents that define these operations; any file name will do, they are recognised by content.`
  );
}

export function checkDrift(input: DriftInput): DriftReport {
  const findings: DriftFinding[] = [];
  const checked: DriftReport['checked'] = [];
  const differences: DriftReport['differences'] = [];
  const usages = collectUsages(input.specs);
  const usedResources = new Set<ResourceLocation>();
  for (const u of usages) {
    const loc = locationOfContract(u.contract);
    if (loc) usedResources.add(loc.resource);
  }
  const usedApis = new Set([...usedResources].map((r) => r.document));
  const currentIds = identifyDocuments(input.current);
  const previousIds = input.previous ? identifyDocuments(input.previous) : undefined;
  assertUnambiguous(currentIds, usedApis, '--spec');
  if (previousIds) assertUnambiguous(previousIds, usedApis, '--against');

  for (const resource of RESOURCE_LOCATIONS.filter((r) => usedResources.has(r))) {
    const api = apiDocument(resource.document);
    for (const representation of resource.representations) {
      const repName = describeLocator(representation.locator);
      const doc = currentIds.byApi.get(resource.document);
      const old = previousIds?.byApi.get(resource.document);
      const repUsages = usages.filter((u) => u.contract === representation.contract);
      const fieldsList = repUsages.flatMap((u) => [...u.paths.entries()].map(([field, specs]) => ({ field, specs: [...specs].sort(), role: u.role })));
      const base = { resource: resource.resource, representation: repName, contract: representation.contract, api: api.title };
      if (!doc) {
        checked.push({ ...base, document: '', status: 'document-not-given', fields: fieldsList });
        continue;
      }
      const newWhole = locateSchema(doc.doc, representation.locator);
      const oldWhole = old ? locateSchema(old.doc, representation.locator) : undefined;
      if (old && newWhole && oldWhole) {
        for (const d of diffTables(fieldTable(oldWhole), fieldTable(newWhole))) differences.push({ resource: resource.resource, representation: repName, ...d });
      }
      if (!newWhole) {
        checked.push({ ...base, document: doc.name, status: 'operation-missing', fields: fieldsList });
        if (fieldsList.length > 0) {
          findings.push({
            severity: 'breaking',
            kind: 'operation-removed',
            resource: resource.resource,
            representation: repName,
            contract: representation.contract,
            field: '(operation)',
            specs: [...new Set(fieldsList.flatMap((f) => f.specs))].sort(),
            message: `${repName} is not in ${doc.name} (taken as ${api.title}): the operation or its body was removed or moved`,
          });
        }
        continue;
      }
      checked.push({ ...base, document: doc.name, status: 'checked', fields: fieldsList });

      for (const u of repUsages) {
        const locator = subLocator(representation, u.pointer);
        const contractSchema = input.registry.get(`${u.contract}${u.pointer}`);
        // Skipping here would count the usage's fields as checked with nothing compared: a false pass.
        if (!locator || !contractSchema) {
          throw new Error(`Failed to locate ${u.contract}${u.pointer} in ${repName}: openapi-locations.ts has no subSchemas entry for "${u.pointer}" or the contract registry lacks it. Add it there.`);
        }
        const newNode = locateSchema(doc.doc, locator);
        if (!newNode) {
          if (u.paths.size > 0) {
            findings.push({
              severity: 'breaking',
              kind: 'operation-removed',
              resource: resource.resource,
              representation: repName,
              contract: `${u.contract}${u.pointer}`,
              field: '(operation)',
              specs: [...new Set([...u.paths.values()].flatMap((x) => [...x]))].sort(),
              message: `${describeLocator(locator)} is not in ${doc.name} (taken as ${api.title}): the body changed shape, so the fields the specs use there cannot be found`,
            });
          }
          continue;
        }
        const oldNode = old ? locateSchema(old.doc, locator) : undefined;
        const ours = fieldTable(contractSchema, 8);
        const theirs = fieldTable(newNode, 8);
        const before = oldNode ? fieldTable(oldNode, 8) : undefined;
        const add = (severity: DriftFinding['severity'], kind: DriftFinding['kind'], field: string, message: string, specs: string[]) =>
          findings.push({ severity, kind, resource: resource.resource, representation: repName, contract: `${u.contract}${u.pointer}`, field, specs, message });

        for (const [path, specSet] of u.paths) {
          const specs = [...specSet].sort();
          const mine = ours.get(path);
          const now = theirs.get(path);
          if (!now) {
            const parent = parentOf(path);
            const name = leafOf(path);
            const candidates = [...theirs.entries()]
              .filter(([p, info]) => parentOf(p) === parent && p !== path && !ours.has(p) && !(before?.has(p)) && (!mine || compatible(mine, info)))
              .map(([p]) => ({ p, d: similar(name, leafOf(p)) }))
              .filter((c): c is { p: string; d: number } => c.d !== undefined)
              .sort((a, b) => a.d - b.d);
            if (candidates[0]) add('breaking', 'renamed', path, `${path} is gone and ${candidates[0].p} (same type, similar name) appeared: update the contract and the specs, or the field maps to nothing`, specs);
            else add('breaking', 'removed', path, `${path} is no longer in ${repName}; the specs ${u.role === 'read' ? 'read' : 'write'} it`, specs);
            continue;
          }
          if (mine && !compatible(mine, now)) add('breaking', 'retyped', path, `${path} is ${typesText(now)} now; the contract has ${typesText(mine)}`, specs);
          else if (before?.get(path) && !sameTypes(before.get(path)!, now)) add('breaking', 'retyped', path, `${path} changed from ${typesText(before.get(path))} to ${typesText(now)}`, specs);
          const was = before?.get(path) ?? mine;
          if (u.role === 'read') {
            const lookup = u.lookups.get(path);
            if (lookup && was?.enum && !now.enum) add('warning', 'enum-removed', path, `${path} lost its enum (${was.enum.join(', ')}); any text can now arrive, so lookup ${lookup} needs a default or new entries`, specs);
            else if (lookup && was?.enum && now.enum && now.enum.some((v) => !was.enum!.includes(v))) {
              add('warning', 'enum-widened', path, `${path} allows ${now.enum.filter((v) => !was.enum!.includes(v)).join(', ')} now; add them to lookup ${lookup}`, specs);
            }
            if (now.nullable && was && !was.nullable && !mine?.nullable) add('warning', 'now-nullable', path, `${path} may now be null; check required and default in the specs`, specs);
          } else {
            if (mine?.enum && now.enum && mine.enum.some((v) => !now.enum!.includes(v))) {
              add('breaking', 'enum-narrowed', path, `${path} no longer accepts ${mine.enum.filter((v) => !now.enum!.includes(v)).join(', ')}`, specs);
            }
            if (now.maxLength !== undefined && (mine?.maxLength === undefined || now.maxLength < mine.maxLength)) {
              add('breaking', 'constraint-tightened', path, `${path} accepts at most ${now.maxLength} characters now (the contract says ${mine?.maxLength ?? 'no limit'}); values the specs send may be refused`, specs);
            }
          }
        }

        if (u.role === 'written') {
          const allSpecs = [...new Set([...u.paths.values()].flatMap((s) => [...s]))].sort();
          for (const [path, info] of theirs) {
            if (!info.required || u.paths.has(path) || !u.containers.has(parentOf(path))) continue;
            const already = before?.get(path)?.required;
            add('breaking', already ? 'required-not-written' : 'newly-required', path, already ? `${path} is required by ${repName} and no spec writes it` : `${path} became required in ${repName}; no spec writes it`, allSpecs);
          }
        }
        for (const [path, info] of theirs) {
          if (ours.has(path) || (before && before.has(path))) continue;
          // Write contracts declare only what integrations send; an optional request field they
          // leave out is news only when it is new since the previous document.
          if (u.role === 'written' && !before) continue;
          const parent = parentOf(path);
          if (parent !== '' && !ours.has(parent)) continue;
          const readers = [...new Set(input.specs.filter((s) => (u.role === 'read' ? s.compiled.spec.source : s.compiled.spec.target).contract.split('#')[0] === u.contract || Object.values(s.compiled.spec.source.expand ?? {}).includes(u.contract)).map((s) => s.compiled.spec.name))].sort();
          add('additive', 'new-field', path, `${path} (${typesText(info)}) is ${before ? 'new in' : 'in'} ${repName} but not in ${u.contract}: add it to the contract, then map it or ignore it with a reason`, readers);
        }
      }
    }
  }

  const order = (f: DriftFinding) => (f.severity === 'breaking' ? 0 : f.severity === 'warning' ? 1 : 2);
  findings.sort((a, b) => order(a) - order(b) || a.resource.localeCompare(b.resource) || a.field.localeCompare(b.field));
  const breaking = findings.filter((f) => BREAKING.has(f.kind)).length;
  const fieldsChecked = checked.filter((c) => c.status === 'checked').reduce((n, c) => n + c.fields.length, 0);
  // A removed operation is breaking even though no field of it could be compared; otherwise a run
  // that compared nothing has proved nothing and must not read as a pass.
  const nothingCompared = breaking === 0 && fieldsChecked === 0;
  const report: DriftReport = {
    generatedAt: input.generatedAt,
    documents: input.current.map((d) => d.file),
    against: (input.previous ?? []).map((d) => d.file),
    verdict: breaking > 0 ? 'breaking' : nothingCompared ? 'nothing-compared' : 'ok',
    ...(nothingCompared ? { nothingComparedReason: explainNothingCompared(input.current, currentIds, checked) } : {}),
    documentsIdentified: [...describeIdentification('spec', input.current, currentIds), ...(previousIds ? describeIdentification('against', input.previous!, previousIds) : [])],
    summary: {
      breaking,
      warnings: findings.filter((f) => WARNING.has(f.kind)).length,
      additive: findings.filter((f) => f.kind === 'new-field').length,
      checked: checked.filter((c) => c.status === 'checked').length,
      notChecked: checked.filter((c) => c.status !== 'checked').length,
      fieldsChecked,
      differences: differences.length,
    },
    findings,
    checked,
    differences,
  };
  return driftReportSchema.parse(report);
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const cell = (v: string) => v.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderDriftMarkdown(report: DriftReport): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push('# Mapping drift report', '');
  const verdict = report.verdict === 'breaking' ? `BREAKING (${s.breaking})` : report.verdict === 'nothing-compared' ? 'NOTHING COMPARED (exit 2)' : 'no breaking change';
  lines.push(`Verdict: **${verdict}** · ${s.warnings} warning(s) · ${s.additive} new field(s) · ${s.fieldsChecked} mapped field(s) in ${s.checked} representation(s) checked${s.notChecked ? ` · ${s.notChecked} not checked (document not given)` : ''}.`, '');
  if (report.nothingComparedReason) lines.push(report.nothingComparedReason, '');
  lines.push(`Documents: ${report.documents.map((d) => `\`${d}\``).join(', ')}${report.against.length ? `; compared with ${report.against.map((d) => `\`${d}\``).join(', ')}` : ''}.`, '');
  const section = (title: string, list: DriftFinding[]) => {
    if (list.length === 0) return;
    lines.push(`## ${title}`, '', '| Resource | Field | Change | Specs | What to do |', '| --- | --- | --- | --- | --- |');
    for (const f of list) lines.push(`| ${cell(f.resource)} (${cell(f.contract)}) | \`${cell(f.field)}\` | ${f.kind} | ${f.specs.map((x) => `\`${x}\``).join(', ') || '—'} | ${cell(f.message)} |`);
    lines.push('');
  };
  section('Breaking changes', report.findings.filter((f) => f.severity === 'breaking'));
  section('Warnings', report.findings.filter((f) => f.severity === 'warning'));
  section('New fields (additive)', report.findings.filter((f) => f.severity === 'additive'));
  if (report.differences.length) {
    lines.push('## Field-level differences between the documents', '', 'For every resource the mapping specs use.', '', '| Resource | Representation | Field | Change | Before | After |', '| --- | --- | --- | --- | --- | --- |');
    for (const d of report.differences) lines.push(`| ${cell(d.resource)} | ${cell(d.representation)} | \`${cell(d.field)}\` | ${d.change} | ${cell(d.before)} | ${cell(d.after)} |`);
    lines.push('');
  }
  lines.push('## Documents identified', '', 'By content (the operations they define, then the API version in servers, basePath or title), not by file name.', '', '| Role | File | Title | Taken as |', '| --- | --- | --- | --- |');
  for (const d of report.documentsIdentified) lines.push(`| ${d.role} | \`${cell(d.file)}\` | ${cell(d.title || '(none)')} | ${cell(d.note)} |`);
  lines.push('');
  lines.push('## Representations checked', '', '| Resource | Representation | Contract | Document | Status | Mapped fields |', '| --- | --- | --- | --- | --- | ---: |');
  for (const c of report.checked) lines.push(`| ${cell(c.resource)} | ${cell(c.representation)} | \`${c.contract}\` | ${c.document ? `\`${cell(c.document)}\` (${cell(c.api)})` : `none given (${cell(c.api)})`} | ${c.status} | ${c.fields.length} |`);
  lines.push('');
  return lines.join('\n');
}

const xml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: a suite per representation, a test case per mapped field, a failure per breaking change. */
export function renderDriftJunit(report: DriftReport): string {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const c of report.checked) {
    const cases: string[] = [];
    const mine = report.findings.filter((f) => f.representation === c.representation && f.resource === c.resource);
    const classname = xml(`drift.${c.contract}`);
    for (const field of c.fields) {
      const broken = mine.filter((f) => f.severity === 'breaking' && f.field === field.field);
      const name = xml(`${c.resource}: ${field.field} (${field.specs.join(', ')})`);
      if (c.status !== 'checked') {
        const why = c.status === 'document-not-given' ? `no ${c.api} document was given` : `${c.representation} is not in ${c.document}`;
        cases.push(`    <testcase classname="${classname}" name="${name}"><skipped message="${xml(why)}"/></testcase>`);
        skipped++;
      } else if (broken.length) {
        cases.push(`    <testcase classname="${classname}" name="${name}">${broken.map((b) => `<failure type="${b.kind}" message="${xml(b.message)}"/>`).join('')}</testcase>`);
        failures++;
      } else cases.push(`    <testcase classname="${classname}" name="${name}"/>`);
      total++;
    }
    for (const f of mine.filter((x) => x.severity === 'breaking' && !c.fields.some((field) => field.field === x.field))) {
      cases.push(`    <testcase classname="${classname}" name="${xml(`${c.resource}: ${f.field} (${f.kind})`)}"><failure type="${f.kind}" message="${xml(f.message)}"/></testcase>`);
      failures++;
      total++;
    }
    for (const f of mine.filter((x) => x.severity !== 'breaking')) {
      cases.push(`    <testcase classname="${classname}" name="${xml(`${c.resource}: ${f.field} (${f.kind})`)}"><system-out>${xml(f.message)}</system-out></testcase>`);
      total++;
    }
    const suiteFailures = cases.filter((x) => x.includes('<failure')).length;
    const suiteSkipped = cases.filter((x) => x.includes('<skipped')).length;
    suites.push(`  <testsuite name="${xml(`${c.resource} ${c.representation}`)}" tests="${cases.length}" failures="${suiteFailures}" skipped="${suiteSkipped}" errors="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  let errors = 0;
  if (report.verdict === 'nothing-compared') {
    // CI must go red: a suite of skips alone would read as green in most JUnit viewers.
    suites.push(`  <testsuite name="drift: nothing compared" tests="1" failures="0" skipped="0" errors="1">\n    <testcase classname="drift" name="at least one mapped field compared"><error type="nothing-compared" message="${xml(report.nothingComparedReason ?? '')}"/></testcase>\n  </testsuite>`);
    errors++;
    total++;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bc-harness drift" tests="${total}" failures="${failures}" skipped="${skipped}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
