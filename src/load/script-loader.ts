/**
 * Load a k6 script unchanged in Node.
 *
 * - ESM loader hooks (`module.register`) resolve `k6`, `k6/http`, `k6/metrics`, `k6/execution`
 *   and `k6/timers` to small generated modules that re-export the runner's implementations from a
 *   process-wide bridge object; any other `k6/...` module, remote (`https://`) imports and Node
 *   imports are refused with an error that names them, since real k6 would not load the latter
 *   and the embedded runner does not implement the former.
 * - Every VU gets its own instance of the script (and of the files it imports), as k6 runs the
 *   init context once per VU: the instance is keyed by a `?k6run=<run>&k6vu=<n>` query that the
 *   hooks carry over to relative imports.
 * - k6's globals (`__ENV`, `__VU`, `__ITER`, `open`) read the calling VU's context, and `console`
 *   output from a script goes to the run's log as k6 prints it.
 */
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { currentContext } from './context.ts';
import { GoError } from './errors.ts';
import { createK6Modules } from './k6-api.ts';
import { formatConsoleArgs } from './logger.ts';

const BRIDGE = Symbol.for('bc-harness.k6-bridge');
const SHIM_SCHEME = 'bc-harness-k6:';

// The hooks run on Node's loader thread, so they are plain JavaScript handed over as a data: URL;
// the list of supported modules and their export names arrives through `initialize(data)`.
const HOOKS_SOURCE = `
let modules = {};
export async function initialize(data) { modules = data.modules; }
const REAL_K6 = 'Run this script with real k6 instead: bc-harness load <script> --runner k6 (k6 on PATH or K6_BIN set), or k6 run <script>.';
function fail(message) { const e = new Error(message); e.code = 'ERR_K6_UNSUPPORTED'; throw e; }
// Every VU of a run imports the same files, so resolutions and sources are kept per run after the
// first VU and returned with shortCircuit: later VUs skip the other hooks in the chain (tsx) and
// the disk, as k6 reads a script's files once per run. Per run, so a file edited between two runs
// of one process is read again; only the last few runs are kept.
const runs = new Map();
function runCache(run) {
  let cache = runs.get(run);
  if (!cache) {
    cache = { resolved: new Map(), sources: new Map() };
    runs.set(run, cache);
    if (runs.size > 8) runs.delete(runs.keys().next().value);
  }
  return cache;
}
function withoutVu(href) {
  const url = new URL(href);
  url.searchParams.delete('k6run');
  url.searchParams.delete('k6vu');
  return url.href;
}
function forVu(href, run, vu) {
  const url = new URL(href);
  url.searchParams.set('k6run', run);
  url.searchParams.set('k6vu', vu);
  return url.href;
}
function attributes(context) {
  const a = context.importAttributes || context.importAssertions;
  return a && Object.keys(a).length ? JSON.stringify(a) : '';
}
async function resolveForVu(cache, key, run, vu, resolveOnce) {
  const hit = cache.resolved.get(key);
  if (hit) return { url: forVu(hit, run, vu), format: 'module', shortCircuit: true };
  const resolved = await resolveOnce();
  if (!resolved.url.startsWith('file:')) return resolved;
  cache.resolved.set(key, withoutVu(resolved.url));
  return { ...resolved, url: forVu(resolved.url, run, vu), format: 'module' };
}
export async function resolve(specifier, context, next) {
  const parent = context.parentURL && context.parentURL.startsWith('file:') ? new URL(context.parentURL) : undefined;
  const run = parent && parent.searchParams.get('k6run');
  if (!run) {
    // The script itself, imported by importScriptInstance with the VU's query already on it.
    if (!specifier.startsWith('file:') || !specifier.includes('k6run=')) return next(specifier, context);
    const own = new URL(specifier);
    const ownRun = own.searchParams.get('k6run');
    if (!ownRun) return next(specifier, context);
    return resolveForVu(runCache(ownRun), 'entry ' + withoutVu(specifier) + ' ' + attributes(context), ownRun, own.searchParams.get('k6vu'), () => next(specifier, context));
  }
  const vu = parent.searchParams.get('k6vu');
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    if (!Object.prototype.hasOwnProperty.call(modules, specifier)) {
      fail('Failed to load module "' + specifier + '": the embedded k6 runner implements ' + Object.keys(modules).join(', ') + ' only. ' + REAL_K6 + ' See docs/load-runner.md.');
    }
    return { url: '${SHIM_SCHEME}' + specifier, shortCircuit: true };
  }
  if (/^https?:/.test(specifier)) fail('Failed to load "' + specifier + '": the embedded k6 runner does not fetch remote modules. Save the file next to the script and import it by relative path, or ' + REAL_K6);
  if (!/^(\\.{1,2}\\/|\\/|file:)/.test(specifier)) fail('Failed to load "' + specifier + '": a k6 script can import k6 modules and files by relative path only; Node packages and built-ins (' + specifier + ') would not load on real k6 either.');
  const parentKey = withoutVu(context.parentURL);
  return resolveForVu(runCache(run), specifier + ' ' + parentKey + ' ' + attributes(context), run, vu, () => next(specifier, context));
}
export async function load(url, context, next) {
  if (url.startsWith('${SHIM_SCHEME}')) {
    const name = url.slice(${SHIM_SCHEME.length});
    const names = modules[name];
    const lines = ['const m = globalThis[Symbol.for("bc-harness.k6-bridge")].module(' + JSON.stringify(name) + ');', 'export default m.default;'];
    for (const n of names) lines.push('export const ' + n + ' = m[' + JSON.stringify(n) + '];');
    return { format: 'module', source: lines.join('\\n'), shortCircuit: true };
  }
  if (url.startsWith('file:') && url.includes('k6run=')) {
    const run = new URL(url).searchParams.get('k6run');
    if (run) {
      const cache = runCache(run);
      const key = withoutVu(url);
      const source = cache.sources.get(key);
      if (source !== undefined) return { format: 'module', source, shortCircuit: true };
      // k6 scripts are ES modules whatever the nearest package.json says.
      const loaded = await next(url, { ...context, format: 'module' });
      if (loaded.format === 'module' && loaded.source != null) {
        // Decoded once here (TextDecoder drops a BOM, as Node does) rather than once per VU. A
        // source that names the VU's URL (a transform's source map) is not shared between VUs.
        const text = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source);
        if (!text.includes('k6vu=')) cache.sources.set(key, text);
      }
      return loaded;
    }
  }
  return next(url, context);
}
`;

