/**
 * OpenAPI documents for the drift check: load (YAML or JSON), dereference in memory, find the
 * schema of one operation's response or request body, and flatten a schema into a field table
 * (path -> type, enum, maxLength, required) that two versions can be compared by.
 */
import fs from 'node:fs';
import path from 'node:path';
import $RefParser, { JSONParserErrorGroup } from '@apidevtools/json-schema-ref-parser';
import YAML from 'yaml';
import { alternatives, propertyNames, type Schema } from './contracts.ts';

export interface OpenApiDocument {
  /** Absolute path of the file. */
  file: string;
  /** Base name ("orders.v2.oas2.yml"): documents of two versions are matched by it. */
  name: string;
  doc: Schema;
}

export class OpenApiLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiLoadError';
  }
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

/** Files named by a list of files and directories (a directory contributes its .yml/.yaml/.json files). */
export function expandDocumentPaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = path.resolve(p);
    if (!fs.existsSync(full)) throw new OpenApiLoadError(`${p} does not exist; pass an OpenAPI file or a directory of them.`);
    if (fs.statSync(full).isDirectory()) {
      const inDir = fs.readdirSync(full).filter((f) => EXTENSIONS.test(f)).sort();
      if (inDir.length === 0) throw new OpenApiLoadError(`${p} holds no .yml, .yaml or .json files.`);
      files.push(...inDir.map((f) => path.join(full, f)));
    } else files.push(full);
  }
  return files;
}

export async function loadOpenApiDocument(file: string): Promise<OpenApiDocument> {
  let parsed: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    parsed = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new OpenApiLoadError(`Failed to read the OpenAPI document ${file}: ${(error as Error).message.split('\n')[0]}. Pass a valid OpenAPI 3 YAML or JSON file.`);
  }
  if (!parsed || typeof parsed !== 'object' || !('paths' in parsed) || !(('openapi' in parsed) || ('swagger' in parsed))) {
    throw new OpenApiLoadError(`${file} is not an OpenAPI document (no openapi/swagger version or no paths). Pass one of the BigCommerce reference specs.`);
  }
  let doc: Schema;
  try {
    doc = (await $RefParser.dereference(parsed as never, { continueOnError: true, dereference: { circular: true } })) as unknown as Schema;
  } catch (error) {
    // continueOnError collects unresolved fragments and throws them together; what resolved is kept.
    if (error instanceof JSONParserErrorGroup) doc = error.files.schema as Schema;
    else throw new OpenApiLoadError(`Failed to resolve $refs in ${file}: ${(error as Error).message}`);
  }
  return { file, name: path.basename(file), doc };
}

export async function loadOpenApiSet(paths: string[]): Promise<Map<string, OpenApiDocument>> {
  const set = new Map<string, OpenApiDocument>();
  for (const file of expandDocumentPaths(paths)) {
    const loaded = await loadOpenApiDocument(file);
    if (set.has(loaded.name)) throw new OpenApiLoadError(`Two documents are named ${loaded.name}; documents of a version are matched by file name, so pass each once.`);
    set.set(loaded.name, loaded);
  }
  return set;
}

export interface OperationLocator {
  path: string;
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  /** A response status, or 'request' for the request body. */
  status: string | 'request';
  /** Walk further after allOf merging: ['properties', 'data'], ['items']. */
  pointer?: string[];
}

export function describeLocator(l: OperationLocator): string {
  return `${l.method.toUpperCase()} ${l.path} ${l.status === 'request' ? 'request body' : `${l.status} response`}${l.pointer?.length ? ` → ${l.pointer.filter((p) => p !== 'properties').join('.')}` : ''}`;
}

