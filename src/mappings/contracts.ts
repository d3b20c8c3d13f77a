/**
 * The resource contracts (contracts/<group>/<name>.schema.json) as plain, dereferenced JSON
 * Schema trees, and the walks the mapping checks need: what is at a field path, which names exist
 * next to a missing one, and every leaf field of a source (for coverage).
 *
 * A contract is named "<group>/<name>" (bigcommerce/order, connected/erp-sales-order), optionally
 * with a JSON pointer into it ("bigcommerce/inventory-adjustment#/$defs/item"): a mapping often
 * produces one element of a batch body.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePath, type Segment } from './path.ts';

export type Schema = Record<string, any>;

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultContractsDir = path.join(projectRoot, 'contracts');

const SUFFIX = '.schema.json';

export interface ContractRegistry {
  dir: string;
  /** "bigcommerce/order", ... sorted. */
  names(): string[];
  /** The dereferenced schema, or undefined when the contract or pointer does not exist. */
  get(ref: string): Schema | undefined;
  /** The raw file (with $refs), for tools that need the original. */
  raw(name: string): Schema | undefined;
  file(name: string): string;
}

export function createContractRegistry(dir: string = defaultContractsDir): ContractRegistry {
  const files = new Map<string, string>();
  const raws = new Map<string, Schema>();
  const resolved = new Map<string, Schema>();
  for (const group of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
    if (!group.isDirectory() || group.name === 'generated') continue;
    for (const f of fs.readdirSync(path.join(dir, group.name))) {
      if (f.endsWith(SUFFIX)) files.set(`${group.name}/${f.slice(0, -SUFFIX.length)}`, path.join(dir, group.name, f));
    }
  }
  const raw = (name: string): Schema | undefined => {
    const file = files.get(name);
    if (!file) return undefined;
    let doc = raws.get(name);
    if (!doc) {
      doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
      raws.set(name, doc);
    }
    return doc;
  };
  const byFile = (file: string): Schema => {
    for (const [name, f] of files) if (f === file) return raw(name)!;
    throw new Error(`Failed to resolve a contract $ref: ${file} is not a contract file.`);
  };
  const derefWhole = (name: string): Schema | undefined => {
    let done = resolved.get(name);
    if (!done) {
      const doc = raw(name);
      if (!doc) return undefined;
      done = deref(doc, files.get(name)!, doc, byFile, 0) as Schema;
      resolved.set(name, done);
    }
    return done;
  };
  return {
    dir,
    names: () => [...files.keys()].sort(),
    raw,
    file: (name) => files.get(name) ?? path.join(dir, `${name}${SUFFIX}`),
    get(ref) {
      const [name, pointer = ''] = ref.split('#');
      const whole = derefWhole(name!);
      if (!whole) return undefined;
      return pointer ? (atPointer(whole, pointer) as Schema | undefined) : whole;
    },
  };
}