interface Bridge {
  module(name: string): Record<string, unknown>;
}

let installed = false;
const nativeImport = createRequire(import.meta.url)('./native-import.cjs') as (url: string) => Promise<Record<string, unknown>>;

function installGlobals(): void {
  const define = (name: string, get: () => unknown) => Object.defineProperty(globalThis, name, { get, configurable: true });
  define('__ENV', () => currentContext()?.env ?? {});
  define('__VU', () => currentContext()?.vu.idInTest ?? 0);
  // k6's __ITER counts the VU's iterations across scenarios (VU.iteration), from 0.
  define('__ITER', () => Math.max(0, (currentContext()?.vu.iterationsInInstance ?? 1) - 1));
  Object.defineProperty(globalThis, 'open', {
    configurable: true,
    writable: true,
    value: (path: string, mode?: string) => {
      const ctx = currentContext();
      if (!ctx || ctx.phase !== 'init') throw new GoError('The "open()" function is only available in the init stage (i.e. the global scope), see https://grafana.com/docs/k6/latest/javascript-api/init-context for more information');
      const file = isAbsolute(path) ? path : resolvePath(ctx.run.scriptDir, path);
      const data = readFileSync(file);
      return mode === 'b' ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data.toString('utf8');
    },
  });
  // Scripts log through console; inside a run that output belongs to the run's log (stderr,
  // logrus format, like k6), everywhere else console behaves as before.
  const original = globalThis.console;
  const levels: Record<string, 'info' | 'debug' | 'warning' | 'error'> = { log: 'info', info: 'info', debug: 'debug', warn: 'warning', error: 'error' };
  // k6 prints console.debug only with --verbose; the embedded runner has no such flag.
  const silent = new Set(['debug']);
  globalThis.console = new Proxy(original, {
    get(target, key, receiver) {
      const level = typeof key === 'string' ? levels[key] : undefined;
      const value = Reflect.get(target, key, receiver);
      if (!level || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const ctx = currentContext();
        if (!ctx) return (value as (...a: unknown[]) => void).apply(target, args);
        if (silent.has(level)) return;
        ctx.run.logger.log(level, formatConsoleArgs(args), { source: 'console' });
      };
    },
  });
}

/** Install the loader hooks, the module bridge and the globals, once per process. */
export function installK6Runtime(): void {
  if (installed) return;
  installed = true;
  const modules = createK6Modules();
  const bridge: Bridge = {
    module(name) {
      const ns = modules[name];
      if (!ns) throw new Error(`Failed to load module "${name}": not provided by the embedded k6 runner.`);
      return ns;
    },
  };
  (globalThis as Record<symbol, unknown>)[BRIDGE] = bridge;
  const exportNames = Object.fromEntries(Object.entries(modules).map(([name, ns]) => [name, Object.keys(ns).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k))]));
  register(`data:text/javascript,${encodeURIComponent(HOOKS_SOURCE)}`, { data: { modules: exportNames } });
  installGlobals();
}

export function scriptUrl(scriptPath: string): string {
  return pathToFileURL(resolvePath(scriptPath)).href;
}

/**
 * Import one instance of the script for a VU of a run. The caller runs this inside the VU's
 * init context (AsyncLocalStorage), so the script's top-level code sees that VU.
 */
export async function importScriptInstance(scriptPath: string, runId: string, vuId: number): Promise<Record<string, unknown>> {
  installK6Runtime();
  const url = new URL(scriptUrl(scriptPath));
  url.searchParams.set('k6run', runId);
  url.searchParams.set('k6vu', String(vuId));
  return nativeImport(url.href);
}