/** The schema at a locator, or undefined when the operation, response or pointer is absent. */
export function locateSchema(doc: Schema, locator: OperationLocator): Schema | undefined {
  const operation = doc.paths?.[locator.path]?.[locator.method];
  if (!operation) return undefined;
  const holder = locator.status === 'request' ? operation.requestBody : operation.responses?.[locator.status];
  const content = holder?.content ?? {};
  const media = content['application/json'] ?? Object.values(content)[0];
  let node: Schema | undefined = (media as Schema | undefined)?.schema;
  for (const key of locator.pointer ?? []) {
    if (!node) return undefined;
    if (key === 'items') {
      const items = alternatives(node).map((n) => n.items).filter(Boolean);
      node = items.length === 0 ? undefined : items.length === 1 ? items[0] : { anyOf: items };
    } else if (key === 'properties') {
      continue;
    } else {
      const props = alternatives(node).map((n) => n.properties?.[key]).filter(Boolean);
      node = props.length === 0 ? undefined : props.length === 1 ? props[0] : { anyOf: props };
    }
  }
  return node;
}

export interface FieldInfo {
  /** JSON type families, sorted: integer counts as number; null is tracked separately. */
  types: string[];
  nullable: boolean;
  enum?: string[];
  maxLength?: number;
  required: boolean;
  format?: string;
}

const family = (t: string) => (t === 'integer' ? 'number' : t);

function infoOf(nodes: Schema[], required: boolean): FieldInfo {
  const types = new Set<string>();
  let nullable = false;
  let untyped = false;
  let enumValues: Set<string> | undefined;
  let allHaveEnum = true;
  let maxLength: number | undefined;
  let format: string | undefined;
  for (const n of nodes) {
    const t = n.type;
    const list: string[] = Array.isArray(t) ? t : typeof t === 'string' ? [t] : n.properties ? ['object'] : n.items ? ['array'] : [];
    if (list.length === 0 && !Array.isArray(n.enum)) untyped = true;
    for (const x of list) {
      if (x === 'null') nullable = true;
      else types.add(family(x));
    }
    if (n.nullable === true || n['x-nullable'] === true) nullable = true;
    if (Array.isArray(n.enum)) {
      enumValues = enumValues ?? new Set();
      for (const v of n.enum) if (v !== null) enumValues.add(String(v));
    } else allHaveEnum = false;
    if (typeof n.maxLength === 'number') maxLength = Math.max(maxLength ?? 0, n.maxLength);
    if (typeof n.format === 'string') format = n.format;
  }
  return {
    types: untyped ? [] : [...types].sort(),
    nullable,
    ...(enumValues && allHaveEnum ? { enum: [...enumValues].sort() } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    required,
    ...(format ? { format } : {}),
  };
}

/**
 * Every field of a schema with its type information, keyed by normalized path ("billing_address.zip",
 * "items[].sku"); objects and lists appear too, so a removed object is one finding, not twenty.
 */
export function fieldTable(schema: Schema, maxDepth = 6): Map<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  const seen = new WeakSet<object>();
  const visit = (nodes: Schema[], prefix: string, depth: number) => {
    if (depth >= maxDepth) return;
    if (nodes.some((n) => seen.has(n))) return;
    nodes.forEach((n) => seen.add(n));
    // Required in every alternative: a oneOf of "sku or variant_id or product_id" requires none of them.
    const objects = nodes.filter((n) => n.properties);
    const required = new Set(objects.length ? objects.map((n) => new Set<string>(n.required ?? [])).reduce((a, b) => new Set([...a].filter((x) => b.has(x)))) : []);
    for (const name of propertyNames(nodes).sort()) {
      const childNodes = nodes.flatMap((n) => (n.properties && name in n.properties ? alternatives(n.properties[name]) : []));
      const key = prefix ? `${prefix}.${name}` : name;
      out.set(key, infoOf(childNodes, required.has(name)));
      visit(childNodes, key, depth + 1);
    }
    const items = nodes.flatMap((n) => (n.items && typeof n.items === 'object' && !Array.isArray(n.items) ? alternatives(n.items) : []));
    if (items.length > 0 && propertyNames(items).length > 0) visit(items, `${prefix}[]`, depth + 1);
    nodes.forEach((n) => seen.delete(n));
  };
  visit(alternatives(schema), '', 0);
  return out;
}
