/**
 * Loads mapping specs from YAML. Every problem comes back as data naming the file, the line, the
 * place inside the spec and what is wrong ("mappings/x.yml:14:13 fields[2].source: ..."), from a
 * YAML syntax error through a zod shape error to a field that does not exist in the contracts.
 * Nothing here throws on bad input; only an unreadable directory is an exception.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { compileSpec, formatYamlPath, nearestName, type CompiledSpec, type YamlPath } from './compile.ts';
import { createContractRegistry, projectRoot, type ContractRegistry } from './contracts.ts';
import { computeCoverage, type Coverage } from './coverage.ts';
import { mappingSpecSchema } from './spec-schema.ts';
import { resolveSpecSchemas, validateSpec, validateSpecSet, type SpecSchemas } from './validate-spec.ts';

export const defaultMappingsDir = path.join(projectRoot, 'mappings');

export interface SpecIssue {
  file: string;
  line?: number;
  col?: number;
  /** Where inside the spec, e.g. "fields[2].source" ("" for the whole file). */
  at: string;
  message: string;
}

export interface LoadedSpec {
  file: string;
  compiled: CompiledSpec;
  schemas: Required<SpecSchemas>;
  coverage: Coverage;
}

export interface LoadResult {
  specs: LoadedSpec[];
  issues: SpecIssue[];
}

export function formatSpecIssue(issue: SpecIssue, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, issue.file) || issue.file;
  const where = issue.line !== undefined ? `${rel}:${issue.line}:${issue.col ?? 1}` : rel;
  return `${where} ${issue.at ? `${issue.at}: ` : ''}${issue.message}`;
}

export class MappingSpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`Failed to load the mapping specs: ${issues.length} problem(s).\n${issues.map((i) => `  ${formatSpecIssue(i)}`).join('\n')}\nFix the specs named above; see mappings/README.md for the format.`);
    this.name = 'MappingSpecError';
  }
}

const KNOWN_KEYS: Record<string, string[]> = {
  '': ['name', 'title', 'flow', 'summary', 'source', 'target', 'direction', 'trigger', 'frequency', 'systemOfRecord', 'key', 'skip', 'fields', 'lookups', 'ignore', 'constraints', 'assumptions', 'risks'],
  source: ['system', 'resource', 'contract', 'expand', 'read'],
  target: ['system', 'resource', 'contract', 'write'],
  systemOfRecord: ['system', 'conflictRule', 'fields'],
  key: ['source', 'target', 'notes'],
  fields: ['source', 'value', 'target', 'transform', 'required', 'default', 'when', 'where', 'fields', 'writeMode', 'notes'],
  constraints: ['target', 'maxLength', 'maxItems', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'action', 'notes'],
  ignore: ['source', 'reason'],
  skip: ['when', 'reason'],
  when: ['path', 'op', 'value', 'valuePath'],
  where: ['path', 'op', 'value', 'valuePath'],
  lookups: ['description', 'entries', 'onMiss', 'default'],
};

function knownKeysAt(at: YamlPath): string[] | undefined {
  const names = at.filter((k): k is string => typeof k === 'string');
  if (names.length === 0) return KNOWN_KEYS[''];
  const last = names.at(-1)!;
  if (names.length >= 2 && names.at(-2) === 'lookups') return KNOWN_KEYS.lookups;
  return KNOWN_KEYS[last];
}

/** Line and column of the deepest node of `at` that exists in the document. */
export function locate(doc: Document, counter: LineCounter, at: YamlPath): { line?: number; col?: number } {
  for (let n = at.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(at.slice(0, n), true) as { range?: [number, number, number] } | undefined);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = counter.linePos(range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return {};
}

function zodIssues(error: z.ZodError): { at: YamlPath; message: string }[] {
  return error.issues.map((issue) => {
    const at = issue.path.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(at) ?? [];
      const parts = issue.keys.map((k) => {
        const near = nearestName(k, known, 1);
        return `"${k}"${near.length ? ` (did you mean "${near[0]}"?)` : ''}`;
      });
      return { at, message: `unknown key ${parts.join(', ')}${known.length ? `; allowed here: ${known.join(', ')}` : ''}` };
    }
    if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
      return { at, message: `is missing (${issue.message.replace(/^Invalid input: /, '')})` };
    }
    return { at, message: issue.message.replace(/^Invalid input: /, '') };
  });
}

/** Load and check one spec file. */
export function loadSpecFile(file: string, registry: ContractRegistry = createContractRegistry()): { spec?: LoadedSpec; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { issues: [{ file, at: '', message: `cannot be read: ${(error as Error).message}` }] };
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      issues.push({ file, line: pos.line, col: pos.col, at: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
    }
    return { issues };
  }
  const data = doc.toJS() as unknown;
  const push = (at: YamlPath, message: string) => issues.push({ file, ...locate(doc, counter, at), at: formatYamlPath(at), message });
  if (data === null || data === undefined) {
    push([], 'the file is empty; a mapping spec is a YAML mapping with name, title, flow, source, target, fields, ...');
    return { issues };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    push([], 'a mapping spec is a YAML mapping (key: value), not a list or a single value');
    return { issues };
  }
  const parsed = mappingSpecSchema.safeParse(data);
  if (!parsed.success) {
    for (const i of zodIssues(parsed.error)) push(i.at, i.message);
    return { issues };
  }
  const spec = parsed.data;
  const expectedName = path.basename(file).replace(/\.ya?ml$/, '');
  if (spec.name !== expectedName) push(['name'], `"${spec.name}" must match the file name "${expectedName}"`);

  const { compiled, issues: compileIssues } = compileSpec(spec);
  for (const i of compileIssues) push(i.at, i.message);
  if (compileIssues.length > 0) return { issues };

  for (const i of validateSpec(compiled, registry)) push(i.at, i.message);
  if (issues.length > 0) return { issues };
  const schemas = resolveSpecSchemas(compiled, registry) as Required<SpecSchemas>;
  return { spec: { file, compiled, schemas, coverage: computeCoverage(compiled, schemas.source) }, issues };
}

/** The .yml files of a directory, sorted. */
export function listSpecFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Load every spec of a directory (or the given files) and check them as a set. */
export function loadSpecs(dirOrFiles: string | string[] = defaultMappingsDir, registry: ContractRegistry = createContractRegistry()): LoadResult {
  const files = Array.isArray(dirOrFiles) ? dirOrFiles : listSpecFiles(dirOrFiles);
  const specs: LoadedSpec[] = [];
  const issues: SpecIssue[] = [];
  for (const file of files) {
    const result = loadSpecFile(file, registry);
    issues.push(...result.issues);
    if (result.spec) specs.push(result.spec);
  }
  for (const i of validateSpecSet(specs.map((s) => s.compiled))) {
    const owner = specs.find((s) => s.compiled.spec.name === i.spec);
    issues.push({ file: owner?.file ?? i.spec, at: formatYamlPath(i.at), message: i.message });
  }
  return { specs, issues };
}
