/**
 * Generates TypeScript types from the resource contracts (contracts/<group>/<name>.schema.json).
 *
 * The JSON Schemas are the single written form of each BigCommerce resource shape; the types in
 * contracts/generated/ are derived from them so the two can never disagree. Run with
 * `npm run contracts:types`. test/contracts/generated-types.test.ts calls
 * generateContractTypes() and fails when the files on disk are stale.
 *
 * Cross-file `$ref`s (e.g. "order.schema.json#/$defs/decimalString") become `import type`s of the
 * target's title instead of a second copy of the type: json-schema-to-typescript would otherwise
 * re-declare the referenced type in every file that uses it, and the re-exports in index.ts would
 * then collide.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, type Options } from 'json-schema-to-typescript';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const contractsDir = path.join(projectRoot, 'contracts');
export const generatedDir = path.join(contractsDir, 'generated');

const SCHEMA_SUFFIX = '.schema.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// Fixed options (nothing taken from the environment) keep the output byte-for-byte stable.
// Prettier ships as a dependency of json-schema-to-typescript and is called with these explicit
// style options (no config-file lookup), so formatting is deterministic for a locked install.
const COMPILE_OPTIONS: Partial<Options> = {
  bannerComment: '',
  format: true,
  style: {
    bracketSpacing: true,
    printWidth: 100,
    semi: true,
    singleQuote: true,
    tabWidth: 2,
    trailingComma: 'all',
    useTabs: false,
  },
  // Emit every $defs entry, including ones used only by other contracts through an import.
  unreachableDefinitions: true,
  // maxItems would otherwise expand into tuple unions (customer.addresses has maxItems 10).
  ignoreMinAndMaxItems: true,
  additionalProperties: true,
  strictIndexSignatures: false,
  unknownAny: true,
  declareExternallyReferenced: true,
  enableConstEnums: false,
};

/** Every contract schema under contracts/, as absolute paths, sorted for a stable order. */
export function listContractSchemas(root: string = contractsDir): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== generatedDir) walk(full);
      } else if (entry.isFile() && entry.name.endsWith(SCHEMA_SUFFIX)) {
        found.push(full);
      }
    }
  };
  walk(root);
  return found.sort((a, b) => byCodePoint(toPosix(path.relative(root, a)), toPosix(path.relative(root, b))));
}

/** "order-product.schema.json" -> "order-product". */
export function contractName(schemaFile: string): string {
  return path.basename(schemaFile).slice(0, -SCHEMA_SUFFIX.length);
}

// Plain code-point order, not localeCompare: the result must not depend on the machine's ICU data.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readJson(file: string): JsonObject {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
}

function resolvePointer(doc: Json, pointer: string, where: string): Json {
  if (pointer === '' || pointer === '/') return doc;
  let node: Json = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) {
      throw new Error(`${where}: JSON pointer "${pointer}" does not resolve`);
    }
    node = (node as JsonObject)[key] as Json;
  }
  return node;
}

interface TypeImport {
  typeName: string;
  fromName: string;
}

/**
 * Returns a copy of `schema` where each `$ref` into another contract file is replaced by
 * `tsType: <target title>` (siblings such as description are kept), plus the imports needed.
 */
function externalRefsToImports(schema: JsonObject, schemaFile: string): { schema: JsonObject; imports: TypeImport[] } {
  const imports = new Map<string, TypeImport>();
  const visit = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      const [filePart, pointer = ''] = ref.split('#');
      const targetFile = path.resolve(path.dirname(schemaFile), filePart);
      if (!fs.existsSync(targetFile)) throw new Error(`${schemaFile}: $ref "${ref}" points to a missing file`);
      const target = resolvePointer(readJson(targetFile), pointer, `${schemaFile} -> ${ref}`);
      const title = target !== null && typeof target === 'object' && !Array.isArray(target) ? target.title : undefined;
      if (typeof title !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(title)) {
        throw new Error(`${schemaFile}: $ref "${ref}" must point to a schema with a PascalCase title`);
      }
      const fromName = contractName(targetFile);
      imports.set(`${fromName}:${title}`, { typeName: title, fromName });
      const rest: JsonObject = {};
      for (const [k, v] of Object.entries(node)) if (k !== '$ref') rest[k] = visit(v);
      return { ...rest, tsType: title };
    }
    if (typeof ref === 'string' && Object.keys(node).length > 1) {
      // The ref parser turns a local $ref with siblings into a fresh object, which
      // json-schema-to-typescript then declares a second time ("Foo1"). Put the note on the $defs entry.
      throw new Error(`${schemaFile}: local $ref "${ref}" must not have sibling keywords (${Object.keys(node).join(', ')})`);
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) out[k] = visit(v);
    return out;
  };
  const rewritten = visit(schema) as JsonObject;
  const sorted = [...imports.values()].sort(
    (a, b) => byCodePoint(a.fromName, b.fromName) || byCodePoint(a.typeName, b.typeName),
  );
  return { schema: rewritten, imports: sorted };
}

