/**
 * Test support: the official BigCommerce OpenAPI specs as ajv validators.
 *
 * The specs live next to the project in ../shared/bigcommerce-specs/current (resolved from the
 * working directory; CI runs from the project root) and are never copied in. Each YAML file is
 * parsed with `yaml`, dereferenced in memory, and a response schema is turned from OpenAPI 3.0 into
 * plain JSON Schema (draft-07) that ajv compiles:
 *
 * - `nullable: true` becomes `anyOf: [{type: 'null'}, <schema>]`; so does the Swagger 2 vendor
 *   extension `x-nullable: true`, which some operations (PUT /catalog/variants) still use to say
 *   the same thing;
 * - `example`, `x-*`, `readOnly`, `writeOnly`, `discriminator`, `xml`, `externalDocs` and
 *   `deprecated` are dropped (keywords only, never a property that happens to have that name);
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0 / draft-04) become numbers;
 * - a `$ref` the dereferencer could not resolve (a missing fragment) and a reference cycle both
 *   become `{}` (accept anything there) rather than failing the whole file;
 * - formats ajv-formats does not know are registered as "accept anything";
 * - a `pattern` that is not a valid (unicode) regular expression is dropped, rather than failing
 *   the compile of the whole schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import $RefParser, { JSONParserErrorGroup } from '@apidevtools/json-schema-ref-parser';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export type Schema = Record<string, any>;

export const specsDir = path.resolve(process.cwd(), '../shared/bigcommerce-specs/current');
export const haveSpecs = fs.existsSync(specsDir);
/** The wider set of official files (same snapshot as `current`): store information, catalog families, channels, ... */
export const moreSpecsDir = path.resolve(process.cwd(), '../shared/bigcommerce-specs/more');

/** Where a spec file lives: `current` first, then `more`; a missing file is an error naming both folders. */
export function specFilePath(file: string): string {
  for (const dir of [specsDir, moreSpecsDir]) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`No spec file ${file} in ${specsDir} or ${moreSpecsDir}. Check the file name in the conformance row.`);
}

const specCache = new Map<string, Promise<Schema>>();

/** Dereference a parsed OpenAPI document, keeping what resolved when a `$ref` points nowhere. */
export async function dereferenceSpec(doc: Schema): Promise<Schema> {
  try {
    return (await $RefParser.dereference(doc as never, { continueOnError: true, dereference: { circular: true } })) as unknown as Schema;
  } catch (error) {
    // continueOnError collects missing fragments and throws them together at the end; the
    // partially dereferenced document is still there, with the bad `$ref`s left in place.
    if (error instanceof JSONParserErrorGroup) return error.files.schema as Schema;
    throw error;
  }
}

/** One spec file from the specs folders (`current`, then `more`), parsed and dereferenced once per test file. */
export function loadSpec(file: string): Promise<Schema> {
  let loaded = specCache.get(file);
  if (!loaded) {
    const doc = YAML.parse(fs.readFileSync(specFilePath(file), 'utf8')) as Schema;
    loaded = dereferenceSpec(doc);
    specCache.set(file, loaded);
  }
  return loaded;
}

