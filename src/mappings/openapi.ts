/**
 * OpenAPI documents for the drift check: load (YAML or JSON), dereference in memory, describe
 * what a document is by its content (title, API version from servers or basePath, operations),
 * find the schema of one operation's response or request body, and flatten a schema into a field
 * table (path -> type, enum, maxLength, required) that two versions can be compared by.
 */
import fs from 'node:fs';
import path from 'node:path';
import $RefParser, { JSONParserErrorGroup } from '@apidevtools/json-schema-ref-parser';
import YAML from 'yaml';
import { alternatives, propertyNames, type Schema } from './contracts.ts';

export interface OpenApiDocument {
  /** Absolute path of the file. */
  file: string;
  /** Base name, for messages only: documents are identified by content, never by file name. */
  name: string;
  doc: Schema;
  /** info.title, or '' when the document has none. */
  title: string;
  /** 'v2' or 'v3' from the servers, basePath or title; undefined when they say nothing or disagree. */
  apiVersion?: string;
  /** Where the version came from, for messages ("server https://.../v2", "basePath /v2"). */
  base?: string;
  /** Every operation as "GET /orders/{}" (path parameters unnamed, so a renamed parameter still matches). */
  operations: Set<string>;
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
  return { file, name: path.basename(file), doc, ...describeDocument(doc) };
}

/**
 * The documents named by files and directories, each once (a file given twice, directly and
 * through its directory, is one document). Which contract a document serves is decided later from
 * its content, so two files may share a name.
 */
export async function loadOpenApiSet(paths: string[]): Promise<OpenApiDocument[]> {
  const files = [...new Set(expandDocumentPaths(paths))];
  const out: OpenApiDocument[] = [];
  for (const file of files) out.push(await loadOpenApiDocument(file));
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** "/orders/{order_id}" and "/orders/{id}" are one operation path: parameter names are documentation. */
export const pathShape = (p: string) => p.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '') || '/';
export const operationKey = (method: string, p: string) => `${method.toUpperCase()} ${pathShape(p)}`;

const versionsIn = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => `v${m[1]}`);

/**
 * What a document is, from its content: the title, the API version and the operations. The
 * version comes from the servers (OpenAPI 3) or basePath (Swagger 2) where BigCommerce puts it
 * (".../stores/{store_hash}/v2"), else from a "V2"/"V3" in the title; when the sources name two
 * versions it stays unknown rather than guessed.
 */
export function describeDocument(doc: Schema): Pick<OpenApiDocument, 'title' | 'apiVersion' | 'base' | 'operations'> {
  const title = typeof doc.info?.title === 'string' ? doc.info.title.trim() : '';
  const servers: string[] = Array.isArray(doc.servers) ? doc.servers.map((s: Schema) => s?.url).filter((u: unknown): u is string => typeof u === 'string') : [];
  const segment = /\/v(\d+)(?=\/|$)/gi;
  const sources: { base: string; versions: string[] }[] = [
    ...servers.map((url) => ({ base: `server ${url}`, versions: versionsIn(url, segment) })),
    ...(typeof doc.basePath === 'string' ? [{ base: `basePath ${doc.basePath}`, versions: versionsIn(doc.basePath, segment) }] : []),
  ].filter((x) => x.versions.length > 0);
  const fromTitle = versionsIn(title, /\bv(\d+)\b/gi);
  const chosen = sources.length > 0 ? sources : fromTitle.length > 0 ? [{ base: `title "${title}"`, versions: fromTitle }] : [];
  const versions = [...new Set(chosen.flatMap((x) => x.versions))];
  const operations = new Set<string>();
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Record<string, Schema>)) {
    for (const method of METHODS) if (item && typeof item === 'object' && item[method]) operations.add(operationKey(method, p));
  }
  return {
    title,
    ...(versions.length === 1 ? { apiVersion: versions[0], base: chosen[0]!.base } : {}),
    operations,
  };
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
  const paths = (doc.paths ?? {}) as Record<string, Schema>;
  const shape = pathShape(locator.path);
  const item = paths[locator.path] ?? Object.entries(paths).find(([p]) => pathShape(p) === shape)?.[1];
  const operation = item?.[locator.method];
  if (!operation) return undefined;
  let node: Schema | undefined;
  if (locator.status === 'request') {
    // OpenAPI 3 has a requestBody; Swagger 2 a parameter "in: body".
    const body = operation.requestBody ?? (Array.isArray(operation.parameters) ? operation.parameters.find((p: Schema) => p?.in === 'body') : undefined);
    node = mediaSchema(body);
  } else node = mediaSchema(operation.responses?.[locator.status]);
  const pointer = locator.pointer ?? [];
  for (let i = 0; i < pointer.length; i++) {
    if (!node) return undefined;
    const key = pointer[i]!;
    // "properties" makes the next key a property name, so ['properties', 'items'] is a property
    // called items (the inventory adjustment body), not the array's items.
    const property = key === 'properties' ? pointer[++i] : key === 'items' ? undefined : key;
    if (key === 'properties' && property === undefined) break;
    if (property === undefined) {
      const items = alternatives(node).map((n) => n.items).filter(Boolean);
      node = items.length === 0 ? undefined : items.length === 1 ? items[0] : { anyOf: items };
    } else {
      const props = alternatives(node).map((n) => n.properties?.[property]).filter(Boolean);
      node = props.length === 0 ? undefined : props.length === 1 ? props[0] : { anyOf: props };
    }
  }
  return node;
}

function mediaSchema(holder: Schema | undefined): Schema | undefined {
  if (!holder) return undefined;
  if (holder.content) {
    const content = holder.content as Record<string, Schema>;
    return (content['application/json'] ?? Object.values(content)[0])?.schema;
  }
  return holder.schema;
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