function atPointer(doc: unknown, pointer: string): unknown {
  let node: any = doc;
  for (const raw of pointer.replace(/^\//, '').split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function deref(node: unknown, file: string, root: Schema, byFile: (file: string) => Schema, depth: number): unknown {
  if (depth > 60) throw new Error(`Failed to resolve the contract ${file}: $ref nesting is too deep (a cycle?).`);
  if (Array.isArray(node)) return node.map((n) => deref(n, file, root, byFile, depth + 1));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Schema;
  if (typeof obj.$ref === 'string') {
    const [filePart, pointer = ''] = obj.$ref.split('#');
    const targetFile = filePart ? path.resolve(path.dirname(file), filePart) : file;
    const targetRoot = filePart ? byFile(targetFile) : root;
    const target = atPointer(targetRoot, pointer);
    if (target === undefined) throw new Error(`Failed to resolve the contract ${file}: $ref ${obj.$ref} does not resolve.`);
    const { $ref: _ref, ...siblings } = obj;
    void _ref;
    // Siblings of a $ref (a description) annotate the use; keep them over the target's.
    return { ...(deref(target, targetFile, targetRoot, byFile, depth + 1) as Schema), ...(deref(siblings, file, root, byFile, depth + 1) as Schema) };
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(obj)) out[k] = deref(v, file, root, byFile, depth + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Walking schemas by field path
// ---------------------------------------------------------------------------------------------

/** The alternatives a schema allows (allOf merged, oneOf/anyOf flattened). */
export function alternatives(schema: Schema | undefined): Schema[] {
  if (!schema || typeof schema !== 'object') return [];
  let merged = schema;
  if (Array.isArray(schema.allOf)) {
    merged = { ...schema, allOf: undefined };
    for (const part of schema.allOf.flatMap((p: Schema) => alternatives(p))) {
      merged = {
        ...part,
        ...merged,
        properties: { ...(part.properties ?? {}), ...(merged.properties ?? {}) },
        required: [...new Set([...(part.required ?? []), ...(merged.required ?? [])])],
      };
    }
  }
  const alts = merged.oneOf ?? merged.anyOf;
  if (Array.isArray(alts)) {
    const { oneOf: _o, anyOf: _a, ...base } = merged;
    void _o;
    void _a;
    return alts.flatMap((a: Schema) => alternatives({ ...base, ...a, properties: { ...(base.properties ?? {}), ...(a.properties ?? {}) } }));
  }
  return [merged];
}

export function propertyNames(nodes: Schema[]): string[] {
  return [...new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))];
}

function child(nodes: Schema[], s: Segment): Schema[] {
  if (s.kind === 'key') return nodes.flatMap((n) => (n.properties && s.key in n.properties ? alternatives(n.properties[s.key]) : []));
  return nodes.flatMap((n) => (n.items && !Array.isArray(n.items) ? alternatives(n.items) : []));
}

export type WalkResult =
  | { ok: true; nodes: Schema[] }
  | { ok: false; depth: number; reason: 'missing' | 'not-array'; available: string[]; prefix: Segment[] };

/** Walk a schema along parsed segments (key, [] / [N] / [filter]). */
export function walkSchema(schema: Schema, segments: Segment[]): WalkResult {
  let nodes = alternatives(schema);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const next = child(nodes, s);
    if (next.length === 0) {
      return {
        ok: false,
        depth: i,
        reason: s.kind === 'key' ? 'missing' : 'not-array',
        available: s.kind === 'key' ? propertyNames(nodes) : [],
        prefix: segments.slice(0, i),
      };
    }
    nodes = next;
  }
  return { ok: true, nodes };
}

export function schemaAtPath(schema: Schema, path: string): Schema[] | undefined {
  const r = walkSchema(schema, parsePath(path).segments);
  return r.ok ? r.nodes : undefined;
}

/** JSON types a set of alternatives admits ("integer" also counts as "number" for readers). */
export function typesOf(nodes: Schema[]): Set<string> {
  const out = new Set<string>();
  for (const n of nodes) {
    const t = n.type;
    if (Array.isArray(t)) t.forEach((x: string) => out.add(x));
    else if (typeof t === 'string') out.add(t);
    else if (n.properties) out.add('object');
    else if (n.items) out.add('array');
    if (n.nullable === true) out.add('null');
  }
  return out;
}

export const isObjectNode = (nodes: Schema[]): boolean => nodes.some((n) => n.properties);
export const isArrayNode = (nodes: Schema[]): boolean => nodes.some((n) => n.items || n.type === 'array' || (Array.isArray(n.type) && n.type.includes('array')));

/** Every leaf field path of a schema, normalized ("billing_address.first_name", "products[].sku"). */
export function leafPaths(schema: Schema, maxDepth = 8): string[] {
  const out: string[] = [];
  const visit = (nodes: Schema[], prefix: string, depth: number) => {
    let descended = false;
    if (depth < maxDepth) {
      // A field can be an object in one alternative and a list in another (order.fees is a link
      // or the fee array): walk both, so every field of every shape is accounted for.
      for (const name of propertyNames(nodes).sort()) {
        visit(child(nodes, { kind: 'key', key: name }), prefix ? `${prefix}.${name}` : name, depth + 1);
        descended = true;
      }
      const items = child(nodes, { kind: 'each' });
      if (items.length > 0 && propertyNames(items).length > 0) {
        visit(items, `${prefix}[]`, depth + 1);
        descended = true;
      }
    }
    if (!descended && prefix) out.push(prefix);
  };
  visit(alternatives(schema), '', 0);
  return out;
}

/** Constraints a leaf declares, as the mapping specs name them. */
export interface FieldConstraints {
  maxLength?: number;
  maxItems?: number;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

export function constraintsOf(nodes: Schema[]): FieldConstraints {
  const out: FieldConstraints = {};
  for (const n of nodes) {
    if (typeof n.maxLength === 'number') out.maxLength = Math.max(out.maxLength ?? 0, n.maxLength);
    if (typeof n.maxItems === 'number') out.maxItems = Math.max(out.maxItems ?? 0, n.maxItems);
    if (Array.isArray(n.enum)) out.enum = [...new Set([...(out.enum ?? []), ...n.enum])];
    if (typeof n.pattern === 'string') out.pattern = n.pattern;
    if (typeof n.format === 'string') out.format = n.format;
    if (typeof n.minimum === 'number') out.minimum = n.minimum;
    if (typeof n.maximum === 'number') out.maximum = n.maximum;
  }
  return out;
}

/** Required property names at an object node (in every alternative). */
export function requiredNames(nodes: Schema[]): string[] {
  const objects = nodes.filter((n) => n.properties || n.required);
  if (objects.length === 0) return [];
  const sets = objects.map((n) => new Set<string>(n.required ?? []));
  return [...sets[0]!].filter((name) => sets.every((s) => s.has(name)));
}

/**
 * A source schema with its expansions applied: `expand: {products: bigcommerce/order-product}`
 * replaces the order's `products` link with the array the sub-resource call returns.
 */
export function composeSource(registry: ContractRegistry, contract: string, expand: Record<string, string> = {}): Schema | undefined {
  const base = registry.get(contract);
  if (!base) return undefined;
  if (Object.keys(expand).length === 0) return base;
  const properties = { ...(base.properties ?? {}) };
  for (const [field, ref] of Object.entries(expand)) {
    const sub = registry.get(ref);
    if (sub) properties[field] = { type: 'array', items: sub };
  }
  return { ...base, properties };
}