/** The response body schema of one operation, or a thrown error that says what is missing. */
export function responseSchema(spec: Schema, file: string, specPath: string, method: string, status: number | string, mediaType = 'application/json'): Schema {
  const operation = spec.paths?.[specPath]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${file}: no operation ${method.toUpperCase()} ${specPath} (path keys: ${Object.keys(spec.paths ?? {}).join(', ')})`);
  const response = operation.responses?.[String(status)];
  if (!response) throw new Error(`${file}: ${method.toUpperCase()} ${specPath} documents no ${status} response (it has ${Object.keys(operation.responses ?? {}).join(', ')})`);
  const schema = response.content?.[mediaType]?.schema;
  if (!schema) throw new Error(`${file}: ${method.toUpperCase()} ${specPath} ${status} has no ${mediaType} schema (content types: ${Object.keys(response.content ?? {}).join(', ') || 'none'})`);
  return schema as Schema;
}

const DROPPED = new Set(['example', 'examples', 'readOnly', 'writeOnly', 'discriminator', 'xml', 'externalDocs', 'deprecated']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_SINGLE = new Set(['items', 'additionalProperties', 'not', 'additionalItems', 'contains', 'propertyNames', 'if', 'then', 'else']);

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

/** OpenAPI 3.0 schema -> draft-07 JSON Schema. Cycles and unresolved `$ref`s become `{}`. */
export function toJsonSchema(oas: unknown, formats: Set<string> = new Set()): Schema {
  const done = new WeakMap<object, Schema>();
  const onPath = new WeakSet<object>();

  const convert = (node: unknown): any => {
    if (typeof node === 'boolean') return node;
    if (!node || typeof node !== 'object' || Array.isArray(node)) return {};
    const source = node as Schema;
    if (onPath.has(source)) return {};
    const cached = done.get(source);
    if (cached) return cached;
    if (typeof source.$ref === 'string') return {};
    onPath.add(source);
    let out: Schema = {};
    for (const [key, value] of Object.entries(source)) {
      if (DROPPED.has(key) || key.startsWith('x-') || key === 'nullable') continue;
      if (SCHEMA_MAPS.has(key) && value && typeof value === 'object') {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, Array.isArray(sub) ? sub : convert(sub)]));
      } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
        out[key] = value.map(convert);
      } else if (SCHEMA_SINGLE.has(key)) {
        out[key] = Array.isArray(value) ? value.map(convert) : convert(value);
      } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (value && typeof source[bound] === 'number') out[key] = source[bound];
      } else if (key === 'format' && typeof value === 'string') {
        formats.add(value);
        out[key] = value;
      } else if (key === 'pattern' && typeof value === 'string' && !compiles(value)) {
        // A pattern that is not a regular expression (checkouts.v3.yml's phone: `\d{1-5}`) checks nothing.
        continue;
      } else {
        out[key] = value;
      }
    }
    if (typeof source.exclusiveMinimum === 'boolean' && source.exclusiveMinimum) delete out.minimum;
    if (typeof source.exclusiveMaximum === 'boolean' && source.exclusiveMaximum) delete out.maximum;
    if (source.nullable === true || source['x-nullable'] === true) out = { anyOf: [{ type: 'null' }, out] };
    onPath.delete(source);
    done.set(source, out);
    return out;
  };

  return convert(oas);
}

export interface SpecValidator {
  ajv: Ajv;
  /** Compile an OpenAPI 3.0 schema (converted first). */
  compile(oasSchema: Schema): ValidateFunction;
}

export function createSpecValidator(): SpecValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  return {
    ajv,
    compile(oasSchema) {
      const formats = new Set<string>();
      const schema = toJsonSchema(oasSchema, formats);
      for (const name of formats) if (!ajv.formats[name]) ajv.addFormat(name, true);
      return ajv.compile(schema);
    },
  };
}

/** Follow an ajv instancePath ("/0/billing_address/zip") into the data, for error messages. */
function valueAt(data: unknown, pointer: string): unknown {
  let node: any = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node;
}

const preview = (value: unknown): string => {
  const text = JSON.stringify(value);
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/**
 * One line per ajv error: where (instancePath), what the spec wants, and what was sent. The same
 * error repeated across array items (/data/0/x, /data/1/x, ...) is one line that lists the other
 * instancePaths, so a collection with one bad field per item stays readable.
 */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, data: unknown, limit = 40): string {
  if (!errors || errors.length === 0) return '(no errors)';
  const groups = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const key = `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*')} ${e.schemaPath} ${e.message}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const lines = [...groups.values()].slice(0, limit).map(([e, ...same]) => {
    const where = e!.instancePath || '(root)';
    const params = Object.keys(e!.params ?? {}).length > 0 ? ` ${JSON.stringify(e!.params)}` : '';
    const line = `  ${where} ${e!.message ?? e!.keyword}${params} [schema ${e!.schemaPath}] got ${preview(valueAt(data, e!.instancePath))}`;
    if (same.length === 0) return line;
    const others = same.slice(0, 5).map((s) => s.instancePath);
    return `${line}\n      (and ${same.length} more like it: ${others.join(', ')}${same.length > others.length ? ', ...' : ''})`;
  });
  if (groups.size > limit) lines.push(`  ... and ${groups.size - limit} more distinct errors`);
  return lines.join('\n');
}