function banner(source: string): string {
  return [
    '/* eslint-disable */',
    '/**',
    ' * GENERATED FILE - DO NOT EDIT.',
    ` * Source: ${source}`,
    ' * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).',
    ' */',
    '',
  ].join('\n');
}

function renderImports(imports: TypeImport[]): string {
  const byFile = new Map<string, string[]>();
  for (const imp of imports) byFile.set(imp.fromName, [...(byFile.get(imp.fromName) ?? []), imp.typeName]);
  return [...byFile.entries()]
    .map(([fromName, names]) => `import type { ${names.join(', ')} } from './${fromName}.ts';\n`)
    .join('');
}

function exportedNames(code: string): string[] {
  return [...code.matchAll(/^export (?:interface|type|enum|const enum) ([A-Za-z0-9_]+)/gm)].map((m) => m[1]);
}

/**
 * Builds every generated file in memory: absolute path -> content. Writes nothing, so the
 * staleness test can compare it with what is on disk.
 */
export async function generateContractTypes(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const owners = new Map<string, string>();
  const names: string[] = [];

  for (const schemaFile of listContractSchemas()) {
    const name = contractName(schemaFile);
    if (names.includes(name)) throw new Error(`Two contracts are both named "${name}"; generated file names must be unique`);
    names.push(name);

    const original = readJson(schemaFile);
    if (typeof original.title !== 'string') throw new Error(`${schemaFile}: a contract needs a title (it becomes the type name)`);
    const { schema, imports } = externalRefsToImports(original, schemaFile);
    const code = await compile(schema as never, original.title, { ...COMPILE_OPTIONS, cwd: path.dirname(schemaFile) });

    // Two files exporting the same name would make `export type *` in index.ts ambiguous.
    for (const exported of exportedNames(code)) {
      const owner = owners.get(exported);
      if (owner) throw new Error(`Type ${exported} is generated by both ${owner} and ${name}; give one a different title`);
      owners.set(exported, name);
    }

    const source = toPosix(path.relative(projectRoot, schemaFile));
    const importBlock = renderImports(imports);
    files.set(path.join(generatedDir, `${name}.ts`), `${banner(source)}\n${importBlock}${importBlock ? '\n' : ''}${code}`);
  }

  const index = names.map((name) => `export type * from './${name}.ts';\n`).join('');
  files.set(path.join(generatedDir, 'index.ts'), `${banner('every contracts/<group>/<name>.schema.json')}\n${index}`);
  return files;
}

/** Writes the generated files and removes generated .ts files that no longer have a source. */
export async function writeContractTypes(): Promise<string[]> {
  const files = await generateContractTypes();
  fs.mkdirSync(generatedDir, { recursive: true });
  for (const existing of fs.readdirSync(generatedDir)) {
    const full = path.join(generatedDir, existing);
    if (existing.endsWith('.ts') && !files.has(full)) fs.rmSync(full);
  }
  for (const [file, content] of files) fs.writeFileSync(file, content);
  return [...files.keys()];
}

// Run as a CLI only when executed directly (tsx scripts/generate-contract-types.ts), not on import.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeContractTypes().then(
    (written) => {
      for (const file of written) console.log(`wrote ${toPosix(path.relative(projectRoot, file))}`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
